// SQLite: opened read-only; one statement, which SQLite itself must call read-only; an authorizer
// refuses ATTACH, PRAGMAs that could change settings, and loading extensions; a progress handler
// ends a query at its deadline; rows stop at the cap as they are stepped.
#include "db/exec/executor_base.h"

#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>

namespace momq {

namespace {

using Clock = std::chrono::steady_clock;

// PRAGMAs that only report; any other (journal_mode, writable_schema, ...) is refused.
const std::set<std::string> kReportingPragmas = {"table_info",    "table_xinfo", "table_list",       "index_list",
                                                 "index_info",    "index_xinfo", "foreign_key_list", "collation_list",
                                                 "function_list", "pragma_list", "compile_options"};

int decide(int action, const char *a, const char *b) {
    switch (action) {
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT: return SQLITE_DENY;
    case SQLITE_PRAGMA:
        return a && kReportingPragmas.count(a) ? SQLITE_OK : SQLITE_DENY;  // none of these has a write form
    case SQLITE_FUNCTION:
        return b && (sqlite3_stricmp(b, "load_extension") == 0 || sqlite3_stricmp(b, "fts3_tokenizer") == 0)
                   ? SQLITE_DENY
                   : SQLITE_OK;
    default: return SQLITE_OK;
    }
}

// `denied` (a bool) records that the authorizer said no, so the failed prepare reads as a refusal.
int authorize(void *denied, int action, const char *a, const char *b, const char *, const char *) {
    const int verdict = decide(action, a, b);
    if (verdict == SQLITE_DENY) *static_cast<bool *>(denied) = true;
    return verdict;
}

bool onlyCommentsOrSpace(sqlite3 *db, const char *tail) {
    // SQLite's own parser: preparing the rest yields no statement when nothing but comments and
    // white space is left.
    while (tail && *tail) {
        sqlite3_stmt *next = nullptr;
        const char *rest = nullptr;
        if (sqlite3_prepare_v2(db, tail, -1, &next, &rest) != SQLITE_OK) return false;
        if (next) {
            sqlite3_finalize(next);
            return false;
        }
        if (rest == tail) break;
        tail = rest;
    }
    return true;
}

class SqliteExecutor : public QueryExecutor {
public:
    SqliteExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : options_(o) {
        if (sqlite3_open_v2(s.path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw ExecutionError(ExecutionError::Reason::Connection, s.path + ": " + msg);
        }
        sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
        sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
        sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
        sqlite3_set_authorizer(db_, &authorize, &denied_);
        sqlite3_progress_handler(db_, 1000, &SqliteExecutor::onProgress, this);
    }
    ~SqliteExecutor() override { sqlite3_close(db_); }

    QueryResult run(const std::string &query) override {
        deadline_ = Clock::now() + std::chrono::milliseconds(options_.timeoutMs);
        sqlite3_stmt *raw = nullptr;
        const char *tail = nullptr;
        denied_ = false;
        if (sqlite3_prepare_v2(db_, query.c_str(), static_cast<int>(query.size()), &raw, &tail) != SQLITE_OK) {
            const std::string message = sqlite3_errmsg(db_);
            if (denied_) throw refused("SQLite's authorizer does not allow this here (" + message + ")");
            throw ExecutionError(ExecutionError::Reason::Failed, message);
        }
        std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> st(raw, &sqlite3_finalize);
        if (!st) throw ExecutionError(ExecutionError::Reason::Failed, "empty query");
        if (!onlyCommentsOrSpace(db_, tail))
            throw refused("one statement per query; more text follows the first statement");
        if (!sqlite3_stmt_readonly(raw)) throw refused("SQLite reports that this statement writes to the database");
        QueryResult r;
        const int columns = sqlite3_column_count(raw);
        for (int c = 0; c < columns; ++c) r.columns.emplace_back(sqlite3_column_name(raw, c));
        int rc;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
            std::vector<Value> row;
            for (int c = 0; c < columns; ++c) {
                switch (sqlite3_column_type(raw, c)) {
                case SQLITE_NULL: row.push_back(Value::null()); break;
                case SQLITE_INTEGER:
                    row.push_back(Value::of(static_cast<std::int64_t>(sqlite3_column_int64(raw, c))));
                    break;
                case SQLITE_FLOAT: row.push_back(Value::of(sqlite3_column_double(raw, c))); break;
                default:
                    row.push_back(Value::of(std::string(reinterpret_cast<const char *>(sqlite3_column_text(raw, c)),
                                                        static_cast<std::size_t>(sqlite3_column_bytes(raw, c)))));
                }
            }
            if (!takeRow(r, std::move(row), options_.rowCap)) break;
        }
        if (rc == SQLITE_INTERRUPT) throw timedOut(options_.timeoutMs);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
            throw ExecutionError(ExecutionError::Reason::Failed, sqlite3_errmsg(db_));
        return r;
    }

private:
    static int onProgress(void *self) { return Clock::now() > static_cast<SqliteExecutor *>(self)->deadline_ ? 1 : 0; }
    sqlite3 *db_ = nullptr;
    bool denied_ = false;
    ExecutionOptions options_;
    Clock::time_point deadline_;
};

}  // namespace

std::unique_ptr<QueryExecutor> openSqliteExecutor(const ConnectionSettings &settings, const ExecutionOptions &options) {
    return std::make_unique<SqliteExecutor>(settings, options);
}

}  // namespace momq
