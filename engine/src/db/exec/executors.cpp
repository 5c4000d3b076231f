#include "db/exec/executor_base.h"

#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <errmsg.h>
#include <memory>

namespace momq {

namespace {

using Clock = std::chrono::steady_clock;

// ---- SQLite: opened read-only; a progress handler enforces the timeout -------------------------

class SqliteExecutor : public QueryExecutor {
public:
    SqliteExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : options_(o) {
        if (sqlite3_open_v2(s.path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw ExecutionError(ExecutionError::Reason::Connection, s.path + ": " + msg);
        }
        sqlite3_progress_handler(db_, 1000, &SqliteExecutor::onProgress, this);
    }
    ~SqliteExecutor() override { sqlite3_close(db_); }

    QueryResult run(const std::string &query) override {
        refuseModifyingQuery(query);
        deadline_ = Clock::now() + std::chrono::milliseconds(options_.timeoutMs);
        sqlite3_stmt *raw = nullptr;
        if (sqlite3_prepare_v2(db_, query.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            throw ExecutionError(ExecutionError::Reason::Failed, sqlite3_errmsg(db_));
        std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
        if (!st) throw ExecutionError(ExecutionError::Reason::Failed, "empty query");
        QueryResult r;
        for (int c = 0; c < sqlite3_column_count(raw); ++c) r.columns.emplace_back(sqlite3_column_name(raw, c));
        int rc;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
            if (static_cast<int>(r.rows.size()) == options_.rowCap) {
                r.truncated = true;
                break;
            }
            std::vector<Value> row;
            for (int c = 0; c < sqlite3_column_count(raw); ++c) {
                switch (sqlite3_column_type(raw, c)) {
                case SQLITE_NULL: row.push_back(Value::null()); break;
                case SQLITE_INTEGER: row.push_back(Value::of(static_cast<std::int64_t>(sqlite3_column_int64(raw, c)))); break;
                case SQLITE_FLOAT: row.push_back(Value::of(sqlite3_column_double(raw, c))); break;
                default: row.push_back(Value::of(std::string(reinterpret_cast<const char *>(sqlite3_column_text(raw, c)))));
                }
            }
            r.rows.push_back(std::move(row));
        }
        if (rc == SQLITE_INTERRUPT)
            throw ExecutionError(ExecutionError::Reason::Timeout, "timed out after " + std::to_string(options_.timeoutMs) + " ms");
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) throw ExecutionError(ExecutionError::Reason::Failed, sqlite3_errmsg(db_));
        return r;
    }

private:
    static int onProgress(void *self) { return Clock::now() > static_cast<SqliteExecutor *>(self)->deadline_ ? 1 : 0; }
    sqlite3 *db_ = nullptr;
    ExecutionOptions options_;
    Clock::time_point deadline_;
};

// ---- PostgreSQL: a READ ONLY transaction per query, statement_timeout --------------------------

class PostgresExecutor : public ReconnectingExecutor {
public:
    PostgresExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

private:
    void connect() override {
        const std::string port = settings_.port ? std::to_string(settings_.port) : "";
        const std::string opts = "-c default_transaction_read_only=on -c statement_timeout=" + std::to_string(options_.timeoutMs);
        const char *keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", "options", nullptr};
        const char *values[] = {settings_.host.empty() ? nullptr : settings_.host.c_str(), port.empty() ? nullptr : port.c_str(),
                                settings_.database.c_str(), settings_.user.empty() ? nullptr : settings_.user.c_str(),
                                settings_.password.empty() ? nullptr : settings_.password.c_str(), "5", opts.c_str(), nullptr};
        conn_.reset(PQconnectdbParams(keys, values, 0));
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
            throw ExecutionError(ExecutionError::Reason::Connection,
                                 describeConnection(settings_) + ": cannot connect: " + (conn_ ? PQerrorMessage(conn_.get()) : ""));
    }

