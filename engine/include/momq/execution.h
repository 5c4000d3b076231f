// Running queries against real databases, read-only, and comparing their results the way MoMQ's
// EX metric does (spec Part 7.3, 7.4): SQLite (embedded), PostgreSQL (libpq), MySQL/MariaDB
// (libmariadb), and FalkorDB for Cypher (hiredis, GRAPH.RO_QUERY).
#pragma once

#include "momq/connection.h"
#include "momq/error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace momq {

// One result cell. Numbers compare as Python does: 1 == 1.0, '1' != 1.
struct Value {
    enum class Kind { Null, Integer, Real, Text };
    Kind kind = Kind::Null;
    std::int64_t integer = 0;
    double real = 0;
    std::string text;

    static Value null() { return {}; }
    static Value of(std::int64_t v) { return {Kind::Integer, v, 0, {}}; }
    static Value of(double v) { return {Kind::Real, 0, v, {}}; }
    static Value of(std::string v) { return {Kind::Text, 0, 0, std::move(v)}; }
    std::string display() const;  // for previews: NULL, 3, 2.5, text
    bool operator==(const Value &) const;
};

struct QueryResult {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
    bool truncated = false;  // more rows than the cap
};

struct ExecutionOptions {
    int timeoutMs = 30000;
    int rowCap = 10000;
};

// Read-only, one statement per request, decided by each database itself: SQLite's own parser
// (sqlite3_stmt_readonly, an authorizer), PostgreSQL's parser (libpg_query) with volatile functions
// looked up in pg_proc, a READ ONLY transaction under a read-only role, MariaDB's statement classes
// read off the query as its lexer reads it (executable comments are code), FalkorDB's
// GRAPH.RO_QUERY and Neo4j's READ access mode. The time limit is a deadline the client enforces
// (cancel, KILL QUERY or a closed connection), and rows stop at the cap as they arrive.
class QueryExecutor {
public:
    virtual ~QueryExecutor() = default;
    // ExecutionError Refused names what was refused and why; Timeout after options.timeoutMs;
    // Failed with the database's message; a lost connection is retried once.
    virtual QueryResult run(const std::string &query) = 0;
    // What the account may do beyond reading, "" when nothing (checked once, on connecting), e.g.
    // "the account is a superuser; create a SELECT-only account: CREATE ROLE ...".
    virtual std::string accountWarning() const { return {}; }

    // Whether the database would accept `query`, asked without running it: MariaDB prepares it on
    // the server (syntax, tables, columns and privileges resolved, nothing executed); FalkorDB plans
    // it with GRAPH.EXPLAIN. nullopt where the engine offers no such check.
    struct ServerCheck {
        std::string checkedBy;  // "MariaDB PREPARE"
        std::string error;      // "" when accepted, else the database's message
    };
    virtual std::optional<ServerCheck> checkWithoutRunning(const std::string & /*query*/) { return std::nullopt; }
};

class ExecutionError : public Error {
public:
    enum class Reason { Refused, Timeout, Failed, Connection };
    // `message` may come from a server: invalid UTF-8 in it is replaced, so it can go into JSON.
    ExecutionError(Reason reason, const std::string &message);
    Reason reason() const { return reason_; }

private:
    Reason reason_;
};

std::unique_ptr<QueryExecutor> openExecutor(const ConnectionSettings &settings, const ExecutionOptions &options = {});

// EX for relational results (spec 7.3): same row and column counts, and some permutation of the
// predicted columns makes the two row multisets equal; row order is ignored; both empty match.
bool relationalResultsMatch(const QueryResult &gold, const QueryResult &predicted);
// The stricter variant (spec Part 0): rows in the same order when the gold query orders them, and
// numbers equal within 1e-6 relative (text exact, NULL only with NULL); still any column order.
bool relationalResultsMatchStrict(const QueryResult &gold, const QueryResult &predicted, bool goldOrders);

// Gold results that are empty or hold a NULL are left out of relational EX (spec 7.3).
bool excludedFromRelationalEx(const QueryResult &gold);

// EX for graph results (spec 7.4): the Jaccard similarity of (row, value) sets is 1. Column names
// and order and repeated values inside a row do not count; rows keep their order when
// `orderMatters` (either query says ORDER BY), else any pairing of rows will do. Both empty match.
bool graphResultsMatch(const QueryResult &gold, const QueryResult &predicted, bool orderMatters);
// Whether the query's outermost statement orders its result: ORDER BY (any white space or comments
// between the words, any case) outside literals, quoted names and comments, and not inside brackets
// (a subquery, a window, a Cypher list). nGQL's `| ORDER BY` is outermost too.
bool ordersOutermostResult(const std::string &query);
// Either query orders its result (ordersOutermostResult).
bool ordersRows(const std::string &goldQuery, const std::string &predictedQuery);

// Neo4j over its HTTP API (libcurl): one POST to /db/<database>/tx/commit per query, marked
// "Access-Mode: READ", Basic authentication from the settings. Built apart so it can be checked
// without a server.
struct HttpRequest {
    std::string url, body, user, password;
    std::vector<std::string> headers;
};
HttpRequest neo4jRequest(const ConnectionSettings &settings, const std::string &query);
// The response's first result as rows; its "errors" become ExecutionError (Failed) with Neo4j's
// code and message. Throws FormatError when the body is not a Neo4j response.
QueryResult parseNeo4jResponse(const std::string &body, int rowCap);

// Runs writing Cypher statements on a FalkorDB graph (GRAPH.QUERY), one per element: for loading
// test and benchmark graphs, never for user queries. `replaceExisting` deletes the graph first.
void loadGraph(const ConnectionSettings &settings, const std::vector<std::string> &statements,
               bool replaceExisting = false);

}  // namespace momq
