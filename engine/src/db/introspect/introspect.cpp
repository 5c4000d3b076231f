#include "db/introspect/backends.h"

#include "momq/error.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace momq {

namespace detail {

std::string exampleValuesSql(const std::string &quotedTable, const std::string &quotedColumn, int count) {
    return "SELECT DISTINCT " + quotedColumn + " FROM " + quotedTable + " WHERE " + quotedColumn +
           " IS NOT NULL ORDER BY 1 LIMIT " + std::to_string(count);
}

bool isBinaryType(const std::string &type) {
    std::string t = type;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char *b : {"blob", "bytea", "binary", "varbinary"})
        if (t.find(b) != std::string::npos) return true;
    return false;
}

}  // namespace detail

Schema introspectDatabase(const ConnectionSettings &settings, const IntrospectOptions &options) {
    IntrospectOptions o = options;
    if (o.dbId.empty())
        o.dbId = settings.engine == DatabaseEngine::SQLite ? std::filesystem::path(settings.path).stem().string()
                                                           : settings.database;
    Schema schema;
    try {
        switch (settings.engine) {
        case DatabaseEngine::SQLite: schema = detail::introspectSqlite(settings, o); break;
        case DatabaseEngine::PostgreSQL: schema = detail::introspectPostgres(settings, o); break;
        case DatabaseEngine::MySQL: schema = detail::introspectMysql(settings, o); break;
        case DatabaseEngine::FalkorDB: schema = detail::introspectFalkorDb(settings, o); break;
        case DatabaseEngine::Neo4j:
            throw Error("reading a schema from Neo4j is not supported; import the schema from a JSON file");
        }
    } catch (...) {
        rethrowWithContext("reading schema from " + describeConnection(settings));
    }
    // Engines list tables and keys in their own collation orders; byte order makes imports of
    // the same database on different engines compare equal.
    std::sort(schema.tables.begin(), schema.tables.end(),
              [](const Table &a, const Table &b) { return a.name < b.name; });
    std::stable_sort(schema.foreignKeys.begin(), schema.foreignKeys.end(),
                     [](const ForeignKey &a, const ForeignKey &b) {
                         return std::tie(a.fromTable, a.fromColumn) < std::tie(b.fromTable, b.fromColumn);
                     });
    return schema;
}

}  // namespace momq
