#include "momq/schema.h"

#include "core/json_document.h"

#include "momq/files.h"
#include "momq/error.h"

#include <nlohmann/json.hpp>

namespace momq {

using nlohmann::json;

const Column *Table::findColumn(const std::string &columnName) const {
    for (const auto &c : columns)
        if (c.name == columnName) return &c;
    return nullptr;
}

const Table *Schema::findTable(const std::string &tableName) const {
    for (const auto &t : tables)
        if (t.name == tableName) return &t;
    return nullptr;
}

bool operator==(const Column &a, const Column &b) {
    return a.name == b.name && a.type == b.type && a.description == b.description && a.primaryKey == b.primaryKey &&
           a.examples == b.examples;
}
bool operator==(const Table &a, const Table &b) {
    return a.name == b.name && a.description == b.description && a.columns == b.columns;
}
bool operator==(const ForeignKey &a, const ForeignKey &b) {
    return a.fromTable == b.fromTable && a.fromColumn == b.fromColumn && a.toTable == b.toTable &&
           a.toColumn == b.toColumn;
}
bool operator==(const Property &a, const Property &b) {
    return a.name == b.name && a.type == b.type && a.examples == b.examples && a.min == b.min && a.max == b.max;
}
bool operator==(const NodeLabel &a, const NodeLabel &b) { return a.label == b.label && a.properties == b.properties; }
bool operator==(const RelationshipType &a, const RelationshipType &b) {
    return a.type == b.type && a.fromLabel == b.fromLabel && a.toLabel == b.toLabel && a.properties == b.properties;
}
bool Schema::operator==(const Schema &o) const {
    return dbId == o.dbId && kind == o.kind && description == o.description && tables == o.tables &&
           foreignKeys == o.foreignKeys && nodes == o.nodes && relationships == o.relationships;
}

const char *schemaKindName(SchemaKind kind) { return kind == SchemaKind::Graph ? "graph" : "relational"; }

// ---- JSON writing ------------------------------------------------------------------------------

namespace {

json propertiesToJson(const std::vector<Property> &props) {
    json arr = json::array();
    for (const auto &p : props) {
        json j = {{"name", p.name}, {"type", p.type}};
        if (!p.examples.empty()) j["examples"] = p.examples;
        if (p.min) j["min"] = *p.min;
        if (p.max) j["max"] = *p.max;
        arr.push_back(std::move(j));
    }
    return arr;
}

}  // namespace

std::string schemaToJson(const Schema &s, int indent) {
    json j = {{"db_id", s.dbId}, {"kind", schemaKindName(s.kind)}};
    if (!s.description.empty()) j["description"] = s.description;
    if (s.kind == SchemaKind::Relational) {
        json tables = json::array();
        for (const auto &t : s.tables) {
            json cols = json::array();
            for (const auto &c : t.columns) {
                json cj = {{"name", c.name}, {"type", c.type}};
                if (!c.description.empty()) cj["description"] = c.description;
                if (c.primaryKey) cj["primary_key"] = true;
                if (!c.examples.empty()) cj["examples"] = c.examples;
                cols.push_back(std::move(cj));
            }
            json tj = {{"name", t.name}};
            if (!t.description.empty()) tj["description"] = t.description;
            tj["columns"] = std::move(cols);
            tables.push_back(std::move(tj));
        }
        j["tables"] = std::move(tables);
        json fks = json::array();
        for (const auto &f : s.foreignKeys)
            fks.push_back({{"from_table", f.fromTable},
                           {"from_column", f.fromColumn},
                           {"to_table", f.toTable},
                           {"to_column", f.toColumn}});
        j["foreign_keys"] = std::move(fks);
    } else {
        json nodes = json::array();
        for (const auto &n : s.nodes)
            nodes.push_back({{"label", n.label}, {"properties", propertiesToJson(n.properties)}});
        j["nodes"] = std::move(nodes);
        json rels = json::array();
        for (const auto &r : s.relationships)
            rels.push_back({{"type", r.type},
                            {"from", r.fromLabel},
                            {"to", r.toLabel},
                            {"properties", propertiesToJson(r.properties)}});
        j["relationships"] = std::move(rels);
    }
    return j.dump(indent);
}

// ---- JSON reading ------------------------------------------------------------------------------

namespace {

// Walks a JSON document keeping the path of the value it looks at, so that every error names the
// field: "tables[2].columns[0].name: expected a string, found number".
class JsonCursor {
public:
    JsonCursor(const json &value, std::string path) : value_(value), path_(std::move(path)) {}

    JsonCursor field(const char *key) const {
        requireType(json::value_t::object, "an object");
        auto it = value_.find(key);
        if (it == value_.end()) fail(childPath(key), "missing required field");
        return JsonCursor(*it, childPath(key));
    }
    bool has(const char *key) const { return value_.is_object() && value_.contains(key); }

