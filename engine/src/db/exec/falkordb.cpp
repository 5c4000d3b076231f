// FalkorDB over the Redis protocol (hiredis): GRAPH.RO_QUERY with --compact replies, whose values
// carry their types (spec 7.4 compares numbers as floats and strings as strings).
#include "db/exec/executor_base.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <memory>

namespace momq {

namespace {

using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

// Compact value types of FalkorDB's result set.
enum CompactType {
    Null = 1,
    String = 2,
    Integer = 3,
    Boolean = 4,
    Double = 5,
    Array = 6,
    Edge = 7,
    Node = 8,
    Path = 9,
    Map = 10
};

std::string replyText(const redisReply *r) {
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR: return std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER: return std::to_string(r->integer);
    case REDIS_REPLY_NIL: return "null";
    case REDIS_REPLY_ARRAY: {
        std::string out = "[";
        for (std::size_t i = 0; i < r->elements; ++i) out += (i ? ", " : "") + replyText(r->element[i]);
        return out + "]";
    }
    default: return "?";
    }
}

// One [type, value] cell. Numbers become floats as the reference's floatify does; composite
// values (lists, nodes, edges, paths, maps) become their text, so they compare as strings.
Value cellValue(const redisReply *cell) {
    if (cell->type != REDIS_REPLY_ARRAY || cell->elements != 2) return Value::of(replyText(cell));
    const auto type = cell->element[0]->integer;
    const redisReply *v = cell->element[1];
    switch (type) {
    case Null: return Value::null();
    case String: return Value::of(std::string(v->str, v->len));
    case Integer: return Value::of(static_cast<double>(v->integer));
    case Double: return Value::of(std::strtod(v->str, nullptr));
    case Boolean: return Value::of(std::string(v->str, v->len) == "true" ? 1.0 : 0.0);  // True == 1.0, as in Python
    case Array: {
        std::string out = "[";
        for (std::size_t i = 0; i < v->elements; ++i) out += (i ? ", " : "") + cellValue(v->element[i]).display();
        return Value::of(out + "]");
    }
    default: return Value::of(replyText(v));
    }
}

class FalkorDbExecutor : public ReconnectingExecutor {
public:
    FalkorDbExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

    // GRAPH.EXPLAIN parses and plans the query without running it.
    std::optional<ServerCheck> checkWithoutRunning(const std::string &query) override {
        Reply reply(static_cast<redisReply *>(
                        redisCommand(ctx_.get(), "GRAPH.EXPLAIN %s %s", settings_.database.c_str(), query.c_str())),
                    &freeReplyObject);
        if (!reply)
            throw ExecutionError(ExecutionError::Reason::Connection, std::string("connection lost: ") + ctx_->errstr);
        ServerCheck check{"FalkorDB GRAPH.EXPLAIN", ""};
        if (reply->type == REDIS_REPLY_ERROR) check.error.assign(reply->str, reply->len);
        return check;
    }

private:
    void connect() override {
        const timeval timeout{5, 0};
        ctx_.reset(redisConnectWithTimeout(settings_.host.empty() ? "127.0.0.1" : settings_.host.c_str(),
                                           settings_.port ? settings_.port : 6379, timeout));
        if (!ctx_ || ctx_->err)
            throw ExecutionError(ExecutionError::Reason::Connection,
                                 describeConnection(settings_) +
                                     ": cannot connect: " + (ctx_ ? ctx_->errstr : "out of memory"));
        if (!settings_.password.empty()) {
            Reply auth(static_cast<redisReply *>(redisCommand(ctx_.get(), "AUTH %s", settings_.password.c_str())),
                       &freeReplyObject);
            if (!auth || auth->type == REDIS_REPLY_ERROR)
                throw ExecutionError(ExecutionError::Reason::Connection,
                                     describeConnection(settings_) + ": authentication failed");
        }
    }

