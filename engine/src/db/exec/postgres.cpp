// PostgreSQL: the statement is checked by PostgreSQL's own parser (libpg_query) against an
// allow-list, every function it calls is looked up in pg_proc, and it runs through the extended
// query protocol (one statement only) in a READ ONLY transaction, as the read-only role
// pg_read_all_data when the account may take it. Rows stream one at a time and stop at the cap; a
// deadline sends a cancel request and, when that is not enough, closes the connection.
#include "db/exec/executor_base.h"

#include "db/pg_parse_tree.h"

#include <libpq-fe.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <set>

namespace momq {

namespace {

using nlohmann::json;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Volatile functions that only compute a value (checked in pg_proc, they would be refused).
const std::set<std::string> kHarmlessVolatile = {"random", "gen_random_uuid", "clock_timestamp", "timeofday"};

// What the parse tree may not hold anywhere: data-changing statements inside CTEs, SELECT INTO,
// and row locks.
const std::set<std::string> kForbiddenNodes = {"InsertStmt", "UpdateStmt", "DeleteStmt",
                                               "MergeStmt",  "intoClause", "lockingClause"};

void walk(const json &node, std::set<std::string> &functions, std::string &forbidden) {
    if (node.is_array()) {
        for (const auto &n : node) walk(n, functions, forbidden);
        return;
    }
    if (!node.is_object()) return;
    for (const auto &[key, value] : node.items()) {
        if (forbidden.empty() && kForbiddenNodes.count(key)) forbidden = key;
        if (key == "FuncCall" && value.contains("funcname") && !value["funcname"].empty()) {
            const auto &last = value["funcname"].back();
            if (last.contains("String")) functions.insert(last["String"].value("sval", ""));
        }
        walk(value, functions, forbidden);
    }
}

std::string describeForbidden(const std::string &node) {
    if (node == "intoClause") return "SELECT INTO creates a table";
    if (node == "lockingClause") return "FOR UPDATE/SHARE locks rows";
    return "a " + node.substr(0, node.size() - 4) + " statement changes data";
}

// The allow-list, decided on PostgreSQL's parse tree: one SELECT (VALUES, WITH of selects, set
// operations) or an EXPLAIN without ANALYZE of one. Returns the functions the statement calls.
std::set<std::string> checkStatement(const std::string &query) {
    std::string error;
    const json tree = postgresParseTree(query, error);
    if (tree.is_null()) throw ExecutionError(ExecutionError::Reason::Failed, "syntax error: " + error);
    const auto &stmts = tree.value("stmts", json::array());
    if (stmts.size() != 1) throw refused("one statement per query; this text holds " + std::to_string(stmts.size()));
    const json &stmt = stmts[0].value("stmt", json::object());
    const std::string kind = stmt.empty() ? "" : stmt.begin().key();
    if (kind == "ExplainStmt") {
        for (const auto &option : stmt[kind].value("options", json::array()))
            if (option.contains("DefElem") && option["DefElem"].value("defname", "") == "analyze")
                throw refused("EXPLAIN ANALYZE runs the statement");
        const auto &inner = stmt[kind].value("query", json::object());
        if (inner.empty() || inner.begin().key() != "SelectStmt") throw refused("only EXPLAIN of a SELECT is allowed");
    } else if (kind != "SelectStmt") {
        throw refused("only SELECT, VALUES, WITH … SELECT and EXPLAIN are allowed; this is " +
                      (kind.empty() ? "empty" : kind));
    }
    std::set<std::string> functions;
    std::string forbidden;
    walk(stmt, functions, forbidden);
    if (!forbidden.empty()) throw refused(describeForbidden(forbidden));
    return functions;
}

// '{"a","b"}' for a text[] parameter.
std::string textArray(const std::set<std::string> &items) {
    std::string out = "{";
    for (const auto &item : items) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : item) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

class PostgresExecutor : public ReconnectingExecutor {
public:
    PostgresExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

private:
    void connect() override {
        const std::string port = settings_.port ? std::to_string(settings_.port) : "";
        const std::string limit = std::to_string(options_.timeoutMs);
        // Fixed for the session; the allow-list refuses SET, RESET and set_config.
        const std::string opts =
            "-c default_transaction_read_only=on -c statement_timeout=" + limit + " -c lock_timeout=" + limit +
            " -c idle_in_transaction_session_timeout=" + std::to_string(std::max(options_.timeoutMs, 1000) * 2);
        const char *keys[] = {"host", "port", "dbname", "user", "password", "connect_timeout", "options", nullptr};
        const char *values[] = {settings_.host.empty() ? nullptr : settings_.host.c_str(),
                                port.empty() ? nullptr : port.c_str(),
                                settings_.database.c_str(),
                                settings_.user.empty() ? nullptr : settings_.user.c_str(),
                                settings_.password.empty() ? nullptr : settings_.password.c_str(),
                                "5",
                                opts.c_str(),
                                nullptr};
        conn_.reset(PQconnectdbParams(keys, values, 0));
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
            throw ExecutionError(ExecutionError::Reason::Connection,
                                 describeConnection(settings_) +
                                     ": cannot connect: " + (conn_ ? PQerrorMessage(conn_.get()) : ""));
        takeReadOnlyRole();
    }

