#include "momq/connection.h"

#include "momq/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "momq/secrets.h"

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
    throw FormatError("unknown database engine \"" + name + "\" (expected sqlite, postgresql, mysql, falkordb or neo4j)");
}

std::string describeConnection(const ConnectionSettings &s) {
    if (s.engine == DatabaseEngine::SQLite) return "sqlite:" + s.path;
    std::string out = std::string(engineName(s.engine)) + "://";
    if (!s.user.empty()) out += s.user + "@";
    out += s.host.empty() ? "localhost" : s.host;
    if (s.port) out += ":" + std::to_string(s.port);
    return out + "/" + s.database;
}

std::string readSecretFromEnvironment(const std::string &variable) {
    const char *value = std::getenv(variable.c_str());
    if (!value) throw Error("environment variable " + variable + " is not set");
    return value;
}

std::string readSecretFromFile(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error("password file " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw Error("password file " + path + ": not a regular file");
    if (st.st_uid != ::geteuid())
        throw Error("password file " + path + ": owned by another user; it must be yours");
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        std::ostringstream msg;
        msg << "password file " << path << ": readable or writable by others (mode " << std::oct
            << (st.st_mode & 0777) << "); run: chmod 600 " << path;
        throw Error(msg.str());
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("password file " + path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    std::string secret = text.str();
    if (!secret.empty() && secret.back() == '\n') secret.pop_back();
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    return secret;
}

} // namespace momq
