// The built-in benchmark generator: data for each domain, the loading scripts of every engine, and
// parallel items from question families rendered into five dialects.
#include "momq/benchmark.h"

#include "domains.h"
#include "momq/error.h"
#include "momq/execution.h"
#include "momq/files.h"
#include "momq/importers.h"
#include "momq/schema.h"
#include "project/sqlite_db.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <set>

namespace momq {

namespace {

using namespace bench;
using nlohmann::json;

// ---- data ----------------------------------------------------------------------------------------

struct Row {
    std::vector<std::string> values;  // per attribute, as text
    std::vector<int> parents;  // per link of the domain: row index in its parent entity (-1: not this row's link)
};

struct EntityData {
    const EntitySpec *spec;
    std::vector<Row> rows;
    int attrIndex(const std::string &column) const {
        for (std::size_t i = 0; i < spec->attrs.size(); ++i)
            if (spec->attrs[i].column == column) return static_cast<int>(i);
        return -1;
    }
};

bool isNumeric(AttrKind k) { return k == AttrKind::Integer || k == AttrKind::Decimal; }

std::string makeValue(const AttrSpec &a, Rng &rng) {
    char buf[32];
    switch (a.kind) {
    case AttrKind::Category: return rng.pick(a.categories);
    case AttrKind::Integer: return std::to_string(rng.uniform(a.lo, a.hi));
    case AttrKind::Decimal: {
        const long cents = rng.uniform(a.lo, a.hi);
        std::snprintf(buf, sizeof buf, "%ld.%02ld", cents / 100, cents % 100);
        return buf;
    }
    case AttrKind::Date:
        std::snprintf(buf, sizeof buf, "%04ld-%02ld-%02ld", rng.uniform(a.lo, a.hi), rng.uniform(1, 12),
                      rng.uniform(1, 28));
        return buf;
    case AttrKind::Name: break;
    }
    return {};
}

std::vector<EntityData> generateData(const DomainSpec &domain, Rng &rng) {
    std::vector<EntityData> out;
    for (const auto &e : domain.entities) {
        EntityData data{&e, {}};
        std::vector<std::string> names;
        if (e.second.empty()) {
            names.assign(e.first.begin(), e.first.begin() + std::min<std::size_t>(e.count, e.first.size()));
        } else {
            for (const auto &a : e.first)
                for (const auto &b : e.second) names.push_back(a + " " + b);
            rng.shuffle(names);
            names.resize(std::min<std::size_t>(e.count, names.size()));
        }
        for (const auto &name : names) {
            Row row;
            row.values.push_back(name);
            for (std::size_t i = 1; i < e.attrs.size(); ++i) row.values.push_back(makeValue(e.attrs[i], rng));
            data.rows.push_back(std::move(row));
        }
        out.push_back(std::move(data));
    }
    // Every parent gets at least one child; the rest are spread at random.
    for (auto &entity : out)
        for (auto &row : entity.rows) row.parents.assign(domain.links.size(), -1);
    for (std::size_t l = 0; l < domain.links.size(); ++l) {
        const auto &link = domain.links[l];
        auto &children = out[link.child].rows;
        const int parents = static_cast<int>(out[link.parent].rows.size());
        for (std::size_t i = 0; i < children.size(); ++i)
            children[i].parents[l] = i < static_cast<std::size_t>(parents)
                                         ? static_cast<int>(i)
                                         : static_cast<int>(rng.uniform(0, parents - 1));
    }
    return out;
}

// ---- loading scripts and schemas -----------------------------------------------------------------

std::string sqlQuote(const std::string &s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

const char *sqlType(AttrKind k) {
    switch (k) {
    case AttrKind::Name: return "VARCHAR(80)";
    case AttrKind::Category: return "VARCHAR(40)";
    case AttrKind::Integer: return "INTEGER";
    case AttrKind::Decimal: return "DECIMAL(10,2)";
    case AttrKind::Date: return "DATE";
    }
    return "";
}

// The links whose child is entity `e`, by index in the domain.
std::vector<std::size_t> linksFrom(const DomainSpec &d, int e) {
    std::vector<std::size_t> out;
    for (std::size_t l = 0; l < d.links.size(); ++l)
        if (d.links[l].child == e) out.push_back(l);
    return out;
}

// Attribute indices in the table's column order.
std::vector<std::size_t> columnOrder(const EntitySpec &spec) {
    if (!spec.order.empty()) return spec.order;
    std::vector<std::size_t> order(spec.attrs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    return order;
}

// One statement per line; parents before children. The same text loads SQLite, PostgreSQL and
// MariaDB (DECIMAL and DATE are understood by all three).
std::string sqlScript(const DomainSpec &d, const std::vector<EntityData> &data) {
    std::string out;
    for (int e = static_cast<int>(d.entities.size()) - 1; e >= 0; --e) {
        const auto &spec = d.entities[e];
        const auto links = linksFrom(d, e);
        const auto order = columnOrder(spec);
        out += "CREATE TABLE " + spec.table + " (" + spec.key + " INTEGER PRIMARY KEY";
        for (auto i : order) out += ", " + spec.attrs[i].column + " " + sqlType(spec.attrs[i].kind) + " NOT NULL";
        for (auto l : links) out += ", " + d.links[l].fkColumn + " INTEGER NOT NULL";
        for (auto l : links)
            out += ", FOREIGN KEY (" + d.links[l].fkColumn + ") REFERENCES " + d.entities[d.links[l].parent].table +
                   " (" + d.entities[d.links[l].parent].key + ")";
        out += ");\n";
        out += "INSERT INTO " + spec.table + " (" + spec.key;
        for (auto i : order) out += ", " + spec.attrs[i].column;
        for (auto l : links) out += ", " + d.links[l].fkColumn;
        out += ") VALUES ";
        for (std::size_t r = 0; r < data[e].rows.size(); ++r) {
            const auto &row = data[e].rows[r];
            out += (r ? ", (" : "(") + std::to_string(r + 1);
            for (auto i : order)
                out += ", " + (isNumeric(spec.attrs[i].kind) ? row.values[i] : sqlQuote(row.values[i]));
            for (auto l : links) out += ", " + std::to_string(row.parents[l] + 1);
            out += ")";
        }
        out += ";\n";
    }
    return out;
}

std::string cypherMap(const EntitySpec &spec, const Row &row) {
    std::string out = "{";
    for (std::size_t i = 0; i < spec.attrs.size(); ++i)
        out += (i ? ", " : "") + spec.attrs[i].column + ": " +
               (isNumeric(spec.attrs[i].kind) ? row.values[i] : sqlQuote(row.values[i]));
    return out + "}";
}

// FalkorDB: an index on each label's name, one CREATE per label, one UNWIND per relationship type.
std::string cypherScript(const DomainSpec &d, const std::vector<EntityData> &data) {
    std::string out;
    for (std::size_t e = 0; e < d.entities.size(); ++e) {
        const auto &spec = d.entities[e];
        out += "CREATE INDEX FOR (n:" + spec.label + ") ON (n." + spec.attrs[0].column + ")\n";
        out += "CREATE ";
        for (std::size_t r = 0; r < data[e].rows.size(); ++r)
            out += (r ? ", (:" : "(:") + spec.label + " " + cypherMap(spec, data[e].rows[r]) + ")";
        out += "\n";
    }
    for (std::size_t li = 0; li < d.links.size(); ++li) {
        const auto &l = d.links[li];
        const auto &child = d.entities[l.child], &parent = d.entities[l.parent];
        out += "UNWIND [";
        for (std::size_t r = 0; r < data[l.child].rows.size(); ++r) {
            const auto &row = data[l.child].rows[r];
            out += (r ? ", [" : "[") + sqlQuote(row.values[0]) + ", " +
                   sqlQuote(data[l.parent].rows[row.parents[li]].values[0]) + "]";
        }
        out += "] AS pair MATCH (a:" + child.label + " {" + child.attrs[0].column + ": pair[0]}), (b:" + parent.label +
               " {" + parent.attrs[0].column + ": pair[1]}) CREATE (a)-[:" + l.edgeType + "]->(b)\n";
    }
    return out;
}

std::string ngqlQuote(const std::string &s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\\\"") : std::string(1, c);
    return out + "\"";
}

// For users with a NebulaGraph server: space, tags, edge types, indexes for LOOKUP and MATCH, data.
// CREATE SPACE takes effect after two heartbeats; the comment says so.
std::string ngqlScript(const DomainSpec &d, const std::vector<EntityData> &data) {
    const std::string space = d.name + "_graph";
    std::string out = "CREATE SPACE IF NOT EXISTS " + space + " (vid_type = FIXED_STRING(64));\n";
    out += "# wait two heartbeats (about 20 s) before the next statement\n";
    out += "USE " + space + ";\n";
    for (const auto &spec : d.entities) {
        out += "CREATE TAG IF NOT EXISTS " + spec.label + " (";
        for (std::size_t i = 0; i < spec.attrs.size(); ++i) {
            const auto k = spec.attrs[i].kind;
            out += (i ? ", " : "") + spec.attrs[i].column + " " +
                   (k == AttrKind::Integer   ? "int"
                    : k == AttrKind::Decimal ? "double"
                                             : "string");
        }
        out += ");\n";
    }
    for (const auto &l : d.links) out += "CREATE EDGE IF NOT EXISTS " + l.edgeType + " ();\n";
    for (const auto &spec : d.entities) {
        out += "CREATE TAG INDEX IF NOT EXISTS " + spec.table + "_all ON " + spec.label + " ();\n";
        for (const auto &a : spec.attrs)
            out += "CREATE TAG INDEX IF NOT EXISTS " + spec.table + "_" + a.column + " ON " + spec.label + " (" +
                   a.column + (isNumeric(a.kind) ? "" : "(64)") + ");\n";
    }
    out += "# wait two heartbeats, then rebuild the indexes\n";
    for (const auto &spec : d.entities) out += "REBUILD TAG INDEX " + spec.table + "_all;\n";
    for (std::size_t e = 0; e < d.entities.size(); ++e) {
        const auto &spec = d.entities[e];
        out += "INSERT VERTEX " + spec.label + " (";
        for (std::size_t i = 0; i < spec.attrs.size(); ++i) out += (i ? ", " : "") + spec.attrs[i].column;
        out += ") VALUES ";
        for (std::size_t r = 0; r < data[e].rows.size(); ++r) {
            out += (r ? ", " : "") + ngqlQuote(spec.table + "_" + std::to_string(r + 1)) + ":(";
            for (std::size_t i = 0; i < spec.attrs.size(); ++i)
                out += (i ? ", " : "") + (isNumeric(spec.attrs[i].kind) ? data[e].rows[r].values[i]
                                                                        : ngqlQuote(data[e].rows[r].values[i]));
            out += ")";
        }
        out += ";\n";
    }
    for (std::size_t li = 0; li < d.links.size(); ++li) {
        const auto &l = d.links[li];
        out += "INSERT EDGE " + l.edgeType + " () VALUES ";
        const auto &rows = data[l.child].rows;
        for (std::size_t r = 0; r < rows.size(); ++r)
            out += (r ? ", " : "") + ngqlQuote(d.entities[l.child].table + "_" + std::to_string(r + 1)) + "->" +
                   ngqlQuote(d.entities[l.parent].table + "_" + std::to_string(rows[r].parents[li] + 1)) + ":()";
        out += ";\n";
    }
    return out;
}

std::vector<std::string> distinctExamples(const EntityData &data, int attr, std::size_t n) {
    std::vector<std::string> out;
    for (const auto &row : data.rows) {
        if (out.size() == n) break;
        if (std::find(out.begin(), out.end(), row.values[attr]) == out.end()) out.push_back(row.values[attr]);
    }
    return out;
}

Schema relationalSchema(const DomainSpec &d, const std::vector<EntityData> &data) {
    Schema s;
    s.dbId = d.name;
    s.kind = SchemaKind::Relational;
    s.description = d.description;
    for (std::size_t e = 0; e < d.entities.size(); ++e) {
        const auto &spec = d.entities[e];
        Table t;
        t.name = spec.table;
        t.description = "one row per " + spec.en + (spec.glossZh ? " (" + spec.zh + ")" : "");
        const std::size_t shown = static_cast<std::size_t>(d.valueExamples);
        std::vector<std::string> keys = {"1", "2", "3"};
        keys.resize(std::min(keys.size(), shown));
        t.columns.push_back({spec.key, "INTEGER", "unique " + spec.en + " id", true, keys});
        for (auto i : columnOrder(spec))
            t.columns.push_back({spec.attrs[i].column, sqlType(spec.attrs[i].kind),
                                 !spec.attrs[i].described ? std::string()
                                 : spec.attrs[i].glossZh  ? spec.attrs[i].en + " / " + spec.attrs[i].zh
                                                          : spec.attrs[i].en,
                                 false, distinctExamples(data[e], static_cast<int>(i), shown)});
        for (auto l : linksFrom(d, static_cast<int>(e))) {
            const auto &link = d.links[l];
            const auto &parent = d.entities[link.parent];
            t.columns.push_back({link.fkColumn,
                                 "INTEGER",
                                 "the " + parent.en + " (" + parent.table + "." + parent.key + ")",
                                 false,
                                 {}});
            s.foreignKeys.push_back({spec.table, link.fkColumn, parent.table, parent.key});
        }
        s.tables.push_back(std::move(t));
    }
    return s;
}

Schema graphSchema(const DomainSpec &d, const std::vector<EntityData> &data) {
    Schema s;
    s.dbId = d.name + "_graph";
    s.kind = SchemaKind::Graph;
    s.description = d.description;
    for (std::size_t e = 0; e < d.entities.size(); ++e) {
        const auto &spec = d.entities[e];
        NodeLabel node{spec.label, {}};
        for (auto i : columnOrder(spec)) {
            const auto &a = spec.attrs[i];
            Property p;
            p.name = a.column;
            p.type = a.kind == AttrKind::Integer ? "INTEGER" : a.kind == AttrKind::Decimal ? "FLOAT" : "STRING";
            if (isNumeric(a.kind)) {
                auto cmp = [&](const Row &x, const Row &y) { return std::stod(x.values[i]) < std::stod(y.values[i]); };
                p.min = std::min_element(data[e].rows.begin(), data[e].rows.end(), cmp)->values[i];
                p.max = std::max_element(data[e].rows.begin(), data[e].rows.end(), cmp)->values[i];
            } else {
                p.examples = distinctExamples(data[e], static_cast<int>(i), static_cast<std::size_t>(d.valueExamples));
            }
            node.properties.push_back(std::move(p));
        }
        s.nodes.push_back(std::move(node));
    }
    for (const auto &l : d.links)
        s.relationships.push_back({l.edgeType, d.entities[l.child].label, d.entities[l.parent].label, {}});
    return s;
}

// ---- question families ---------------------------------------------------------------------------

// Per-dialect query arrays are indexed by momq::Dialect's order.
constexpr int MySql = static_cast<int>(Dialect::MySQL), Postgres = static_cast<int>(Dialect::PostgreSQL),
              Sqlite = static_cast<int>(Dialect::SQLite), Cypher = static_cast<int>(Dialect::Cypher),
              Ngql = static_cast<int>(Dialect::Ngql);
constexpr int DialectCount = kDialectCount;
const char *nameOf(int d) { return dialectName(static_cast<Dialect>(d)); }
bool isGraph(int d) { return dialectInfo(static_cast<Dialect>(d)).graph; }

struct Instance {
    std::string family;
    std::vector<std::string> en, zh;  // phrasings; one of each becomes an item
    std::array<std::string, DialectCount> query;
    std::string averageProbe;  // SQLite: the unrounded averages, ×100, to avoid rounding ties
};

using Words = std::vector<std::pair<std::string, std::string>>;

std::string fill(std::string text, const Words &words) {
    for (const auto &[key, value] : words) {
        const std::string token = "{" + key + "}";
        for (std::size_t at; (at = text.find(token)) != std::string::npos;) text.replace(at, token.size(), value);
    }
    return text;
}

// English articles follow the filled-in word: "a age" becomes "an age".
std::string fixArticles(std::string text) {
    for (std::size_t at = 0; (at = text.find(" a ", at)) != std::string::npos; ++at)
        if (at + 3 < text.size() && std::string("aeiouAEIOU").find(text[at + 3]) != std::string::npos)
            text.replace(at, 3, " an ");
    return text;
}

std::vector<std::string> fillAll(const std::vector<std::string> &templates, const Words &words) {
    std::vector<std::string> out;
    for (const auto &t : templates) out.push_back(fixArticles(fill(t, words)));
    return out;
}

std::string plural(const std::string &noun) {
    auto endsWith = [&](const char *tail) { return noun.ends_with(tail); };
    if (endsWith("y") && !endsWith("ay") && !endsWith("ey") && !endsWith("oy"))
        return noun.substr(0, noun.size() - 1) + "ies";
    if (endsWith("s") || endsWith("x") || endsWith("sh") || endsWith("ch")) return noun + "es";
    return noun + "s";
}

// Literal of an attribute value in a dialect.
std::string lit(int d, const AttrSpec &a, const std::string &v) {
    if (isNumeric(a.kind)) return v;
    return d == Ngql ? ngqlQuote(v) : sqlQuote(v);
}
// A node property: Cypher "n.age", nGQL "n.Player.age".
std::string prop(int d, const std::string &var, const EntitySpec &e, const std::string &column) {
    return d == Ngql ? var + "." + e.label + "." + column : var + "." + column;
}
std::string eqOp(int d) { return d == Ngql ? " == " : " = "; }

struct Aggregate {
    std::string sql, cypher, en, zh;
};
const std::vector<Aggregate> kAggregates = {{"MAX", "max", "highest", "最高"},
                                            {"MIN", "min", "lowest", "最低"},
                                            {"AVG", "avg", "average", "平均"},
                                            {"SUM", "sum", "total", "总"}};

// Rounded averages keep every engine's answer comparable (MariaDB gives AVG four decimals).
std::string sqlAggregate(const Aggregate &agg, const std::string &expr) {
    return agg.sql == "AVG" ? "ROUND(AVG(" + expr + "), 2)" : agg.sql + "(" + expr + ")";
}
std::string graphAggregate(int d, const Aggregate &agg, const std::string &expr) {
    if (agg.sql != "AVG") return agg.cypher + "(" + expr + ")";
    return d == Ngql ? "round(avg(" + expr + "), 2)" : "round(avg(" + expr + ") * 100) / 100.0";
}

// Sums of years make no sense; years are integers whose column says so.
bool isYear(const AttrSpec &a) {
    return a.isYear || a.column.find("year") != std::string::npos || a.column == "founded";
}

class FamilyBuilder {
public:
    FamilyBuilder(const DomainSpec &d, const std::vector<EntityData> &data, Rng &rng, std::size_t cap)
        : d_(d), data_(data), rng_(rng), cap_(cap) {}

    std::vector<Instance> build() {
        for (std::size_t e = 0; e < d_.entities.size(); ++e) singleEntity(static_cast<int>(e));
        for (const auto &l : d_.links) joins(l);
        if (d_.links.size() == 2 && d_.links[0].parent == d_.links[1].child) multiHop();
        std::vector<Instance> out;
        for (auto &[family, list] : families_) {
            rng_.shuffle(list);
            if (list.size() > cap_) list.resize(cap_);
            for (auto &i : list) out.push_back(std::move(i));
        }
        return out;
    }

private:
    const EntitySpec &entity(int e) const { return d_.entities[e]; }
    Words entityWords(int e, const std::string &prefix = "E") const {
        const auto &s = entity(e);
        return {{prefix + "s", s.enPlural},
                {prefix + "z", s.zh},
                {prefix, s.en},
                {prefix + "Ns", plural(s.attrs[0].en)},
                {prefix + "N", s.attrs[0].en},
                {prefix + "Nz", s.attrs[0].zh}};
    }
    static Words attrWords(const AttrSpec &a, const std::string &prefix = "A") {
        return {{prefix + "s", plural(a.en)}, {prefix + "z", a.zh}, {prefix, a.en}};
    }
    static Words concat(Words a, const Words &b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }
    void add(const std::string &family, const std::vector<std::string> &en, const std::vector<std::string> &zh,
             const Words &words, std::array<std::string, DialectCount> query, std::string averageProbe = {}) {
        families_[family].push_back(
            {family, fillAll(en, words), fillAll(zh, words), std::move(query), std::move(averageProbe)});
    }
    // A few distinct values of an attribute, from random rows.
    std::vector<std::string> sampleValues(int e, int attr, std::size_t n) {
        std::vector<std::string> out;
        for (std::size_t tries = 0; tries < 8 * n && out.size() < n; ++tries) {
            const auto &v = rng_.pick(data_[e].rows).values[attr];
            if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
        }
        return out;
    }
    std::vector<std::string> categoryValues(int e, int attr) const {
        std::set<std::string> seen;
        for (const auto &r : data_[e].rows) seen.insert(r.values[attr]);
        return {seen.begin(), seen.end()};
    }

    // Single-table templates, and their Cypher (MATCH) and nGQL (LOOKUP or MATCH) forms.
    void singleEntity(int e);
    void joins(const LinkSpec &l);
    void multiHop();

    const DomainSpec &d_;
    const std::vector<EntityData> &data_;
    Rng &rng_;
    std::size_t cap_;
    std::map<std::string, std::vector<Instance>> families_;
};

void FamilyBuilder::singleEntity(int e) {
    const auto &s = entity(e);
    const std::string t = s.table, L = s.label, name = s.attrs[0].column;
    const Words ew = entityWords(e);
    auto sqlSelect = [&](const std::string &what, const std::string &where, const std::string &tail = {}) {
        return "SELECT " + what + " FROM " + t + (where.empty() ? "" : " WHERE " + where) + tail;
    };
    auto lookupWhere = [&](const std::string &column, const std::string &op, const std::string &value) {
        return "LOOKUP ON " + L + " WHERE " + L + "." + column + " " + op + " " + value;
    };

    for (std::size_t ai = 1; ai < s.attrs.size(); ++ai) {
        const auto &a = s.attrs[ai];
        const int attr = static_cast<int>(ai);
        const Words aw = concat(ew, attrWords(a));
        if (isNumeric(a.kind)) {
            // filter by a threshold
            for (const auto &v : sampleValues(e, attr, 4))
                for (const bool above : {true, false}) {
                    const std::string op = above ? ">" : "<";
                    std::array<std::string, DialectCount> q;
                    for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect(name, a.column + " " + op + " " + v);
                    q[Cypher] = "MATCH (n:" + L + ") WHERE n." + a.column + " " + op + " " + v + " RETURN n." + name;
                    q[Ngql] = lookupWhere(a.column, op, v) + " YIELD properties(vertex)." + name + " AS " + name;
                    const Words w = concat(aw, {{"v", v}});
                    if (above)
                        add("filter_numeric",
                            {"Which {Es} have a {A} greater than {v}?",
                             "List the {ENs} of every {E} whose {A} is above {v}.", "Show {Es} with {A} over {v}."},
                            {"哪些{Ez}的{Az}大于{v}？", "列出{Az}超过{v}的{Ez}的{ENz}。"}, w, q);
                    else
                        add("filter_numeric",
                            {"Which {Es} have a {A} less than {v}?",
                             "List the {ENs} of every {E} whose {A} is below {v}.", "Show {Es} with {A} under {v}."},
                            {"哪些{Ez}的{Az}小于{v}？", "列出{Az}低于{v}的{Ez}的{ENz}。"}, w, q);
                }
            // a closed range
            {
                auto bounds = sampleValues(e, attr, 2);
                if (bounds.size() == 2) {
                    if (std::stod(bounds[0]) > std::stod(bounds[1])) std::swap(bounds[0], bounds[1]);
                    const std::string &lo = bounds[0], &hi = bounds[1];
                    std::array<std::string, DialectCount> q;
                    for (int d : {MySql, Postgres, Sqlite})
                        q[d] = sqlSelect(name, a.column + " BETWEEN " + lo + " AND " + hi);
                    q[Cypher] = "MATCH (n:" + L + ") WHERE n." + a.column + " >= " + lo + " AND n." + a.column +
                                " <= " + hi + " RETURN n." + name;
                    q[Ngql] = "LOOKUP ON " + L + " WHERE " + L + "." + a.column + " >= " + lo + " AND " + L + "." +
                              a.column + " <= " + hi + " YIELD properties(vertex)." + name + " AS " + name;
                    add("between",
                        {"Which {Es} have a {A} between {lo} and {hi}?",
                         "List the {ENs} of {Es} whose {A} is from {lo} to {hi}."},
                        {"哪些{Ez}的{Az}在{lo}到{hi}之间？", "列出{Az}介于{lo}和{hi}之间的{Ez}的{ENz}。"},
                        concat(aw, {{"lo", lo}, {"hi", hi}}), q);
                }
            }
            // aggregates over all rows, and over one category
            for (const auto &agg : kAggregates) {
                if (agg.sql == "SUM" && isYear(a)) continue;
                std::array<std::string, DialectCount> q;
                for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect(sqlAggregate(agg, a.column), "");
                q[Cypher] = "MATCH (n:" + L + ") RETURN " + graphAggregate(Cypher, agg, "n." + a.column);
                q[Ngql] = "MATCH (n:" + L + ") RETURN " + graphAggregate(Ngql, agg, prop(Ngql, "n", s, a.column));
                const Words w = concat(aw, {{"fn", agg.en}, {"fnz", agg.zh}});
                const std::string probe = agg.sql == "AVG" ? sqlSelect("AVG(" + a.column + ") * 100", "") : "";
                add("aggregate", {"What is the {fn} {A} of all {Es}?", "Find the {fn} {A} among {Es}."},
                    {"{Ez}的{fnz}{Az}是多少？", "求所有{Ez}的{fnz}{Az}。"}, w, q, probe);
                for (std::size_t fi = 1; fi < s.attrs.size(); ++fi) {
                    const auto &f = s.attrs[fi];
                    if (f.kind != AttrKind::Category) continue;
                    for (const auto &fv : categoryValues(e, static_cast<int>(fi))) {
                        std::array<std::string, DialectCount> fq;
                        const std::string where = f.column + " = " + sqlQuote(fv);
                        for (int d : {MySql, Postgres, Sqlite}) fq[d] = sqlSelect(sqlAggregate(agg, a.column), where);
                        fq[Cypher] = "MATCH (n:" + L + ") WHERE n." + f.column + " = " + sqlQuote(fv) + " RETURN " +
                                     graphAggregate(Cypher, agg, "n." + a.column);
                        fq[Ngql] = "MATCH (n:" + L + ") WHERE " + prop(Ngql, "n", s, f.column) +
                                   " == " + ngqlQuote(fv) + " RETURN " +
                                   graphAggregate(Ngql, agg, prop(Ngql, "n", s, a.column));
                        const Words fw = concat(concat(w, attrWords(f, "F")), {{"v", fv}});
                        add("aggregate",
                            {"What is the {fn} {A} among {Es} whose {F} is {v}?",
                             "For {Es} with {F} {v}, what is the {fn} {A}?"},
                            {"{Fz}为“{v}”的{Ez}的{fnz}{Az}是多少？", "求{Fz}是{v}的{Ez}的{fnz}{Az}。"}, fw, fq,
                            agg.sql == "AVG" ? sqlSelect("AVG(" + a.column + ") * 100", where) : "");
                    }
                }
            }
            // nested: above or below the average, equal to the extreme
            for (const bool above : {true, false}) {
                const std::string op = above ? ">" : "<";
                std::array<std::string, DialectCount> q;
                for (int d : {MySql, Postgres, Sqlite})
                    q[d] = sqlSelect(name, a.column + " " + op + " (SELECT AVG(" + a.column + ") FROM " + t + ")");
                for (int d : {Cypher, Ngql})
                    q[d] = "MATCH (n:" + L + ") WITH avg(" + prop(d, "n", s, a.column) + ") AS average MATCH (m:" + L +
                           ") WHERE " + prop(d, "m", s, a.column) + " " + op + " average RETURN " +
                           prop(d, "m", s, name) + (d == Ngql ? " AS " + name : "");
                if (above)
                    add("nested_average",
                        {"Which {Es} have a {A} above the average?",
                         "List {Es} whose {A} is higher than the average {A} of all {Es}."},
                        {"哪些{Ez}的{Az}高于平均值？", "列出{Az}高于所有{Ez}平均{Az}的{Ez}。"}, aw, q);
                else
                    add("nested_average",
                        {"Which {Es} have a {A} below the average?",
                         "List {Es} whose {A} is lower than the average {A} of all {Es}."},
                        {"哪些{Ez}的{Az}低于平均值？", "列出{Az}低于所有{Ez}平均{Az}的{Ez}。"}, aw, q);
                const std::string fn = above ? "MAX" : "MIN";
                std::array<std::string, DialectCount> x;
                for (int d : {MySql, Postgres, Sqlite})
                    x[d] = sqlSelect(name, a.column + " = (SELECT " + fn + "(" + a.column + ") FROM " + t + ")");
                for (int d : {Cypher, Ngql})
                    x[d] = "MATCH (n:" + L + ") WITH " + (above ? "max(" : "min(") + prop(d, "n", s, a.column) +
                           ") AS extreme MATCH (m:" + L + ") WHERE " + prop(d, "m", s, a.column) + eqOp(d) +
                           "extreme RETURN " + prop(d, "m", s, name) + (d == Ngql ? " AS " + name : "");
                const Words xw =
                    concat(aw, {{"x", above ? "maximum" : "minimum"}, {"xz", above ? "最大值" : "最小值"}});
                add("nested_extreme", {"List all {Es} whose {A} equals the {x} {A}.", "Which {Es} share the {x} {A}?"},
                    {"{Az}等于{xz}的{Ez}有哪些？", "找出{Az}为{xz}的所有{Ez}。"}, xw, x);
            }
        }
        if (isNumeric(a.kind) || a.kind == AttrKind::Date) {
            // top k
            for (const int k : {1, 3, 5})
                for (const bool desc : {true, false}) {
                    const std::string dir = desc ? " DESC" : " ASC";
                    std::array<std::string, DialectCount> q;
                    for (int d : {MySql, Postgres, Sqlite})
                        q[d] = sqlSelect(name, "",
                                         " ORDER BY " + a.column + dir + ", " + name + " LIMIT " + std::to_string(k));
                    q[Cypher] = "MATCH (n:" + L + ") RETURN n." + name + " ORDER BY n." + a.column + dir + ", n." +
                                name + " LIMIT " + std::to_string(k);
                    q[Ngql] = "LOOKUP ON " + L + " YIELD properties(vertex)." + name + " AS " + name +
                              ", properties(vertex)." + a.column + " AS " + a.column + " | ORDER BY $-." + a.column +
                              dir + ", $-." + name + " | LIMIT " + std::to_string(k) + " | YIELD $-." + name + " AS " +
                              name;
                    const bool isDate = a.kind == AttrKind::Date;
                    const std::string most = isDate ? (desc ? "latest" : "earliest") : (desc ? "highest" : "lowest");
                    const std::string mostZh = isDate ? (desc ? "最晚" : "最早") : (desc ? "最高" : "最低");
                    const Words w = concat(aw, {{"k", std::to_string(k)}, {"m", most}, {"mz", mostZh}});
                    if (k == 1)
                        add("top_k", {"Which {E} has the {m} {A}?", "Name the {E} with the {m} {A}."},
                            {"{Az}{mz}的{Ez}是哪个？", "哪个{Ez}的{Az}{mz}？"}, w, q);
                    else
                        add("top_k", {"Which {k} {Es} have the {m} {A}?", "List the {k} {Es} with the {m} {A}."},
                            {"{Az}{mz}的{k}个{Ez}是哪些？", "列出{Az}{mz}的前{k}个{Ez}。"}, w, q);
                }
        }
        if (a.kind == AttrKind::Category) {
            const auto values = categoryValues(e, attr);
            std::map<std::string, int> counts;
            for (const auto &r : data_[e].rows) ++counts[r.values[attr]];
            for (const auto &v : values) {
                const Words w = concat(aw, {{"v", v}});
                const std::string where = a.column + " = " + sqlQuote(v);
                std::array<std::string, DialectCount> q;
                for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect(name, where);
                q[Cypher] = "MATCH (n:" + L + ") WHERE n." + where + " RETURN n." + name;
                q[Ngql] =
                    lookupWhere(a.column, "==", ngqlQuote(v)) + " YIELD properties(vertex)." + name + " AS " + name;
                add("filter_category",
                    {"Which {Es} have {A} {v}?", "List the {ENs} of all {Es} whose {A} is {v}.",
                     "Find the {Es} with the {A} {v}."},
                    {"{Az}为“{v}”的{Ez}有哪些？", "列出所有{Az}是{v}的{Ez}的{ENz}。"}, w, q);
                std::array<std::string, DialectCount> c;
                for (int d : {MySql, Postgres, Sqlite}) c[d] = sqlSelect("COUNT(*)", where);
                c[Cypher] = "MATCH (n:" + L + ") WHERE n." + where + " RETURN count(n)";
                c[Ngql] =
                    lookupWhere(a.column, "==", ngqlQuote(v)) + " YIELD id(vertex) AS vid | YIELD count(*) AS count";
                add("count",
                    {"How many {Es} have {A} {v}?", "Count the {Es} whose {A} is {v}.",
                     "What is the number of {Es} with the {A} {v}?"},
                    {"{Az}为“{v}”的{Ez}有多少个？", "统计{Az}是{v}的{Ez}数量。"}, w, c);
                // with a second, numeric column: plain and ordered
                for (std::size_t bi = 1; bi < s.attrs.size(); ++bi) {
                    const auto &b = s.attrs[bi];
                    if (!isNumeric(b.kind)) continue;
                    const Words bw = concat(w, attrWords(b, "B"));
                    std::array<std::string, DialectCount> p;
                    for (int d : {MySql, Postgres, Sqlite}) p[d] = sqlSelect(name + ", " + b.column, where);
                    p[Cypher] = "MATCH (n:" + L + ") WHERE n." + where + " RETURN n." + name + ", n." + b.column;
                    p[Ngql] = lookupWhere(a.column, "==", ngqlQuote(v)) + " YIELD properties(vertex)." + name + " AS " +
                              name + ", properties(vertex)." + b.column + " AS " + b.column;
                    add("select_columns",
                        {"Show the {ENs} and {B} of {Es} whose {A} is {v}.",
                         "For {Es} with {A} {v}, list their {ENs} and {B}."},
                        {"列出{Az}为“{v}”的{Ez}的{ENz}和{Bz}。", "{Az}是{v}的{Ez}的{ENz}和{Bz}分别是什么？"}, bw, p);
                    for (const bool desc : {true, false}) {
                        const std::string dir = desc ? " DESC" : " ASC";
                        std::array<std::string, DialectCount> o;
                        for (int d : {MySql, Postgres, Sqlite})
                            o[d] =
                                sqlSelect(name + ", " + b.column, where, " ORDER BY " + b.column + dir + ", " + name);
                        o[Cypher] = p[Cypher] + " ORDER BY n." + b.column + dir + ", n." + name;
                        o[Ngql] = p[Ngql] + " | ORDER BY $-." + b.column + dir + ", $-." + name;
                        const Words ow = concat(bw, {{"o", desc ? "from highest to lowest" : "from lowest to highest"},
                                                     {"oz", desc ? "从高到低" : "从低到高"}});
                        add("order_by",
                            {"List the {ENs} and {B} of {Es} whose {A} is {v}, {o} {B}.",
                             "Show {Es} with {A} {v} and their {B}, sorted {o}."},
                            {"列出{Az}为“{v}”的{Ez}的{ENz}和{Bz}，按{Bz}{oz}排序。",
                             "按{Bz}{oz}显示{Az}是{v}的{Ez}及其{Bz}。"},
                            ow, o);
                    }
                }
            }
            // distinct values
            {
                std::array<std::string, DialectCount> q;
                for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect("COUNT(DISTINCT " + a.column + ")", "");
                q[Cypher] = "MATCH (n:" + L + ") RETURN count(DISTINCT n." + a.column + ")";
                q[Ngql] = "LOOKUP ON " + L + " YIELD properties(vertex)." + a.column + " AS " + a.column +
                          " | YIELD count(DISTINCT $-." + a.column + ") AS count";
                add("count_distinct",
                    {"How many different {As} do the {Es} have?", "Count the distinct {As} among all {Es}."},
                    {"{Ez}共有多少种不同的{Az}？", "统计{Ez}的不同{Az}的数量。"}, aw, q);
            }
            // grouping
            std::array<std::string, DialectCount> g;
            for (int d : {MySql, Postgres, Sqlite})
                g[d] = sqlSelect(a.column + ", COUNT(*)", "", " GROUP BY " + a.column);
            g[Cypher] = "MATCH (n:" + L + ") RETURN n." + a.column + ", count(*)";
            g[Ngql] = "LOOKUP ON " + L + " YIELD properties(vertex)." + a.column + " AS " + a.column +
                      " | GROUP BY $-." + a.column + " YIELD $-." + a.column + " AS " + a.column +
                      ", count(*) AS count";
            add("group_count",
                {"How many {Es} are there for each {A}?", "Count the {Es} per {A}.",
                 "Show each {A} with its number of {Es}."},
                {"每种{Az}各有多少个{Ez}？", "按{Az}统计{Ez}的数量。"}, aw, g);
            for (std::size_t bi = 1; bi < s.attrs.size(); ++bi) {
                const auto &b = s.attrs[bi];
                if (!isNumeric(b.kind)) continue;
                for (const auto &agg : kAggregates) {
                    if (agg.sql == "SUM") continue;
                    std::array<std::string, DialectCount> q;
                    for (int d : {MySql, Postgres, Sqlite})
                        q[d] = sqlSelect(a.column + ", " + sqlAggregate(agg, b.column), "", " GROUP BY " + a.column);
                    q[Cypher] = "MATCH (n:" + L + ") RETURN n." + a.column + ", " +
                                graphAggregate(Cypher, agg, "n." + b.column);
                    q[Ngql] = "MATCH (n:" + L + ") RETURN " + prop(Ngql, "n", s, a.column) + " AS " + a.column + ", " +
                              graphAggregate(Ngql, agg, prop(Ngql, "n", s, b.column)) + " AS value";
                    const Words w = concat(concat(aw, attrWords(b, "B")), {{"fn", agg.en}, {"fnz", agg.zh}});
                    add("group_aggregate",
                        {"What is the {fn} {B} of {Es} for each {A}?", "For every {A}, show the {fn} {B} of its {Es}."},
                        {"每种{Az}的{Ez}的{fnz}{Bz}是多少？", "按{Az}分组，列出{Ez}的{fnz}{Bz}。"}, w, q,
                        agg.sql == "AVG" ? sqlSelect("AVG(" + b.column + ") * 100", "", " GROUP BY " + a.column) : "");
                }
            }
            // HAVING: thresholds from the real group sizes, so some groups pass and some need not
            std::set<int> sizes;
            for (const auto &[v, n] : counts) sizes.insert(n - 1);
            for (const int k : sizes) {
                if (k < 1) continue;
                std::array<std::string, DialectCount> q;
                for (int d : {MySql, Postgres, Sqlite})
                    q[d] = sqlSelect(a.column, "", " GROUP BY " + a.column + " HAVING COUNT(*) > " + std::to_string(k));
                q[Cypher] = "MATCH (n:" + L + ") WITH n." + a.column + " AS " + a.column +
                            ", count(*) AS total WHERE total > " + std::to_string(k) + " RETURN " + a.column;
                q[Ngql] = "LOOKUP ON " + L + " YIELD properties(vertex)." + a.column + " AS " + a.column +
                          " | GROUP BY $-." + a.column + " YIELD $-." + a.column + " AS " + a.column +
                          ", count(*) AS total | YIELD $-." + a.column + " AS " + a.column + " WHERE $-.total > " +
                          std::to_string(k);
                add("having", {"Which {As} have more than {k} {Es}?", "List every {A} shared by more than {k} {Es}."},
                    {"哪些{Az}的{Ez}数量超过{k}个？", "列出拥有{k}个以上{Ez}的{Az}。"},
                    concat(aw, {{"k", std::to_string(k)}}), q);
            }
        }
        if (a.kind == AttrKind::Date) {
            std::set<std::string> years;
            for (const auto &r : data_[e].rows) years.insert(r.values[attr].substr(0, 4));
            for (const auto &y : years) {
                std::array<std::string, DialectCount> q, c;
                const std::array<std::string, 3> where = {"YEAR(" + a.column + ") = " + y,
                                                          "EXTRACT(YEAR FROM " + a.column + ") = " + y,
                                                          "strftime('%Y', " + a.column + ") = '" + y + "'"};
                for (int d : {MySql, Postgres, Sqlite}) {
                    q[d] = sqlSelect(name, where[d]);
                    c[d] = sqlSelect("COUNT(*)", where[d]);
                }
                for (int d : {Cypher, Ngql}) {
                    const std::string m = "MATCH (n:" + L + ") WHERE " + prop(d, "n", s, a.column) + " STARTS WITH " +
                                          lit(d, s.attrs[0], y);
                    q[d] = m + " RETURN " + prop(d, "n", s, name) + (d == Ngql ? " AS " + name : "");
                    c[d] = m + " RETURN count(n)";
                }
                const Words w = concat(aw, {{"y", y}});
                add("date_year", {"Which {Es} have a {A} in {y}?", "List the {Es} whose {A} falls in the year {y}."},
                    {"哪些{Ez}的{Az}在{y}年？", "列出{Az}在{y}年的{Ez}。"}, w, q);
                add("date_year", {"How many {Es} have a {A} in {y}?", "Count the {Es} with a {A} during {y}."},
                    {"{Az}在{y}年的{Ez}有多少个？", "统计{y}年{Az}的{Ez}数量。"}, w, c);
            }
            for (const auto &v : sampleValues(e, attr, 6))
                for (const bool after : {true, false}) {
                    const std::string op = after ? ">" : "<";
                    std::array<std::string, DialectCount> q;
                    for (int d : {MySql, Postgres, Sqlite})
                        q[d] = sqlSelect(name, a.column + " " + op + " " + sqlQuote(v));
                    for (int d : {Cypher, Ngql})
                        q[d] = "MATCH (n:" + L + ") WHERE " + prop(d, "n", s, a.column) + " " + op + " " +
                               lit(d, a, v) + " RETURN " + prop(d, "n", s, name) + (d == Ngql ? " AS " + name : "");
                    const Words w =
                        concat(aw, {{"v", v}, {"r", after ? "after" : "before"}, {"rz", after ? "晚于" : "早于"}});
                    add("date_range", {"Which {Es} have a {A} {r} {v}?", "List {Es} whose {A} is {r} {v}."},
                        {"哪些{Ez}的{Az}{rz}{v}？", "列出{Az}{rz}{v}的{Ez}。"}, w, q);
                }
        }
    }

    // count of all rows
    {
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect("COUNT(*)", "");
        q[Cypher] = "MATCH (n:" + L + ") RETURN count(n)";
        q[Ngql] = "LOOKUP ON " + L + " YIELD id(vertex) AS vid | YIELD count(*) AS count";
        add("count", {"How many {Es} are there?", "Count all {Es}."}, {"一共有多少个{Ez}？", "统计{Ez}的总数。"}, ew,
            q);
    }

    // string matching on the name: prefixes and fragments whose matches do not depend on case, so
    // case-insensitive LIKE (MariaDB, SQLite) and case-sensitive LIKE/STARTS WITH agree
    auto lower = [](std::string x) {
        for (auto &c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return x;
    };
    auto caseBlind = [&](const std::string &fragment, bool prefix) {
        for (const auto &r : data_[e].rows) {
            const auto &v = r.values[0];
            const bool sensitive = prefix ? v.rfind(fragment, 0) == 0 : v.find(fragment) != std::string::npos;
            const bool blind =
                prefix ? lower(v).rfind(lower(fragment), 0) == 0 : lower(v).find(lower(fragment)) != std::string::npos;
            if (sensitive != blind) return false;
        }
        return true;
    };
    std::set<std::string> prefixes, fragments;
    for (const auto &r : data_[e].rows) {
        const auto &v = r.values[0];
        for (std::size_t n : {1, 2})
            if (v.size() > n && std::isalpha(static_cast<unsigned char>(v[n - 1])) && caseBlind(v.substr(0, n), true))
                prefixes.insert(v.substr(0, n));
        if (v.size() > 4) {
            const std::size_t at = 1 + rng_.next() % (v.size() - 4);
            const auto f = v.substr(at, 3);
            if (f.find(' ') == std::string::npos && caseBlind(f, false)) fragments.insert(f);
        }
    }
    for (const auto &p : prefixes) {
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect(name, name + " LIKE " + sqlQuote(p + "%"));
        for (int d : {Cypher, Ngql})
            q[d] = "MATCH (n:" + L + ") WHERE " + prop(d, "n", s, name) + " STARTS WITH " + lit(d, s.attrs[0], p) +
                   " RETURN " + prop(d, "n", s, name) + (d == Ngql ? " AS " + name : "");
        add("string_match", {"Which {Es} have a {EN} starting with \"{v}\"?", "List {Es} whose {EN} begins with {v}."},
            {"{ENz}以“{v}”开头的{Ez}有哪些？", "列出{ENz}以{v}开头的{Ez}。"}, concat(ew, {{"v", p}}), q);
    }
    for (const auto &f : fragments) {
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite}) q[d] = sqlSelect(name, name + " LIKE " + sqlQuote("%" + f + "%"));
        for (int d : {Cypher, Ngql})
            q[d] = "MATCH (n:" + L + ") WHERE " + prop(d, "n", s, name) + " CONTAINS " + lit(d, s.attrs[0], f) +
                   " RETURN " + prop(d, "n", s, name) + (d == Ngql ? " AS " + name : "");
        add("string_match", {"Which {Es} have \"{v}\" in their {EN}?", "Find {Es} whose {EN} contains {v}."},
            {"{ENz}包含“{v}”的{Ez}有哪些？", "找出{ENz}中含有{v}的{Ez}。"}, concat(ew, {{"v", f}}), q);
    }
}

void FamilyBuilder::joins(const LinkSpec &l) {
    const auto &c = entity(l.child), &p = entity(l.parent);
    const std::string cn = c.attrs[0].column, pn = p.attrs[0].column;
    const std::string from =
        " FROM " + c.table + " AS T1 JOIN " + p.table + " AS T2 ON T1." + l.fkColumn + " = T2." + p.key;
    auto match = [&](int) { return "MATCH (a:" + c.label + ")-[:" + l.edgeType + "]->(b:" + p.label + ")"; };
    auto ret = [&](int d, const std::string &var, const EntitySpec &e, const std::string &col) {
        return prop(d, var, e, col) + (d == Ngql ? " AS " + col : "");
    };
    const Words w = concat(concat(entityWords(l.child, "C"), entityWords(l.parent, "P")), {{"V", l.en}, {"Vz", l.zh}});

    for (const auto &pr : data_[l.parent].rows) {
        const auto &v = pr.values[0];
        const Words vw = concat(w, {{"v", v}});
        std::array<std::string, DialectCount> q, n;
        for (int d : {MySql, Postgres, Sqlite}) {
            q[d] = "SELECT T1." + cn + from + " WHERE T2." + pn + " = " + sqlQuote(v);
            n[d] = "SELECT COUNT(*)" + from + " WHERE T2." + pn + " = " + sqlQuote(v);
        }
        for (int d : {Cypher, Ngql}) {
            const std::string m = match(d) + " WHERE " + prop(d, "b", p, pn) + eqOp(d) + lit(d, p.attrs[0], v);
            q[d] = m + " RETURN " + ret(d, "a", c, cn);
            n[d] = m + " RETURN count(a)";
        }
        add("join", {"Which {Cs} {V} the {P} {v}?", "List the {CNs} of {Cs} that {V} the {P} named {v}."},
            {"哪些{Cz}{Vz}{Pz}“{v}”？", "列出{Vz}{Pz}“{v}”的{Cz}的{CNz}。"}, vw, q);
        add("join_count", {"How many {Cs} {V} the {P} {v}?", "Count the {Cs} that {V} the {P} {v}."},
            {"{Vz}{Pz}“{v}”的{Cz}有多少个？", "统计{Vz}{Pz}“{v}”的{Cz}数量。"}, vw, n);
        for (std::size_t ai = 1; ai < c.attrs.size(); ++ai) {
            const auto &a = c.attrs[ai];
            if (!isNumeric(a.kind)) continue;
            for (const auto &agg : kAggregates) {
                if (agg.sql == "SUM") continue;
                std::array<std::string, DialectCount> g;
                for (int d : {MySql, Postgres, Sqlite})
                    g[d] = "SELECT " + sqlAggregate(agg, "T1." + a.column) + from + " WHERE T2." + pn + " = " +
                           sqlQuote(v);
                for (int d : {Cypher, Ngql})
                    g[d] = match(d) + " WHERE " + prop(d, "b", p, pn) + eqOp(d) + lit(d, p.attrs[0], v) + " RETURN " +
                           graphAggregate(d, agg, prop(d, "a", c, a.column));
                add("join_aggregate",
                    {"What is the {fn} {A} of the {Cs} that {V} the {P} {v}?",
                     "Among {Cs} that {V} the {P} {v}, find the {fn} {A}."},
                    {"{Vz}{Pz}“{v}”的{Cz}的{fnz}{Az}是多少？", "求{Vz}{Pz}“{v}”的{Cz}中{fnz}的{Az}。"},
                    concat(concat(vw, attrWords(a)), {{"fn", agg.en}, {"fnz", agg.zh}}), g,
                    agg.sql == "AVG"
                        ? "SELECT AVG(T1." + a.column + ") * 100" + from + " WHERE T2." + pn + " = " + sqlQuote(v)
                        : "");
            }
        }
        // distinct categories among the children
        for (std::size_t ai = 1; ai < c.attrs.size(); ++ai) {
            const auto &a = c.attrs[ai];
            if (a.kind != AttrKind::Category) continue;
            std::array<std::string, DialectCount> g;
            for (int d : {MySql, Postgres, Sqlite})
                g[d] = "SELECT DISTINCT T1." + a.column + from + " WHERE T2." + pn + " = " + sqlQuote(v);
            for (int d : {Cypher, Ngql})
                g[d] = match(d) + " WHERE " + prop(d, "b", p, pn) + eqOp(d) + lit(d, p.attrs[0], v) +
                       " RETURN DISTINCT " + ret(d, "a", c, a.column);
            add("distinct",
                {"What different {As} do the {Cs} that {V} the {P} {v} have?",
                 "List the distinct {As} of {Cs} that {V} the {P} {v}."},
                {"{Vz}{Pz}“{v}”的{Cz}有哪些不同的{Az}？", "列出{Vz}{Pz}“{v}”的{Cz}的不同{Az}。"},
                concat(vw, attrWords(a)), g);
        }
    }
    for (const auto &cr : data_[l.child].rows) {
        const auto &v = cr.values[0];
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite})
            q[d] = "SELECT T2." + pn + from + " WHERE T1." + cn + " = " + sqlQuote(v);
        for (int d : {Cypher, Ngql})
            q[d] = match(d) + " WHERE " + prop(d, "a", c, cn) + eqOp(d) + lit(d, c.attrs[0], v) + " RETURN " +
                   ret(d, "b", p, pn);
        add("join_lookup", {"What is the {P} of the {C} {v}?", "Find the {P} that the {C} {v} belongs to."},
            {"{Cz}“{v}”的{Pz}是哪个？", "{Cz}“{v}”属于哪个{Pz}？"}, concat(w, {{"v", v}}), q);
    }
    // parent categories
    for (std::size_t fi = 1; fi < p.attrs.size(); ++fi) {
        const auto &f = p.attrs[fi];
        if (f.kind != AttrKind::Category) continue;
        for (const auto &v : categoryValues(l.parent, static_cast<int>(fi))) {
            std::array<std::string, DialectCount> q;
            for (int d : {MySql, Postgres, Sqlite})
                q[d] = "SELECT T1." + cn + from + " WHERE T2." + f.column + " = " + sqlQuote(v);
            for (int d : {Cypher, Ngql})
                q[d] = match(d) + " WHERE " + prop(d, "b", p, f.column) + eqOp(d) + lit(d, f, v) + " RETURN " +
                       ret(d, "a", c, cn);
            add("join", {"Which {Cs} {V} a {P} whose {F} is {v}?", "List the {CNs} of {Cs} whose {P} has {F} {v}."},
                {"哪些{Cz}{Vz}{Fz}为“{v}”的{Pz}？", "列出所属{Pz}的{Fz}是{v}的{Cz}。"},
                concat(concat(w, attrWords(f, "F")), {{"v", v}}), q);
        }
    }
    // per-parent counts
    {
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite}) q[d] = "SELECT T2." + pn + ", COUNT(*)" + from + " GROUP BY T2." + pn;
        for (int d : {Cypher, Ngql})
            q[d] = match(d) + " RETURN " + ret(d, "b", p, pn) + ", count(a)" + (d == Ngql ? " AS count" : "");
        add("join_group", {"How many {Cs} {V} each {P}?", "For each {P}, count the {Cs} that {V} it."},
            {"每个{Pz}各有多少{Cz}？", "统计每个{Pz}的{Cz}数量。"}, w, q);
    }
    // nested IN: parents with a child above a threshold
    for (std::size_t ai = 1; ai < c.attrs.size(); ++ai) {
        const auto &a = c.attrs[ai];
        if (!isNumeric(a.kind)) continue;
        for (const auto &v : sampleValues(l.child, static_cast<int>(ai), 4)) {
            std::array<std::string, DialectCount> q;
            for (int d : {MySql, Postgres, Sqlite})
                q[d] = "SELECT " + pn + " FROM " + p.table + " WHERE " + p.key + " IN (SELECT " + l.fkColumn +
                       " FROM " + c.table + " WHERE " + a.column + " > " + v + ")";
            for (int d : {Cypher, Ngql})
                q[d] = match(d) + " WHERE " + prop(d, "a", c, a.column) + " > " + v + " RETURN DISTINCT " +
                       ret(d, "b", p, pn);
            add("nested_in",
                {"Which {Ps} have at least one {C} with {A} above {v}?",
                 "List the {PNs} of {Ps} that have a {C} whose {A} is greater than {v}."},
                {"哪些{Pz}拥有{Az}大于{v}的{Cz}？", "列出存在{Az}超过{v}的{Cz}的{Pz}。"},
                concat(concat(w, attrWords(a)), {{"v", v}}), q);
        }
    }
}