    Result exec(const char *sql, const std::string &param = {}, bool withParam = false) {
        const char *values[] = {param.c_str()};
        Result r(PQexecParams(conn_.get(), sql, withParam ? 1 : 0, nullptr, withParam ? values : nullptr, nullptr,
                              nullptr, 0),
                 &PQclear);
        if (PQstatus(conn_.get()) != CONNECTION_OK)
            throw ExecutionError(ExecutionError::Reason::Connection, "connection lost");
        return r;
    }

    // Least privilege: pg_read_all_data (PostgreSQL 14+) reads every table and can change nothing;
    // what the account could do otherwise is said once.
    void takeReadOnlyRole() {
        const auto rights =
            exec("SELECT r.rolsuper, r.rolcreaterole, pg_has_role(current_user, 'pg_read_all_data', 'MEMBER'), "
                 "EXISTS (SELECT 1 FROM information_schema.table_privileges t WHERE t.grantee = current_user AND "
                 "t.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')) "
                 "FROM pg_roles r WHERE r.rolname = current_user");
        if (PQresultStatus(rights.get()) != PGRES_TUPLES_OK || PQntuples(rights.get()) != 1) return;
        auto flag = [&](int c) { return PQgetvalue(rights.get(), 0, c)[0] == 't'; };
        const bool super = flag(0), createRole = flag(1), canTakeRole = super || flag(2), writes = flag(3);
        bool readOnlyRole = false;
        if (canTakeRole) readOnlyRole = PQresultStatus(exec("SET ROLE pg_read_all_data").get()) == PGRES_COMMAND_OK;
        std::vector<std::string> can;
        if (super) can.push_back("is a superuser");
        if (createRole) can.push_back("may create roles");
        if (writes) can.push_back("may write to tables");
        accountWarning_.clear();
        if (!can.empty()) {
            accountWarning_ = "the account " + settings_.user + " " + can[0];
            for (std::size_t i = 1; i < can.size(); ++i)
                accountWarning_ += (i + 1 == can.size() ? " and " : ", ") + can[i];
            accountWarning_ += readOnlyRole ? "; queries run as pg_read_all_data" : "; queries run with those rights";
            accountWarning_ +=
                ". A SELECT-only account: CREATE ROLE momq_reader LOGIN PASSWORD '…' IN ROLE pg_read_all_data;";
        }
    }

    void refuseVolatile(const std::set<std::string> &functions) {
        std::set<std::string> asked;
        for (const auto &f : functions)
            if (!kHarmlessVolatile.count(f)) asked.insert(f);
        if (asked.empty()) return;
        const auto r = exec(
            "SELECT DISTINCT proname FROM pg_catalog.pg_proc WHERE provolatile = 'v' AND proname = ANY($1::text[]) "
            "ORDER BY proname",
            textArray(asked), true);
        if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
            throw ExecutionError(ExecutionError::Reason::Failed,
                                 std::string("cannot check the functions: ") + PQerrorMessage(conn_.get()));
        if (PQntuples(r.get()) > 0)
            throw refused(
                std::string("the function ") + PQgetvalue(r.get(), 0, 0) +
                " is volatile (it may change data or the server's state); only stable and immutable functions may run");
    }

