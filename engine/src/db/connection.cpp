#include "momq/connection.h"

#include "momq/error.h"

namespace momq {

const char *engineName(DatabaseEngine engine) {
    switch (engine) {
    case DatabaseEngine::SQLite: return "sqlite";
    case DatabaseEngine::PostgreSQL: return "postgresql";
    case DatabaseEngine::MySQL: return "mysql";
    case DatabaseEngine::FalkorDB: return "falkordb";
    case DatabaseEngine::Neo4j: return "neo4j";
    }
    return "?";
}

DatabaseEngine engineFromName(const std::string &name) {
    if (name == "sqlite") return DatabaseEngine::SQLite;
    if (name == "postgresql" || name == "postgres") return DatabaseEngine::PostgreSQL;
    if (name == "mysql" || name == "mariadb") return DatabaseEngine::MySQL;
    if (name == "falkordb") return DatabaseEngine::FalkorDB;
    if (name == "neo4j") return DatabaseEngine::Neo4j;
    throw FormatError("unknown database engine \"" + name +
                      "\" (expected sqlite, postgresql, mysql, falkordb or neo4j)");
}

Dialect dialectOf(DatabaseEngine engine) {
    switch (engine) {
    case DatabaseEngine::PostgreSQL: return Dialect::PostgreSQL;
    case DatabaseEngine::MySQL: return Dialect::MySQL;
    case DatabaseEngine::FalkorDB:
    case DatabaseEngine::Neo4j: return Dialect::Cypher;
    case DatabaseEngine::SQLite: break;
    }
    return Dialect::SQLite;
}

std::string describeConnection(const ConnectionSettings &s) {
    if (s.engine == DatabaseEngine::SQLite) return "sqlite:" + s.path;
    std::string out = std::string(engineName(s.engine)) + "://";
    if (!s.user.empty()) out += s.user + "@";
    out += s.host.empty() ? "localhost" : s.host;
    if (s.port) out += ":" + std::to_string(s.port);
    return out + "/" + s.database;
}

}  // namespace momq
