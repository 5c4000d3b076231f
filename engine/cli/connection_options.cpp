#include "commands.h"

#include "momq/error.h"
#include "momq/secrets.h"

#include <cstdlib>

namespace cli {

void ConnectionOptions::addTo(CLI::App *cmd) {
    cmd->add_option("--sqlite", sqlite, "SQLite database file");
    cmd->add_option("--engine", engine, "server engine: postgresql, mysql (MariaDB) or falkordb");
    cmd->add_option("--host", host, "server host")->default_str("127.0.0.1");
    cmd->add_option("--port", port, "server port (default: the engine's)");
    cmd->add_option("--database", database, "database name (FalkorDB: graph name)");
    cmd->add_option("--user", user, "user name");
    cmd->add_option("--password-env", passwordEnv,
                    "environment variable holding the password (default MOMQ_DB_PASSWORD when set)");
    cmd->add_option("--password-file", passwordFile, "file holding the password, readable only by you");
}

momq::ConnectionSettings ConnectionOptions::settings() const {
    momq::ConnectionSettings s;
    if (!sqlite.empty()) {
        s.engine = momq::DatabaseEngine::SQLite;
        s.path = sqlite;
        return s;
    }
    if (engine.empty()) throw momq::FormatError("give --sqlite FILE, or --engine with --database");
    s = server();
    if (database.empty()) throw momq::FormatError("--database is required for --engine " + engine);
    return s;
}

std::string ConnectionOptions::passwordEnvName() const {
    if (!passwordEnv.empty()) return passwordEnv;
    return passwordFile.empty() && std::getenv("MOMQ_DB_PASSWORD") ? "MOMQ_DB_PASSWORD" : "";
}

momq::ConnectionSettings ConnectionOptions::server() const {
    momq::ConnectionSettings s;
    if (engine.empty()) throw momq::FormatError("--engine is required: postgresql, mysql or falkordb");
    s.engine = momq::engineFromName(engine);
    if (s.engine == momq::DatabaseEngine::SQLite) throw momq::FormatError("--engine sqlite: use --sqlite FILE");
    s.host = host.empty() ? "127.0.0.1" : host;
    s.port = port;
    s.database = database;
    s.user = user;
    if (!passwordFile.empty())
        s.password = momq::readSecretFromFile(passwordFile);
    else if (!passwordEnv.empty())
        s.password = momq::readSecretFromEnvironment(passwordEnv);
    else if (std::getenv("MOMQ_DB_PASSWORD"))
        s.password = momq::readSecretFromEnvironment("MOMQ_DB_PASSWORD");
    return s;
}

}  // namespace cli