    QueryResult attempt(const std::string &query) override {
        refuseVolatile(checkStatement(query));
        if (PQresultStatus(exec("BEGIN READ ONLY").get()) != PGRES_COMMAND_OK)
            throw ExecutionError(ExecutionError::Reason::Failed, PQerrorMessage(conn_.get()));
        QueryResult r;
        std::string error, sqlstate;
        bool capped = false, expired = false;
        {
            PGconn *conn = conn_.get();
            std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel(PQgetCancel(conn), &PQfreeCancel);
            Deadline deadline(
                options_.timeoutMs,
                [&] {
                    char why[256];
                    PQcancel(cancel.get(), why, sizeof why);
                },
                [&] { ::shutdown(PQsocket(conn), SHUT_RDWR); });  // the server did not stop: the connection goes
            // The extended protocol: the server refuses a text of several statements.
            if (!PQsendQueryParams(conn, query.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) ||
                !PQsetSingleRowMode(conn))
                throw ExecutionError(ExecutionError::Reason::Connection, PQerrorMessage(conn));
            while (PGresult *raw = PQgetResult(conn)) {
                Result res(raw, &PQclear);
                const auto status = PQresultStatus(raw);
                if (status == PGRES_SINGLE_TUPLE) {
                    if (r.columns.empty())
                        for (int c = 0; c < PQnfields(raw); ++c) r.columns.emplace_back(PQfname(raw, c));
                    if (capped) continue;
                    if (!takeRow(r, rowOf(raw), options_.rowCap)) {
                        capped = true;  // the rest is not wanted: cancelled, and drained as it comes
                        char why[256];
                        PQcancel(cancel.get(), why, sizeof why);
                    }
                } else if (status == PGRES_TUPLES_OK) {
                    if (r.columns.empty())
                        for (int c = 0; c < PQnfields(raw); ++c) r.columns.emplace_back(PQfname(raw, c));
                } else if (status != PGRES_COMMAND_OK && error.empty()) {
                    error = PQresultErrorMessage(raw);
                    if (const char *state = PQresultErrorField(raw, PG_DIAG_SQLSTATE)) sqlstate = state;
                }
            }
            expired = deadline.expired();
        }  // the watchdog is done
        if (expired && !capped) {
            if (PQstatus(conn_.get()) != CONNECTION_OK) timedOutAndReconnect(options_.timeoutMs);  // severed
            PQclear(PQexec(conn_.get(), "ROLLBACK"));
            throw timedOut(options_.timeoutMs);
        }
        exec("ROLLBACK");
        if (!error.empty() && !(capped && sqlstate == "57014")) {
            if (sqlstate == "57014") throw timedOut(options_.timeoutMs);
            if (sqlstate == "25006") throw refused("PostgreSQL refused a write in the read-only transaction: " + error);
            if (sqlstate == "42501") throw refused("the read-only role may not do this: " + error);
            throw ExecutionError(ExecutionError::Reason::Failed, error);
        }
        return r;
    }

    static std::vector<Value> rowOf(PGresult *res) {
        std::vector<Value> values;
        for (int c = 0; c < PQnfields(res); ++c) {
            if (PQgetisnull(res, 0, c)) {
                values.push_back(Value::null());
                continue;
            }
            const char *text = PQgetvalue(res, 0, c);
            switch (PQftype(res, c)) {
            case 20:
            case 21:
            case 23: values.push_back(Value::of(static_cast<std::int64_t>(std::strtoll(text, nullptr, 10)))); break;
            case 16: values.push_back(Value::of(static_cast<std::int64_t>(text[0] == 't'))); break;  // bool: True == 1
            case 700:
            case 701:
            case 1700: values.push_back(Value::of(std::strtod(text, nullptr))); break;
            default: values.push_back(Value::of(std::string(text, static_cast<std::size_t>(PQgetlength(res, 0, c)))));
            }
        }
        return values;
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn_{nullptr, &PQfinish};
};

}  // namespace

std::unique_ptr<QueryExecutor> openPostgresExecutor(const ConnectionSettings &settings,
                                                    const ExecutionOptions &options) {
    return std::make_unique<PostgresExecutor>(settings, options);
}

}  // namespace momq
