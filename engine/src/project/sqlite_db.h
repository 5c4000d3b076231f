// A thin RAII layer over the SQLite C API, shared by the project store and SQLite introspection.
// Errors become exceptions built by the owner's `ErrorFactory`, so each user keeps its own types.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace momq::sqlite {

// Called with the SQLite result code and a message that already names the file and statement.
using ErrorFactory = std::function<void(int code, const std::string &message)>;

class Connection {
public:
    Connection(const std::string &path, int flags, ErrorFactory onError);
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;
    ~Connection();

    sqlite3 *handle() const { return db_; }
    const std::string &path() const { return path_; }
    void exec(const std::string &sql) const;
    [[noreturn]] void fail(int code, const std::string &what) const;

private:
    sqlite3 *db_ = nullptr;
    std::string path_;
    ErrorFactory onError_;
};

class Statement {
public:
    Statement(const Connection &db, const std::string &sql);
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bind(int index, const std::string &value);
    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, std::optional<std::int64_t> value);
    Statement &bindNull(int index);
    // Advances to the next row; false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    void reset();

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    std::optional<std::int64_t> optionalInteger(int column) const;
    bool isNull(int column) const;
    int columnCount() const;

private:
    const Connection &db_;
    sqlite3_stmt *stmt_ = nullptr;
    std::string sql_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted (an exception in flight).
class Transaction {
public:
    explicit Transaction(const Connection &db);
    ~Transaction();
    void commit();

private:
    const Connection &db_;
    bool done_ = false;
};

// SQL identifier quoting: "name" with embedded quotes doubled.
std::string quoteIdentifier(const std::string &name);

}  // namespace momq::sqlite