    QueryResult attempt(const std::string &query) override {
        using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;
        Result begin(PQexec(conn_.get(), "BEGIN READ ONLY"), &PQclear);
        if (PQstatus(conn_.get()) != CONNECTION_OK) throw ExecutionError(ExecutionError::Reason::Connection, "connection lost");
        Result res(PQexec(conn_.get(), query.c_str()), &PQclear);
        const auto status = PQresultStatus(res.get());
        const std::string sqlstate = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) ? PQresultErrorField(res.get(), PG_DIAG_SQLSTATE) : "";
        const std::string error = PQerrorMessage(conn_.get());
        Result end(PQexec(conn_.get(), "ROLLBACK"), &PQclear);
        if (PQstatus(conn_.get()) != CONNECTION_OK) throw ExecutionError(ExecutionError::Reason::Connection, "connection lost");
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            if (sqlstate == "57014") throw ExecutionError(ExecutionError::Reason::Timeout, "timed out: " + error);
            throw ExecutionError(ExecutionError::Reason::Failed, error);
        }
        QueryResult r;
        const int cols = PQnfields(res.get());
        for (int c = 0; c < cols; ++c) r.columns.emplace_back(PQfname(res.get(), c));
        for (int row = 0; row < PQntuples(res.get()); ++row) {
            if (static_cast<int>(r.rows.size()) == options_.rowCap) {
                r.truncated = true;
                break;
            }
            std::vector<Value> values;
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(res.get(), row, c)) {
                    values.push_back(Value::null());
                    continue;
                }
                const char *text = PQgetvalue(res.get(), row, c);
                switch (PQftype(res.get(), c)) {
                case 20: case 21: case 23: values.push_back(Value::of(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)))); break;
                case 16: values.push_back(Value::of(static_cast<std::int64_t>(text[0] == 't'))); break;  // bool: True == 1
                case 700: case 701: case 1700: values.push_back(Value::of(std::strtod(text, nullptr))); break;
                default: values.push_back(Value::of(std::string(text)));
                }
            }
            r.rows.push_back(std::move(values));
        }
        return r;
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn_{nullptr, &PQfinish};
};

// ---- MySQL / MariaDB: START TRANSACTION READ ONLY, max_statement_time ---------------------------