    // One GRAPH.RO_QUERY under the deadline.
    Reply send(const std::string &query) {
        const std::string timeout = std::to_string(options_.timeoutMs);
        Reply reply(nullptr, &freeReplyObject);
        bool expired = false;
        {
            // FalkorDB's own TIMEOUT does not stop every query (an UNWIND of a huge range runs on):
            // at the deadline the connection is closed, so the client never waits longer.
            redisContext *ctx = ctx_.get();
            Deadline deadline(options_.timeoutMs, [ctx] { ::shutdown(ctx->fd, SHUT_RDWR); });
            reply.reset(
                static_cast<redisReply *>(redisCommand(ctx, "GRAPH.RO_QUERY %s %s --compact TIMEOUT %s",
                                                       settings_.database.c_str(), query.c_str(), timeout.c_str())));
            expired = deadline.expired();
        }
        if (expired) timedOutAndReconnect(options_.timeoutMs);
        if (!reply)
            throw ExecutionError(ExecutionError::Reason::Connection, std::string("connection lost: ") + ctx_->errstr);
        return reply;
    }

    QueryResult attempt(const std::string &query) override {
        // FalkorDB replies in one piece, so client memory follows the result. (Wrapping the query in
        // CALL { … } RETURN * LIMIT would bound it, but RETURN * reorders the columns.)
        Reply reply = send(query);
        if (reply->type == REDIS_REPLY_ERROR) {
            const std::string message(reply->str, reply->len);
            if (message.find("timed out") != std::string::npos)
                throw ExecutionError(ExecutionError::Reason::Timeout, message);
            if (message.find("read-only") != std::string::npos)
                throw ExecutionError(ExecutionError::Reason::Refused, "refused: " + message);
            throw ExecutionError(ExecutionError::Reason::Failed, message);
        }
        QueryResult r;
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return r;  // statistics only: no result set
        for (std::size_t c = 0; c < reply->element[0]->elements; ++c) {
            const redisReply *h = reply->element[0]->element[c];
            r.columns.push_back(h->type == REDIS_REPLY_ARRAY && h->elements == 2 ? replyText(h->element[1])
                                                                                 : replyText(h));
        }
        const redisReply *rows = reply->element[1];
        for (std::size_t i = 0; i < rows->elements; ++i) {
            std::vector<Value> row;
            for (std::size_t c = 0; c < rows->element[i]->elements; ++c)
                row.push_back(cellValue(rows->element[i]->element[c]));
            if (!takeRow(r, std::move(row), options_.rowCap)) break;
        }
        return r;
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<redisContext, decltype(&redisFree)> ctx_{nullptr, &redisFree};
};

}  // namespace

std::unique_ptr<QueryExecutor> openFalkorDbExecutor(const ConnectionSettings &settings,
                                                    const ExecutionOptions &options) {
    return std::make_unique<FalkorDbExecutor>(settings, options);
}

void loadGraph(const ConnectionSettings &settings, const std::vector<std::string> &statements, bool replaceExisting) {
    const timeval timeout{5, 0};
    std::unique_ptr<redisContext, decltype(&redisFree)> ctx(
        redisConnectWithTimeout(settings.host.empty() ? "127.0.0.1" : settings.host.c_str(),
                                settings.port ? settings.port : 6379, timeout),
        &redisFree);
    if (!ctx || ctx->err) throw ConnectionError(describeConnection(settings) + ": cannot connect");
    if (replaceExisting) {  // an error here only says there was no such graph yet
        Reply gone(static_cast<redisReply *>(redisCommand(ctx.get(), "GRAPH.DELETE %s", settings.database.c_str())),
                   &freeReplyObject);
        if (!gone) throw ConnectionError(describeConnection(settings) + ": connection lost");
    }
    for (std::size_t i = 0; i < statements.size(); ++i) {
        Reply reply(static_cast<redisReply *>(
                        redisCommand(ctx.get(), "GRAPH.QUERY %s %s", settings.database.c_str(), statements[i].c_str())),
                    &freeReplyObject);
        if (!reply || reply->type == REDIS_REPLY_ERROR)
            throw Error(describeConnection(settings) + ": statement " + std::to_string(i + 1) + ": " +
                        (reply ? replyText(reply.get()) : "connection lost"));
    }
}

}  // namespace momq