void FamilyBuilder::multiHop() {
    const auto &l0 = d_.links[0], &l1 = d_.links[1];
    const auto &c = entity(0), &p = entity(1), &g = entity(2);
    const std::string cn = c.attrs[0].column, gn = g.attrs[0].column;
    const std::string from = " FROM " + c.table + " AS T1 JOIN " + p.table + " AS T2 ON T1." + l0.fkColumn + " = T2." +
                             p.key + " JOIN " + g.table + " AS T3 ON T2." + l1.fkColumn + " = T3." + g.key;
    auto match = [&](int) {
        return "MATCH (a:" + c.label + ")-[:" + l0.edgeType + "]->(b:" + p.label + ")-[:" + l1.edgeType +
               "]->(c:" + g.label + ")";
    };
    auto ret = [&](int d, const std::string &var, const EntitySpec &e, const std::string &col) {
        return prop(d, var, e, col) + (d == Ngql ? " AS " + col : "");
    };
    const Words w = concat(concat(entityWords(0, "C"), entityWords(1, "P")),
                           concat(entityWords(2, "G"), {{"W", l1.en}, {"Wz", l1.zh}}));
    for (const auto &gr : data_[2].rows) {
        const auto &v = gr.values[0];
        std::array<std::string, DialectCount> q, n;
        for (int d : {MySql, Postgres, Sqlite}) {
            q[d] = "SELECT T1." + cn + from + " WHERE T3." + gn + " = " + sqlQuote(v);
            n[d] = "SELECT COUNT(*)" + from + " WHERE T3." + gn + " = " + sqlQuote(v);
        }
        for (int d : {Cypher, Ngql}) {
            const std::string m = match(d) + " WHERE " + prop(d, "c", g, gn) + eqOp(d) + lit(d, g.attrs[0], v);
            q[d] = m + " RETURN " + ret(d, "a", c, cn);
            n[d] = m + " RETURN count(a)";
        }
        const Words vw = concat(w, {{"v", v}});
        add("multi_hop",
            {"Which {Cs} belong to a {P} that {W} the {G} {v}?",
             "List the {CNs} of {Cs} whose {P} is linked to the {G} {v}."},
            {"哪些{Cz}所属的{Pz}{Wz}{Gz}“{v}”？", "列出通过{Pz}关联到{Gz}“{v}”的{Cz}的{CNz}。"}, vw, q);
        add("multi_hop",
            {"How many {Cs} belong to a {P} that {W} the {G} {v}?",
             "Count the {Cs} whose {P} is linked to the {G} {v}."},
            {"所属{Pz}{Wz}{Gz}“{v}”的{Cz}有多少个？", "统计通过{Pz}关联到{Gz}“{v}”的{Cz}数量。"}, vw, n);
    }
    for (const auto &cr : data_[0].rows) {
        const auto &v = cr.values[0];
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite})
            q[d] = "SELECT T3." + gn + from + " WHERE T1." + cn + " = " + sqlQuote(v);
        for (int d : {Cypher, Ngql})
            q[d] = match(d) + " WHERE " + prop(d, "a", c, cn) + eqOp(d) + lit(d, c.attrs[0], v) + " RETURN " +
                   ret(d, "c", g, gn);
        add("multi_hop",
            {"What is the {G} of the {P} of the {C} {v}?", "Through its {P}, which {G} is the {C} {v} linked to?"},
            {"{Cz}“{v}”所属{Pz}的{Gz}是哪个？", "{Cz}“{v}”通过{Pz}关联到哪个{Gz}？"}, concat(w, {{"v", v}}), q);
    }
    {
        std::array<std::string, DialectCount> q;
        for (int d : {MySql, Postgres, Sqlite}) q[d] = "SELECT T3." + gn + ", COUNT(*)" + from + " GROUP BY T3." + gn;
        for (int d : {Cypher, Ngql})
            q[d] = match(d) + " RETURN " + ret(d, "c", g, gn) + ", count(a)" + (d == Ngql ? " AS count" : "");
        add("multi_hop", {"How many {Cs} are linked to each {G} through their {P}?", "For every {G}, count its {Cs}."},
            {"每个{Gz}通过{Pz}关联了多少{Cz}？", "统计每个{Gz}的{Cz}数量。"}, w, q);
    }
    for (std::size_t fi = 1; fi < g.attrs.size(); ++fi) {
        const auto &f = g.attrs[fi];
        if (f.kind != AttrKind::Category) continue;
        for (const auto &v : categoryValues(2, static_cast<int>(fi))) {
            std::array<std::string, DialectCount> q;
            for (int d : {MySql, Postgres, Sqlite})
                q[d] = "SELECT T1." + cn + from + " WHERE T3." + f.column + " = " + sqlQuote(v);
            for (int d : {Cypher, Ngql})
                q[d] = match(d) + " WHERE " + prop(d, "c", g, f.column) + eqOp(d) + lit(d, f, v) + " RETURN " +
                       ret(d, "a", c, cn);
            add("multi_hop",
                {"Which {Cs} have a {P} whose {G} has {F} {v}?", "List {Cs} whose {P} {W} a {G} with {F} {v}."},
                {"哪些{Cz}所属{Pz}对应的{Gz}的{Fz}为“{v}”？", "列出所属{Pz}{Wz}{Fz}是{v}的{Gz}的{Cz}。"},
                concat(concat(w, attrWords(f, "F")), {{"v", v}}), q);
        }
    }
}

