#include "momq/dialect.h"

#include "momq/error.h"

namespace momq {

namespace {

#define MOMQ_COMMON_KEYWORDS                                                                                           \
    "AND", "OR", "NOT", "AS", "ORDER", "BY", "LIMIT", "DESC", "ASC", "DISTINCT", "WHERE", "COUNT", "SUM", "AVG",       \
        "MIN", "MAX", "IN", "IS", "NULL", "WITH", "RETURN", "CONTAINS", "STARTS"

const std::vector<const char *> kSqlKeywords = {MOMQ_COMMON_KEYWORDS,
                                                "SELECT",
                                                "FROM",
                                                "JOIN",
                                                "ON",
                                                "LEFT",
                                                "RIGHT",
                                                "INNER",
                                                "OUTER",
                                                "GROUP",
                                                "HAVING",
                                                "LIKE",
                                                "BETWEEN",
                                                "UNION",
                                                "CASE",
                                                "WHEN",
                                                "THEN",
                                                "ELSE",
                                                "END",
                                                "EXTRACT",
                                                "YEAR",
                                                "ROUND",
                                                "STRFTIME",
                                                "EXISTS",
                                                "OFFSET",
                                                "EXCEPT"};
const std::vector<const char *> kCypherKeywords = {MOMQ_COMMON_KEYWORDS,
                                                   "MATCH",
                                                   "OPTIONAL",
                                                   "UNWIND",
                                                   "CALL",
                                                   "YIELD",
                                                   "SKIP",
                                                   "CASE",
                                                   "WHEN",
                                                   "THEN",
                                                   "ELSE",
                                                   "END",
                                                   "EXISTS",
                                                   "COLLECT",
                                                   "ROUND",
                                                   "SIZE"};
const std::vector<const char *> kNgqlKeywords = {MOMQ_COMMON_KEYWORDS,
                                                 "MATCH",
                                                 "GO",
                                                 "FROM",
                                                 "OVER",
                                                 "LOOKUP",
                                                 "ON",
                                                 "FETCH",
                                                 "PROP",
                                                 "YIELD",
                                                 "GROUP",
                                                 "PIPE",
                                                 "REVERSELY",
                                                 "BIDIRECT",
                                                 "STEPS",
                                                 "UPTO",
                                                 "PROPERTIES",
                                                 "VERTEX",
                                                 "EDGE",
                                                 "ID",
                                                 "ROUND"};
#undef MOMQ_COMMON_KEYWORDS

}  // namespace

const std::vector<DialectInfo> &dialects() {
    static const std::vector<DialectInfo> table = {
        {Dialect::MySQL, "mysql", "MySQL", "mysql", SchemaFormat::Relational, false, "MySQL", "数据库schema", "MySQL",
         "sql", "sql", kSqlKeywords},
        {Dialect::PostgreSQL, "postgresql", "PostgreSQL", "postgresql", SchemaFormat::Relational, false, "PostgreSQL",
         "数据库schema", "PostgreSQL", "sql", "sql", kSqlKeywords},
        {Dialect::SQLite, "sqlite", "SQLite", "sqlite", SchemaFormat::Relational, false, "SQLite", "数据库schema",
         "SQLite", "sql", "sql", kSqlKeywords},
        {Dialect::Cypher, "cypher", "Cypher", "falkordb", SchemaFormat::Cypher, true, "Neo4j", "图数据库schema",
         "Cypher", "Cypher Query", "cypher", kCypherKeywords},
        {Dialect::Ngql, "ngql", "nGQL", "", SchemaFormat::Ngql, true, "NebulaGraph", "图数据库schema", "nGQL",
         "Graph Query", "ngql", kNgqlKeywords},
    };
    return table;
}

const DialectInfo &dialectInfo(Dialect dialect) { return dialects().at(static_cast<std::size_t>(dialect)); }

const char *dialectName(Dialect dialect) { return dialectInfo(dialect).name; }

std::optional<Dialect> findDialect(const std::string &name) {
    for (const auto &d : dialects())
        if (name == d.name) return d.dialect;
    return std::nullopt;
}

std::string dialectNameList() {
    std::string out;
    const auto &all = dialects();
    for (std::size_t i = 0; i < all.size(); ++i)
        out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i].name);
    return out;
}

Dialect parseDialect(const std::string &name) {
    if (const auto d = findDialect(name)) return *d;
    throw FormatError("unknown dialect \"" + name + "\" (expected " + dialectNameList() + ")");
}

SchemaFormat schemaFormatFromName(const std::string &name) {
    if (name == "relational") return SchemaFormat::Relational;
    if (name == "cypher") return SchemaFormat::Cypher;
    if (name == "ngql") return SchemaFormat::Ngql;
    throw FormatError("unknown schema format \"" + name + "\" (expected relational, cypher or ngql)");
}

}  // namespace momq