class MysqlExecutor : public ReconnectingExecutor {
public:
    MysqlExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

private:
    void connect() override {
        db_.reset(mysql_init(nullptr));
        unsigned int timeout = 5;
        mysql_options(db_.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_options(db_.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
        if (!mysql_real_connect(db_.get(), settings_.host.empty() ? "127.0.0.1" : settings_.host.c_str(),
                                settings_.user.empty() ? nullptr : settings_.user.c_str(),
                                settings_.password.empty() ? nullptr : settings_.password.c_str(), settings_.database.c_str(),
                                settings_.port ? static_cast<unsigned>(settings_.port) : 3306, nullptr, 0))
            throw ExecutionError(ExecutionError::Reason::Connection, describeConnection(settings_) + ": cannot connect: " + mysql_error(db_.get()));
        const std::string limit = "SET SESSION max_statement_time = " + std::to_string(options_.timeoutMs / 1000.0);
        mysql_real_query(db_.get(), limit.data(), limit.size());
    }

    void exec(const std::string &sql) {
        if (mysql_real_query(db_.get(), sql.data(), sql.size()) != 0) fail();
        if (MYSQL_RES *r = mysql_store_result(db_.get())) mysql_free_result(r);
    }

    [[noreturn]] void fail() {
        const unsigned code = mysql_errno(db_.get());
        const std::string msg = mysql_error(db_.get());
        if (code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST) throw ExecutionError(ExecutionError::Reason::Connection, msg);
        if (code == 1969 /* ER_STATEMENT_TIMEOUT */) throw ExecutionError(ExecutionError::Reason::Timeout, "timed out: " + msg);
        throw ExecutionError(ExecutionError::Reason::Failed, msg);
    }

    QueryResult attempt(const std::string &query) override {
        exec("START TRANSACTION READ ONLY");
        QueryResult r;
        const auto started = Clock::now();
        const bool ok = mysql_real_query(db_.get(), query.data(), query.size()) == 0;
        // MariaDB stops some functions (BENCHMARK, SLEEP) at max_statement_time without an error
        // and returns a made-up value: a statement that used up its time counts as timed out.
        if (ok && Clock::now() - started >= std::chrono::milliseconds(options_.timeoutMs)) {
            if (MYSQL_RES *partial = mysql_store_result(db_.get())) mysql_free_result(partial);
            mysql_real_query(db_.get(), "ROLLBACK", 8);
            throw ExecutionError(ExecutionError::Reason::Timeout, "timed out after " + std::to_string(options_.timeoutMs) + " ms");
        }
        if (!ok) {
            try {
                fail();
            } catch (...) {
                mysql_real_query(db_.get(), "ROLLBACK", 8);
                throw;
            }
        }
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(db_.get()), &mysql_free_result);
        if (!res && mysql_errno(db_.get()) != 0) {  // the statement failed while its rows were read (a timeout, say)
            try {
                fail();
            } catch (...) {
                mysql_real_query(db_.get(), "ROLLBACK", 8);
                throw;
            }
        }
        if (res) {
            const unsigned n = mysql_num_fields(res.get());
            MYSQL_FIELD *fields = mysql_fetch_fields(res.get());
            for (unsigned c = 0; c < n; ++c) r.columns.emplace_back(fields[c].name);
            while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
                if (static_cast<int>(r.rows.size()) == options_.rowCap) {
                    r.truncated = true;
                    break;
                }
                const unsigned long *lengths = mysql_fetch_lengths(res.get());
                std::vector<Value> values;
                for (unsigned c = 0; c < n; ++c) {
                    if (!row[c]) {
                        values.push_back(Value::null());
                        continue;
                    }
                    const std::string text(row[c], lengths[c]);
                    switch (fields[c].type) {
                    case MYSQL_TYPE_TINY: case MYSQL_TYPE_SHORT: case MYSQL_TYPE_LONG: case MYSQL_TYPE_LONGLONG: case MYSQL_TYPE_INT24:
                        values.push_back(Value::of(static_cast<std::int64_t>(std::strtoll(text.c_str(), nullptr, 10))));
                        break;
                    case MYSQL_TYPE_FLOAT: case MYSQL_TYPE_DOUBLE: case MYSQL_TYPE_DECIMAL: case MYSQL_TYPE_NEWDECIMAL:
                        values.push_back(Value::of(std::strtod(text.c_str(), nullptr)));
                        break;
                    default: values.push_back(Value::of(text));
                    }
                }
                r.rows.push_back(std::move(values));
            }
        }
        exec("ROLLBACK");
        return r;
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<MYSQL, decltype(&mysql_close)> db_{nullptr, &mysql_close};
};

} // namespace

std::unique_ptr<QueryExecutor> openFalkorDbExecutor(const ConnectionSettings &settings, const ExecutionOptions &options);
std::unique_ptr<QueryExecutor> openNeo4jExecutor(const ConnectionSettings &settings, const ExecutionOptions &options);

std::unique_ptr<QueryExecutor> openExecutor(const ConnectionSettings &settings, const ExecutionOptions &options) {
    switch (settings.engine) {
    case DatabaseEngine::SQLite: return std::make_unique<SqliteExecutor>(settings, options);
    case DatabaseEngine::PostgreSQL: return std::make_unique<PostgresExecutor>(settings, options);
    case DatabaseEngine::MySQL: return std::make_unique<MysqlExecutor>(settings, options);
    case DatabaseEngine::FalkorDB: return openFalkorDbExecutor(settings, options);
    case DatabaseEngine::Neo4j: return openNeo4jExecutor(settings, options);
    }
    throw ExecutionError(ExecutionError::Reason::Connection, "unsupported engine");
}

} // namespace momq