    std::string string() const {
        if (!value_.is_string()) fail(path_, "expected a string, found " + typeName());
        return value_.get<std::string>();
    }
    std::string optionalString(const char *key) const { return has(key) ? field(key).string() : std::string(); }
    // Example values may be written as numbers or strings; the model keeps text.
    std::string scalarText() const {
        if (value_.is_string()) return value_.get<std::string>();
        if (value_.is_number() || value_.is_boolean()) return value_.dump();
        fail(path_, "expected a string or number, found " + typeName());
    }
    bool boolean() const {
        if (!value_.is_boolean()) fail(path_, "expected true or false, found " + typeName());
        return value_.get<bool>();
    }
    template <typename F> void forEach(F &&visit) const {
        requireType(json::value_t::array, "an array");
        for (std::size_t i = 0; i < value_.size(); ++i)
            visit(JsonCursor(value_[i], path_ + "[" + std::to_string(i) + "]"));
    }
    template <typename F> void forEachOptional(const char *key, F &&visit) const {
        if (has(key)) field(key).forEach(visit);
    }
    std::vector<std::string> stringList(const char *key) const {
        std::vector<std::string> out;
        forEachOptional(key, [&](const JsonCursor &c) { out.push_back(c.scalarText()); });
        return out;
    }
    [[noreturn]] void fail(const std::string &at, const std::string &what) const {
        throw FormatError((at.empty() ? std::string("(document)") : at) + ": " + what);
    }
    const std::string &path() const { return path_; }

private:
    std::string childPath(const char *key) const { return path_.empty() ? std::string(key) : path_ + "." + key; }
    std::string typeName() const { return value_.type_name(); }
    void requireType(json::value_t t, const char *what) const {
        if (value_.type() != t) fail(path_, std::string("expected ") + what + ", found " + typeName());
    }

    const json &value_;
    std::string path_;
};

std::vector<Property> readProperties(const JsonCursor &owner) {
    std::vector<Property> props;
    owner.forEachOptional("properties", [&](const JsonCursor &pc) {
        Property p;
        p.name = pc.field("name").string();
        p.type = pc.optionalString("type");
        p.examples = pc.stringList("examples");
        if (pc.has("min")) p.min = pc.field("min").scalarText();
        if (pc.has("max")) p.max = pc.field("max").scalarText();
        props.push_back(std::move(p));
    });
    return props;
}

}  // namespace

Schema schemaFromJson(const std::string &jsonText) {
    const json doc = parseJson(jsonText, "");  // the caller names the file
    JsonCursor root(doc, "");
    Schema s;
    s.dbId = root.field("db_id").string();
    if (s.dbId.empty()) root.fail("db_id", "must not be empty");
    const std::string kind = root.field("kind").string();
    if (kind == "relational")
        s.kind = SchemaKind::Relational;
    else if (kind == "graph")
        s.kind = SchemaKind::Graph;
    else
        root.fail("kind", "expected \"relational\" or \"graph\", found \"" + kind + "\"");
    s.description = root.optionalString("description");

    root.forEachOptional("tables", [&](const JsonCursor &tc) {
        Table t;
        t.name = tc.field("name").string();
        t.description = tc.optionalString("description");
        tc.forEachOptional("columns", [&](const JsonCursor &cc) {
            Column c;
            c.name = cc.field("name").string();
            c.type = cc.optionalString("type");
            c.description = cc.optionalString("description");
            if (cc.has("primary_key")) c.primaryKey = cc.field("primary_key").boolean();
            c.examples = cc.stringList("examples");
            t.columns.push_back(std::move(c));
        });
        s.tables.push_back(std::move(t));
    });
    root.forEachOptional("foreign_keys", [&](const JsonCursor &fc) {
        ForeignKey f{fc.field("from_table").string(), fc.field("from_column").string(), fc.field("to_table").string(),
                     fc.field("to_column").string()};
        for (const auto &[table, column, key] :
             {std::tuple{f.fromTable, f.fromColumn, "from"}, std::tuple{f.toTable, f.toColumn, "to"}}) {
            const Table *t = s.findTable(table);
            if (!t) fc.fail(fc.path() + "." + key + "_table", "no table named \"" + table + "\"");
            if (!t->findColumn(column))
                fc.fail(fc.path() + "." + key + "_column", "table \"" + table + "\" has no column \"" + column + "\"");
        }
        s.foreignKeys.push_back(std::move(f));
    });
    root.forEachOptional("nodes", [&](const JsonCursor &nc) {
        s.nodes.push_back({nc.field("label").string(), readProperties(nc)});
    });
    root.forEachOptional("relationships", [&](const JsonCursor &rc) {
        RelationshipType r;
        r.type = rc.field("type").string();
        r.fromLabel = rc.field("from").string();
        r.toLabel = rc.field("to").string();
        r.properties = readProperties(rc);
        s.relationships.push_back(std::move(r));
    });
    if (s.kind == SchemaKind::Relational && (!s.nodes.empty() || !s.relationships.empty()))
        root.fail("nodes", "a relational schema cannot have nodes or relationships");
    if (s.kind == SchemaKind::Graph && (!s.tables.empty() || !s.foreignKeys.empty()))
        root.fail("tables", "a graph schema cannot have tables or foreign keys");
    return s;
}

Schema loadSchemaFile(const std::string &path) {
    const std::string text = readTextFile(path);
    try {
        return schemaFromJson(text);
    } catch (...) {
        rethrowWithContext(path);
    }
}

}  // namespace momq
