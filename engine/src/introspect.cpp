#include "introspect_backends.h"

#include "momq/error.h"

#include <algorithm>
#include <filesystem>

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

} // namespace detail

Schema introspectDatabase(const ConnectionSettings &settings, const IntrospectOptions &options) {
    IntrospectOptions o = options;
    if (o.dbId.empty())
        o.dbId = settings.engine == DatabaseEngine::SQLite ? std::filesystem::path(settings.path).stem().string()
                                                           : settings.database;
    try {
        switch (settings.engine) {
        case DatabaseEngine::SQLite: return detail::introspectSqlite(settings, o);
        case DatabaseEngine::PostgreSQL: return detail::introspectPostgres(settings, o);
        case DatabaseEngine::MySQL: return detail::introspectMysql(settings, o);
        }
    } catch (...) {
        rethrowWithContext("reading schema from " + describeConnection(settings));
    }
    throw Error("unsupported database engine");
}

} // namespace momq