// ---- checking on SQLite, and writing ---------------------------------------------------------

// An average whose hundredths sit on a rounding tie could round differently per engine.
bool onRoundingTie(QueryExecutor &sqlite, const std::string &probe) {
    if (probe.empty()) return false;
    for (const auto &row : sqlite.run(probe).rows)
        for (const auto &v : row) {
            const double x = v.kind == Value::Kind::Real ? v.real : static_cast<double>(v.integer);
            if (std::abs(x - std::floor(x) - 0.5) < 1e-6) return true;
        }
    return false;
}

bool usableAnswer(const QueryResult &r) {
    if (r.rows.empty() || r.rows.size() > 60 || r.truncated) return false;
    for (const auto &row : r.rows)
        for (const auto &v : row)
            if (v.kind == Value::Kind::Null) return false;
    return true;
}

void buildSqlite(const std::string &path, const std::string &script) {
    const std::string temp = path + ".tmp";
    std::filesystem::remove(temp);
    {
        sqlite::Connection db(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              [](int, const std::string &message) { throw Error("synth: " + message); });
        db.exec("BEGIN");
        db.exec(script);
        db.exec("COMMIT");
    }
    std::filesystem::rename(temp, path);
}

}  // namespace

SynthSummary synthesizeBenchmark(const SynthOptions &options) {
    namespace fs = std::filesystem;
    const fs::path out = options.outDir;
    for (const char *sub : {"schemas", "sqlite", "load"}) fs::create_directories(out / sub);
    Rng rng(options.seed);
    SynthSummary summary;
    // split -> (subset, one JSONL block per parallel group)
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> groups;
    json databases = {{"databases", json::array()}};
    json manifest = {{"seed", options.seed}, {"generator", "momq data synth"}, {"splits", json::object()}};
    std::map<std::string, std::map<std::string, int>> familyCounts;

    std::vector<DomainSpec> domains = benchmarkDomains();
    for (const bool test : {false, true})
        for (auto &d : proceduralDomains(test ? options.proceduralTest : options.proceduralTrain, test, options.seed))
            domains.push_back(std::move(d));
    for (const auto &domain : domains) {
        const std::string split = domain.test ? "test" : "train";
        (domain.test ? summary.testDomains : summary.trainDomains).push_back(domain.name);
        manifest["splits"][split]["databases"].push_back(domain.name);
        manifest["splits"][split]["databases"].push_back(domain.name + "_graph");
        manifest["splits"][split]["subsets"][domain.subset].push_back(domain.name);
        const auto data = generateData(domain, rng);
        const std::string script = sqlScript(domain, data);
        writeFileAtomically((out / "load" / (domain.name + ".postgresql.sql")).string(), script);
        writeFileAtomically((out / "load" / (domain.name + ".mysql.sql")).string(), script);
        writeFileAtomically((out / "load" / (domain.name + "_graph.cypher")).string(), cypherScript(domain, data));
        writeFileAtomically((out / "load" / (domain.name + "_graph.ngql")).string(), ngqlScript(domain, data));
        writeFileAtomically((out / "schemas" / (domain.name + ".json")).string(),
                            schemaToJson(relationalSchema(domain, data)) + "\n");
        writeFileAtomically((out / "schemas" / (domain.name + "_graph.json")).string(),
                            schemaToJson(graphSchema(domain, data)) + "\n");
        const fs::path sqlitePath = out / "sqlite" / (domain.name + ".sqlite");
        buildSqlite(sqlitePath.string(), script);
        databases["databases"].push_back(
            {{"db_id", domain.name}, {"dialect", "sqlite"}, {"path", "sqlite/" + domain.name + ".sqlite"}});

        ConnectionSettings settings;
        settings.path = sqlitePath.string();
        auto sqlite = openExecutor(settings);
        // a generated domain gives one question per family: breadth comes from the number of domains
        const std::size_t perFamily = domain.subset == "procedural" ? 1 : domain.test ? 12 : 30;
        FamilyBuilder builder(domain, data, rng, perFamily);
        std::set<std::string> seen;
        int number = 0;
        for (const auto &instance : builder.build()) {
            if (!seen.insert(instance.query[Sqlite]).second) continue;
            QueryResult answer;
            try {
                answer = sqlite->run(instance.query[Sqlite]);
            } catch (const Error &e) {  // a generator bug: say which query
                throw Error("synth: " + domain.name + ": gold query failed on SQLite: " + instance.query[Sqlite] +
                            ": " + e.what());
            }
            if (!usableAnswer(answer) || onRoundingTie(*sqlite, instance.averageProbe)) continue;
            ++number;
            ++familyCounts[split][instance.family];
            char num[16];
            std::snprintf(num, sizeof num, "%04d", number);
            for (const auto &[lang, phrasings] : {std::pair{"en", &instance.en}, std::pair{"zh", &instance.zh}}) {
                const std::string question = rng.pick(*phrasings);
                std::string block;
                for (int d = 0; d < DialectCount; ++d) {
                    DatasetItem item;
                    item.itemId = split + "-" + domain.name + "-" + num + "-" + lang + "-" + nameOf(d);
                    item.dialect = nameOf(d);
                    item.dbId = isGraph(d) ? domain.name + "_graph" : domain.name;
                    item.question = question;
                    item.query = instance.query[d];
                    block += datasetItemToJsonLine(item) + "\n";
                    ++(domain.test ? summary.testItems : summary.trainItems)[item.dialect];
                }
                groups[split].emplace_back(domain.subset, std::move(block));
            }
        }
    }
    // Groups in random order, so that "the first n items per dialect" draws from every database.
    for (const char *split : {"train", "test"}) {
        rng.shuffle(groups[split]);
        std::string text;
        std::map<std::string, std::string> perSubset;
        for (const auto &[subset, block] : groups[split]) {
            text += block;
            perSubset[subset] += block;
        }
        writeFileAtomically((out / (std::string(split) + ".jsonl")).string(), text);
        for (const auto &[subset, subsetText] : perSubset)
            writeFileAtomically((out / (std::string(split) + "." + subset + ".jsonl")).string(), subsetText);
    }
    writeFileAtomically((out / "databases.json").string(), databases.dump(2) + "\n");
    manifest["splits"]["train"]["items_per_dialect"] = summary.trainItems;
    manifest["splits"]["test"]["items_per_dialect"] = summary.testItems;
    manifest["splits"]["train"]["families"] = familyCounts["train"];
    manifest["splits"]["test"]["families"] = familyCounts["test"];
    writeFileAtomically((out / "manifest.json").string(), manifest.dump(2) + "\n");
    return summary;
}

}  // namespace momq
