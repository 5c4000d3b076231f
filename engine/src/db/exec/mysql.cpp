// MySQL / MariaDB: statement classes decided on the query as MariaDB's lexer reads it — comments
// skipped, executable comments /*! … */ and /*M! … */ read as code — then sent without
// CLIENT_MULTI_STATEMENTS (the server refuses a second statement) in a READ ONLY transaction. Rows
// stream (mysql_use_result) and stop at the cap; a deadline runs KILL QUERY from a second
// connection and, when that is not enough, closes the connection.
#include "db/exec/executor_base.h"

#include <errmsg.h>
#include <mysql.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>

namespace momq {

namespace {

struct Token {
    enum class Kind { Word, Symbol, Literal } kind;
    std::string text;  // words upper-cased
};

// The query's tokens as MariaDB sees them: comments dropped (an executable comment's body kept),
// string literals and quoted identifiers as single tokens.
std::vector<Token> mariadbTokens(const std::string &q) {
    std::vector<Token> out;
    std::size_t i = 0;
    const std::size_t n = q.size();
    auto isWordByte = [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; };
    while (i < n) {
        const unsigned char c = static_cast<unsigned char>(q[i]);
        if (std::isspace(c)) {
            ++i;
        } else if (c == '#' || (c == '-' && i + 2 <= n && q[i + 1] == '-' &&
                                (i + 2 == n || std::isspace(static_cast<unsigned char>(q[i + 2])) ||
                                 std::iscntrl(static_cast<unsigned char>(q[i + 2]))))) {
            while (i < n && q[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < n && q[i + 1] == '*') {
            const bool executable = i + 2 < n && (q[i + 2] == '!' || (q[i + 2] == 'M' && i + 3 < n && q[i + 3] == '!'));
            if (executable) {  // the body is code; the optional version number is not
                i += q[i + 2] == '!' ? 3 : 4;
                while (i < n && std::isdigit(static_cast<unsigned char>(q[i]))) ++i;
            } else {
                const auto end = q.find("*/", i + 2);
                i = end == std::string::npos ? n : end + 2;
            }
        } else if (c == '*' && i + 1 < n && q[i + 1] == '/') {
            i += 2;  // the end of an executable comment
        } else if (c == '\'' || c == '"' || c == '`') {
            std::string text(1, static_cast<char>(c));
            for (++i; i < n; ++i) {
                if (q[i] == '\\' && c != '`' && i + 1 < n) {
                    text += q[i];
                    text += q[++i];
                    continue;
                }
                if (q[i] == static_cast<char>(c)) {
                    if (i + 1 < n && q[i + 1] == static_cast<char>(c)) {  // a doubled quote
                        text += q[++i];
                        continue;
                    }
                    ++i;
                    break;
                }
                text += q[i];
            }
            out.push_back({c == '`' ? Token::Kind::Word : Token::Kind::Literal, text});
        } else if (isWordByte(c)) {
            std::string word;
            while (i < n && isWordByte(static_cast<unsigned char>(q[i])))
                word += static_cast<char>(std::toupper(static_cast<unsigned char>(q[i++])));
            out.push_back({Token::Kind::Word, word});
        } else {
            const bool assignment = c == ':' && i + 1 < n && q[i + 1] == '=';
            out.push_back({Token::Kind::Symbol, assignment ? std::string(":=") : std::string(1, static_cast<char>(c))});
            i += assignment ? 2 : 1;
        }
    }
    return out;
}

// Functions that act on the server beyond reading (locks, files, replication waits, sequences).
const std::set<std::string> kActingFunctions = {"GET_LOCK",  "RELEASE_LOCK",    "RELEASE_ALL_LOCKS",
                                                "LOAD_FILE", "MASTER_POS_WAIT", "MASTER_GTID_WAIT",
                                                "NEXTVAL",   "SETVAL",          "LASTVAL"};

// The allow-list: SELECT, WITH, VALUES, SHOW, DESCRIBE/DESC and EXPLAIN of those, without INTO
// (OUTFILE, DUMPFILE, variables), row locks, variable assignment or server-acting functions.
std::optional<std::string> mariadbRefusal(const std::string &query) {
    const auto tokens = mariadbTokens(query);
    std::size_t first = 0;
    while (first < tokens.size() && tokens[first].kind == Token::Kind::Symbol && tokens[first].text == "(") ++first;
    if (first == tokens.size()) return std::string("the query is empty");
    static const std::set<std::string> allowed = {"SELECT", "WITH", "VALUES", "SHOW", "DESCRIBE", "DESC", "EXPLAIN"};
    if (tokens[first].kind != Token::Kind::Word || !allowed.count(tokens[first].text))
        return "only SELECT, WITH, VALUES, SHOW, DESCRIBE and EXPLAIN statements may run; this one starts with " +
               (tokens[first].kind == Token::Kind::Word ? tokens[first].text : "\"" + tokens[first].text + "\"");
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto &t = tokens[i];
        const std::string next = i + 1 < tokens.size() ? tokens[i + 1].text : "";
        if (t.kind == Token::Kind::Symbol && t.text == ":=")
            return std::string("assigning a variable (:=) changes the session");
        if (t.kind == Token::Kind::Symbol && t.text == ";" && i + 1 < tokens.size())
            return std::string("one statement per query");
        if (t.kind != Token::Kind::Word) continue;
        if (t.text == "INTO") return std::string("SELECT … INTO writes a file or variables");
        if (t.text == "FOR" && (next == "UPDATE" || next == "SHARE")) return std::string("FOR " + next + " locks rows");
        if (t.text == "LOCK" && next == "IN") return std::string("LOCK IN SHARE MODE locks rows");
        if (kActingFunctions.count(t.text) && next == "(") return t.text + "() acts on the server beyond reading";
        if (t.text == "NEXT" && next == "VALUE") return std::string("NEXT VALUE FOR changes a sequence");
        const bool explains =
            tokens[first].text == "EXPLAIN" || tokens[first].text == "DESCRIBE" || tokens[first].text == "DESC";
        if (explains && (t.text == "DELETE" || t.text == "UPDATE" || t.text == "INSERT" || t.text == "REPLACE" ||
                         t.text == "ANALYZE"))
            return std::string("only EXPLAIN of a SELECT is allowed");
    }
    return std::nullopt;
}

using Clock = std::chrono::steady_clock;

class MysqlExecutor : public ReconnectingExecutor {
public:
    MysqlExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

    // A server-side prepare parses the statement and resolves its names and privileges without
    // running it. A statement the allow-list refuses is reported as such.
    std::optional<ServerCheck> checkWithoutRunning(const std::string &query) override {
        ServerCheck check{"MariaDB PREPARE", ""};
        if (const auto why = mariadbRefusal(query)) {
            check.error = "refused: " + *why;
            return check;
        }
        std::unique_ptr<MYSQL_STMT, decltype(&mysql_stmt_close)> stmt(mysql_stmt_init(db_.get()), &mysql_stmt_close);
        if (!stmt) throw ExecutionError(ExecutionError::Reason::Connection, "MariaDB: cannot create a statement");
        if (mysql_stmt_prepare(stmt.get(), query.data(), query.size()) != 0) {
            const auto error = errorOf(mysql_stmt_errno(stmt.get()), mysql_stmt_error(stmt.get()));
            if (error.reason() == ExecutionError::Reason::Connection) throw error;  // not the query's fault
            check.error = mysql_stmt_error(stmt.get());
        }
        return check;
    }

private:
    std::unique_ptr<MYSQL, decltype(&mysql_close)> open() const {
        std::unique_ptr<MYSQL, decltype(&mysql_close)> db(mysql_init(nullptr), &mysql_close);
        unsigned int timeout = 5;
        mysql_options(db.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_options(db.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
        // client flags 0: no CLIENT_MULTI_STATEMENTS, so a second statement is a syntax error
        if (!mysql_real_connect(db.get(), settings_.host.empty() ? "127.0.0.1" : settings_.host.c_str(),
                                settings_.user.empty() ? nullptr : settings_.user.c_str(),
                                settings_.password.empty() ? nullptr : settings_.password.c_str(),
                                settings_.database.c_str(),
                                settings_.port ? static_cast<unsigned>(settings_.port) : 3306, nullptr, 0))
            throw ExecutionError(ExecutionError::Reason::Connection,
                                 describeConnection(settings_) + ": cannot connect: " + mysql_error(db.get()));
        return db;
    }

    void connect() override {
        db_ = open();
        // The server's own limit as well (the allow-list refuses SET STATEMENT … FOR).
        const std::string limit = "SET SESSION max_statement_time = " + std::to_string(options_.timeoutMs / 1000.0);
        mysql_real_query(db_.get(), limit.data(), limit.size());
        readGrants();
    }

    // What the account could do beyond reading, from SHOW GRANTS.
    void readGrants() {
        accountWarning_.clear();
        if (mysql_real_query(db_.get(), "SHOW GRANTS", 11) != 0) return;
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(db_.get()), &mysql_free_result);
        if (!res) return;
        std::set<std::string> found;
        while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
            std::string grant = row[0] ? row[0] : "";
            std::transform(grant.begin(), grant.end(), grant.begin(), [](unsigned char c) { return std::toupper(c); });
            const auto on = grant.find(" ON ");
            const std::string privileges = grant.substr(0, on);
            for (const char *p : {"ALL PRIVILEGES", "FILE", "SHUTDOWN", "SUPER", "INSERT", "UPDATE", "DELETE", "DROP",
                                  "ALTER", "CREATE"})
                if (privileges.find(p) != std::string::npos) found.insert(p);
        }
        if (found.empty()) return;
        std::string list;
        for (const auto &p : found) list += (list.empty() ? "" : ", ") + p;
        accountWarning_ =
            "the account " + settings_.user + " holds " + list +
            "; queries are read-only by the allow-list and a READ ONLY transaction. A SELECT-only account: "
            "CREATE USER 'momq_reader'@'%' IDENTIFIED BY '…'; GRANT SELECT, SHOW VIEW ON db.* TO 'momq_reader'@'%';";
    }

    ExecutionError errorOf(unsigned code, const std::string &message) const {
        if (code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST)
            return ExecutionError(ExecutionError::Reason::Connection, message);
        if (code == 1969 /* ER_STATEMENT_TIMEOUT */ || code == 1317 /* ER_QUERY_INTERRUPTED */)
            return timedOut(options_.timeoutMs);
        if (code == 1792 /* ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION */)
            return refused("MariaDB refused a write in the READ ONLY transaction: " + message);
        return ExecutionError(ExecutionError::Reason::Failed, message);
    }

    void exec(const char *sql) {
        if (mysql_real_query(db_.get(), sql, std::strlen(sql)) != 0)
            throw errorOf(mysql_errno(db_.get()), mysql_error(db_.get()));
        if (MYSQL_RES *r = mysql_store_result(db_.get())) mysql_free_result(r);
    }

    // KILL QUERY from a second connection: the server stops the statement whatever it says.
    void killQuery(unsigned long threadId) const {
        try {
            auto killer = open();
            const std::string kill = "KILL QUERY " + std::to_string(threadId);
            mysql_real_query(killer.get(), kill.data(), kill.size());
        } catch (const ExecutionError &) {
            // the server is gone: the read below fails by itself
        }
    }

    QueryResult attempt(const std::string &query) override {
        if (const auto why = mariadbRefusal(query)) throw refused(*why);
        exec("START TRANSACTION READ ONLY");
        QueryResult r;
        MYSQL *db = db_.get();
        const unsigned long threadId = mysql_thread_id(db);
        bool expired = false, failed = false;
        const auto started = Clock::now();
        unsigned code = 0;
        std::string message;
        {
            Deadline deadline(
                options_.timeoutMs, [&] { killQuery(threadId); },
                [&] { ::shutdown(static_cast<int>(mysql_get_socket(db)), SHUT_RDWR); });
            if (mysql_real_query(db, query.data(), query.size()) != 0) {
                failed = true;
            } else if (MYSQL_RES *raw = mysql_use_result(db)) {
                std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(raw, &mysql_free_result);
                const unsigned n = mysql_num_fields(raw);
                MYSQL_FIELD *fields = mysql_fetch_fields(raw);
                for (unsigned c = 0; c < n; ++c) r.columns.emplace_back(fields[c].name);
                while (MYSQL_ROW row = mysql_fetch_row(raw)) {
                    if (!takeRow(r, rowOf(row, mysql_fetch_lengths(raw), fields, n), options_.rowCap)) {
                        killQuery(threadId);  // the rest is not wanted; freeing the result drains what is left
                        break;
                    }
                }
                if (!r.truncated && mysql_errno(db) != 0) failed = true;
            } else if (mysql_errno(db) != 0) {
                failed = true;
            }
            if (failed) {
                code = mysql_errno(db);
                message = mysql_error(db);
            }
            expired = deadline.expired();
        }
        if (expired) {
            if (mysql_real_query(db, "ROLLBACK", 8) != 0) timedOutAndReconnect(options_.timeoutMs);  // severed
            throw timedOut(options_.timeoutMs);
        }
        if (failed) {
            mysql_real_query(db, "ROLLBACK", 8);
            throw errorOf(code, message);
        }
        // MariaDB ends SLEEP() and BENCHMARK() at max_statement_time with a made-up value instead of
        // an error: a statement that used its whole time counts as timed out.
        if (Clock::now() - started >= std::chrono::milliseconds(options_.timeoutMs)) {
            exec("ROLLBACK");
            throw timedOut(options_.timeoutMs);
        }
        exec("ROLLBACK");
        return r;
    }

    static std::vector<Value> rowOf(MYSQL_ROW row, const unsigned long *lengths, const MYSQL_FIELD *fields,
                                    unsigned n) {
        std::vector<Value> values;
        for (unsigned c = 0; c < n; ++c) {
            if (!row[c]) {
                values.push_back(Value::null());
                continue;
            }
            const std::string text(row[c], lengths[c]);
            switch (fields[c].type) {
            case MYSQL_TYPE_TINY:
            case MYSQL_TYPE_SHORT:
            case MYSQL_TYPE_LONG:
            case MYSQL_TYPE_LONGLONG:
            case MYSQL_TYPE_INT24:
                values.push_back(Value::of(static_cast<std::int64_t>(std::strtoll(text.c_str(), nullptr, 10))));
                break;
            case MYSQL_TYPE_FLOAT:
            case MYSQL_TYPE_DOUBLE:
            case MYSQL_TYPE_DECIMAL:
            case MYSQL_TYPE_NEWDECIMAL: values.push_back(Value::of(std::strtod(text.c_str(), nullptr))); break;
            default: values.push_back(Value::of(text));
            }
        }
        return values;
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<MYSQL, decltype(&mysql_close)> db_{nullptr, &mysql_close};
};

}  // namespace

std::unique_ptr<QueryExecutor> openMysqlExecutor(const ConnectionSettings &settings, const ExecutionOptions &options) {
    return std::make_unique<MysqlExecutor>(settings, options);
}

}  // namespace momq
