// Engine-internal: what every server executor shares — the refusal of modifying statements before
// anything is sent, and one reconnection when the connection was lost.
#pragma once

#include "momq/execution.h"

namespace momq {

inline void refuseModifyingQuery(const std::string &query) {
    if (auto keyword = modifyingKeyword(query))
        throw ExecutionError(ExecutionError::Reason::Refused, "refused: the query would modify data (" + *keyword + ")");
}

class ReconnectingExecutor : public QueryExecutor {
public:
    QueryResult run(const std::string &query) final {
        refuseModifyingQuery(query);
        try {
            return attempt(query);
        } catch (const ExecutionError &e) {
            if (e.reason() != ExecutionError::Reason::Connection) throw;
            connect();  // one retry on a lost connection
            return attempt(query);
        }
    }

protected:
    // Throws ExecutionError(Connection) when the server cannot be reached.
    virtual void connect() = 0;
    // Runs one query; ExecutionError(Connection) when the connection was lost on the way.
    virtual QueryResult attempt(const std::string &query) = 0;
};

} // namespace momq
