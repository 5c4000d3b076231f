// `momq db load`: creating the built-in benchmark's databases on a PostgreSQL, MariaDB or FalkorDB
// server from the scripts `momq data synth` wrote, and recording them in a database config.
#include "momq/benchmark.h"

#include "core/json_document.h"
#include "momq/error.h"
#include "momq/execution.h"
#include "momq/files.h"

#include <libpq-fe.h>
#include <mysql.h>
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <memory>
#include <sstream>

namespace momq {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The scripts hold one statement per line; lines starting with '#' are comments.
std::vector<std::string> statementsOf(const fs::path &path) {
    std::vector<std::string> out;
    std::istringstream in(readTextFile(path.string()));
    for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') out.push_back(line);
    return out;
}

using PgConnection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

PgConnection connectPostgres(const ConnectionSettings &s, const std::string &database) {
    const std::string port = s.port ? std::to_string(s.port) : "";
    const char *keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", nullptr};
    const char *values[] = {s.host.empty() ? nullptr : s.host.c_str(),
                            port.empty() ? nullptr : port.c_str(),
                            database.c_str(),
                            s.user.empty() ? nullptr : s.user.c_str(),
                            s.password.empty() ? nullptr : s.password.c_str(),
                            "5",
                            nullptr};
    PgConnection conn(PQconnectdbParams(keys, values, 0), &PQfinish);
    if (!conn || PQstatus(conn.get()) != CONNECTION_OK)
        throw ConnectionError(describeConnection(s) + ": cannot connect: " + (conn ? PQerrorMessage(conn.get()) : ""));
    PQsetNoticeProcessor(
        conn.get(), [](void *, const char *) {}, nullptr);  // "does not exist, skipping" is expected
    return conn;
}

void pgExec(PGconn *conn, const std::string &sql, const std::string &where) {
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn, sql.c_str()), &PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw Error(where + ": " + PQerrorMessage(conn));
}

void loadPostgres(const ConnectionSettings &server, const std::string &dbId, const fs::path &script) {
    {
        auto admin = connectPostgres(server, server.database.empty() ? "postgres" : server.database);
        pgExec(admin.get(), "DROP DATABASE IF EXISTS " + dbId + " WITH (FORCE)", describeConnection(server));
        pgExec(admin.get(), "CREATE DATABASE " + dbId + " ENCODING 'UTF8'", describeConnection(server));
    }
    auto conn = connectPostgres(server, dbId);
    pgExec(conn.get(), "BEGIN", dbId);
    int line = 0;
    for (const auto &statement : statementsOf(script))
        pgExec(conn.get(), statement, script.string() + ": statement " + std::to_string(++line));
    pgExec(conn.get(), "COMMIT", dbId);
}

using MariaDbConnection = std::unique_ptr<MYSQL, decltype(&mysql_close)>;

// The server as its administrator, no database chosen.
MariaDbConnection connectMariaDb(const ConnectionSettings &server) {
    std::unique_ptr<MYSQL, decltype(&mysql_close)> db(mysql_init(nullptr), &mysql_close);
    mysql_options(db.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(db.get(), server.host.empty() ? "127.0.0.1" : server.host.c_str(),
                            server.user.empty() ? nullptr : server.user.c_str(),
                            server.password.empty() ? nullptr : server.password.c_str(), nullptr,
                            server.port ? static_cast<unsigned>(server.port) : 3306, nullptr, 0))
        throw ConnectionError(describeConnection(server) + ": cannot connect: " + mysql_error(db.get()));
    return db;
}

void loadMariaDb(const ConnectionSettings &server, const std::string &dbId, const fs::path &script) {
    auto db = connectMariaDb(server);
    auto exec = [&](const std::string &sql, const std::string &where) {
        if (mysql_real_query(db.get(), sql.data(), sql.size()) != 0) throw Error(where + ": " + mysql_error(db.get()));
    };
    exec("DROP DATABASE IF EXISTS " + dbId, describeConnection(server));
    exec("CREATE DATABASE " + dbId + " CHARACTER SET utf8mb4", describeConnection(server));
    exec("USE " + dbId, describeConnection(server));
    exec("START TRANSACTION", dbId);
    int line = 0;
    for (const auto &statement : statementsOf(script))
        exec(statement, script.string() + ": statement " + std::to_string(++line));
    exec("COMMIT", dbId);
}

// The SELECT-only login role: created, or given its password and membership again.
void createPostgresReader(const ConnectionSettings &server, const ReaderAccount &reader) {
    auto admin = connectPostgres(server, server.database.empty() ? "postgres" : server.database);
    std::unique_ptr<char, decltype(&PQfreemem)> name(
        PQescapeIdentifier(admin.get(), reader.user.c_str(), reader.user.size()), &PQfreemem);
    std::unique_ptr<char, decltype(&PQfreemem)> password(
        PQescapeLiteral(admin.get(), reader.password.c_str(), reader.password.size()), &PQfreemem);
    if (!name || !password) throw Error(describeConnection(server) + ": " + PQerrorMessage(admin.get()));
    const std::string where = describeConnection(server) + ": reader account " + reader.user;
    std::unique_ptr<PGresult, decltype(&PQclear)> exists(
        PQexecParams(admin.get(), "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, nullptr,
                     std::array<const char *, 1>{reader.user.c_str()}.data(), nullptr, nullptr, 0),
        &PQclear);
    const bool known = PQresultStatus(exists.get()) == PGRES_TUPLES_OK && PQntuples(exists.get()) == 1;
    pgExec(admin.get(),
           std::string(known ? "ALTER ROLE " : "CREATE ROLE ") + name.get() +
               " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD " + password.get(),
           where);
    pgExec(admin.get(), std::string("GRANT pg_read_all_data TO ") + name.get(), where);
}

