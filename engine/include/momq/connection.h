// Where a database lives and how to reach it. The password is never persisted by the engine:
// the project store keeps a `secretKey` naming the secret, and the caller supplies the password
// (the app from the system keychain or a prompt, the CLI from an environment variable or an
// owner-only file, see secrets.h).
#pragma once

#include "momq/dialect.h"

#include <string>

namespace momq {

enum class DatabaseEngine { SQLite, PostgreSQL, MySQL, FalkorDB, Neo4j };

// The dialect an engine runs (Neo4j and FalkorDB: Cypher).
Dialect dialectOf(DatabaseEngine engine);

struct ConnectionSettings {
    DatabaseEngine engine = DatabaseEngine::SQLite;
    std::string path;      // SQLite: the database file
    std::string host;      // server engines
    int port = 0;          // 0: the engine's default port
    std::string database;  // FalkorDB: the graph's name; Neo4j: the database ("neo4j" when empty)
    std::string user;
    std::string password;  // in memory only
};

const char *engineName(DatabaseEngine engine);  // "sqlite" | "postgresql" | "mysql" | "falkordb" | "neo4j"
// Accepts the names above (and "mariadb" for mysql); throws FormatError otherwise.
DatabaseEngine engineFromName(const std::string &name);
// "postgresql://user@host:port/db" style, without the password; for messages and lists.
std::string describeConnection(const ConnectionSettings &settings);

}  // namespace momq
