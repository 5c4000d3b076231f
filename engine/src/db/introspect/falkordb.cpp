// Graph schema of a FalkorDB graph: node labels and relationship types with their endpoints,
// properties with a type read off their values, numeric ranges and a few examples; all through
// read-only queries.
#include "db/introspect/backends.h"

#include "momq/error.h"
#include "momq/execution.h"

#include <cmath>
#include <map>
#include <set>

namespace momq::detail {

namespace {

// Cypher identifiers in backquotes, so any label or key works.
std::string quoted(const std::string &name) {
    std::string out = "`";
    for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
    return out + "`";
}

std::string typeOf(const Value &v) {
    switch (v.kind) {
    case Value::Kind::Real: return v.real == std::trunc(v.real) ? "INTEGER" : "FLOAT";
    case Value::Kind::Integer: return "INTEGER";
    case Value::Kind::Text: return !v.text.empty() && v.text.front() == '[' ? "LIST" : "STRING";
    case Value::Kind::Null: return "NULL";
    }
    return "STRING";
}

// `match` binds x: "MATCH (x:`Person`)" or "MATCH ()-[x:`ACTED_IN`]->()".
std::vector<Property> properties(QueryExecutor &ex, const std::string &match, int examples) {
    std::vector<Property> out;
    for (const auto &row : ex.run(match + " UNWIND keys(x) AS k RETURN DISTINCT k ORDER BY k").rows) {
        Property p;
        p.name = row[0].text;
        const std::string value = "x." + quoted(p.name);
        const auto sample = ex.run(match + " WHERE " + value + " IS NOT NULL RETURN DISTINCT " + value + " ORDER BY " +
                                   value + " LIMIT " + std::to_string(std::max(1, examples)));
        if (sample.rows.empty()) continue;
        p.type = typeOf(sample.rows[0][0]);
        if (p.type == "INTEGER" || p.type == "FLOAT") {
            const auto range = ex.run(match + " RETURN min(" + value + "), max(" + value + ")");
            p.min = range.rows[0][0].display();
            p.max = range.rows[0][1].display();
        } else if (examples > 0) {
            for (const auto &r : sample.rows) p.examples.push_back(r[0].display());
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

Schema introspectFalkorDb(const ConnectionSettings &settings, const IntrospectOptions &o) {
    const auto ex = openExecutor(settings);
    Schema schema;
    schema.dbId = o.dbId;
    schema.kind = SchemaKind::Graph;
    for (const auto &row : ex->run("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label ORDER BY label").rows) {
        const std::string label = row[0].text;
        schema.nodes.push_back({label, properties(*ex, "MATCH (x:" + quoted(label) + ")", o.exampleCount)});
    }
    std::map<std::string, std::vector<Property>> relationshipProperties;
    for (
        const auto &row :
        ex->run(
              "MATCH (a)-[r]->(b) RETURN DISTINCT type(r), labels(a)[0], labels(b)[0] ORDER BY type(r), labels(a)[0], labels(b)[0]")
            .rows) {
        const std::string type = row[0].text;
        if (!relationshipProperties.count(type))
            relationshipProperties[type] = properties(*ex, "MATCH ()-[x:" + quoted(type) + "]->()", o.exampleCount);
        schema.relationships.push_back({type, row[1].text, row[2].text, relationshipProperties[type]});
    }
    return schema;
}

}  // namespace momq::detail