void createMariaDbReader(const ConnectionSettings &server, const ReaderAccount &reader,
                         const std::vector<std::string> &databases) {
    auto db = connectMariaDb(server);
    auto escaped = [&](const std::string &text) {
        std::string out(text.size() * 2 + 1, '\0');
        out.resize(mysql_real_escape_string(db.get(), out.data(), text.c_str(), text.size()));
        return "'" + out + "'";
    };
    const std::string account = escaped(reader.user) + "@'%'";
    const std::string where = describeConnection(server) + ": reader account " + reader.user;
    auto exec = [&](const std::string &sql) {
        if (mysql_real_query(db.get(), sql.data(), sql.size()) != 0) throw Error(where + ": " + mysql_error(db.get()));
    };
    exec("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + escaped(reader.password));
    exec("ALTER USER " + account + " IDENTIFIED BY " + escaped(reader.password));
    for (const auto &dbId : databases) exec("GRANT SELECT, SHOW VIEW ON `" + dbId + "`.* TO " + account);
}

json readConfigOrEmpty(const std::string &path) {
    if (!fs::exists(path)) return {{"databases", json::array()}};
    auto j = parseJsonObject(readTextFile(path), path);
    if (!j.contains("databases") || !j["databases"].is_array())
        throw FormatError(path + ": databases: missing or not an array");
    return j;
}

}  // namespace

std::vector<std::string> loadBenchmarkDatabases(const std::string &benchmarkDir, const ConnectionSettings &server,
                                                const std::string &configPath, const std::string &passwordEnv,
                                                const ReaderAccount *reader, const std::string &onlySplit) {
    const fs::path dir = benchmarkDir;
    const auto manifestPath = (dir / "manifest.json").string();
    const auto manifest = parseJsonObject(readTextFile(manifestPath), manifestPath);
    if (server.engine == DatabaseEngine::SQLite)
        throw FormatError("--engine sqlite: the SQLite databases are written by `momq data synth` and listed in " +
                          (dir / "databases.json").string());
    const std::string dialect = dialectName(dialectOf(server.engine));
    if (server.engine == DatabaseEngine::Neo4j)
        throw FormatError("--engine neo4j: load " + (dir / "load").string() +
                          "/<db>_graph.cypher with cypher-shell; `momq db load` writes to FalkorDB");
    const bool graph = server.engine == DatabaseEngine::FalkorDB;
    if (reader && graph)
        throw FormatError("--reader: FalkorDB has no per-graph accounts here; its queries run as GRAPH.RO_QUERY");

    std::vector<std::string> loaded;
    for (const auto &[split, info] : manifest.at("splits").items())
        for (const auto &db : info.at("databases")) {
            if (!onlySplit.empty() && split != onlySplit) continue;
            const std::string dbId = db.get<std::string>();
            const bool graphDb = dbId.size() > 6 && dbId.compare(dbId.size() - 6, 6, "_graph") == 0;
            if (graph != graphDb) continue;
            if (server.engine == DatabaseEngine::PostgreSQL)
                loadPostgres(server, dbId, dir / "load" / (dbId + ".postgresql.sql"));
            else if (server.engine == DatabaseEngine::MySQL)
                loadMariaDb(server, dbId, dir / "load" / (dbId + ".mysql.sql"));
            else {
                ConnectionSettings target = server;
                target.database = dbId;
                const auto script = dir / "load" / (dbId + ".cypher");
                try {
                    loadGraph(target, statementsOf(script), true);
                } catch (const ConnectionError &) {
                    throw;
                } catch (const Error &e) {
                    throw Error(script.string() + ": " + e.what());
                }
            }
            loaded.push_back(dbId);
        }

    if (reader && server.engine == DatabaseEngine::PostgreSQL) createPostgresReader(server, *reader);
    if (reader && server.engine == DatabaseEngine::MySQL) createMariaDbReader(server, *reader, loaded);

    auto config = readConfigOrEmpty(configPath);
    json kept = json::array();
    for (const auto &entry : config["databases"]) {
        bool replaced = false;
        for (const auto &dbId : loaded)
            replaced = replaced || (entry.value("db_id", "") == dbId && entry.value("dialect", "") == dialect);
        if (!replaced) kept.push_back(entry);
    }
    for (const auto &dbId : loaded) {
        json entry = {{"db_id", dbId},
                      {"dialect", dialect},
                      {"engine", engineName(server.engine)},
                      {"host", server.host.empty() ? "127.0.0.1" : server.host}};
        if (server.port) entry["port"] = server.port;
        entry[graph ? "graph" : "database"] = dbId;
        if (reader) {
            entry["user"] = reader->user;
            if (!reader->passwordEnv.empty()) entry["password_env"] = reader->passwordEnv;
        } else {
            if (!server.user.empty()) entry["user"] = server.user;
            if (!passwordEnv.empty() && !server.password.empty()) entry["password_env"] = passwordEnv;
        }
        kept.push_back(std::move(entry));
    }
    config["databases"] = kept;
    writeFileAtomically(configPath, config.dump(2) + "\n");
    return loaded;
}

}  // namespace momq
