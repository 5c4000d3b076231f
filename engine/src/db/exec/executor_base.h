// Engine-internal: what the executors share — a deadline that fires a cancel on a watchdog thread,
// one reconnection when the connection was lost, and the row cap.
#pragma once

#include "momq/execution.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace momq {

// Runs `cancel` on its own thread when `timeoutMs` pass before the guard is destroyed, then
// `sever` (closing the connection, say) if the query is still not over a quarter of the limit
// later; expired() is true from the first. Whatever the query text says, the client ends it.
class Deadline {
public:
    Deadline(int timeoutMs, std::function<void()> cancel, std::function<void()> sever = {})
        : watchdog_([this, timeoutMs, cancel = std::move(cancel), sever = std::move(sever)] {
              const int graceMs = std::clamp(timeoutMs / 4, 100, 1000);
              std::unique_lock lock(mutex_);
              if (done_.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return finished_; })) return;
              expired_ = true;
              cancel();
              if (!sever || done_.wait_for(lock, std::chrono::milliseconds(graceMs), [this] { return finished_; }))
                  return;
              sever();
          }) {}
    ~Deadline() {
        {
            std::lock_guard lock(mutex_);
            finished_ = true;
        }
        done_.notify_one();
        watchdog_.join();
    }
    bool expired() const { return expired_; }

private:
    std::mutex mutex_;
    std::condition_variable done_;
    bool finished_ = false;
    std::atomic<bool> expired_{false};
    std::thread watchdog_;  // last: starts once the rest is ready
};

inline ExecutionError timedOut(int timeoutMs) {
    return ExecutionError(ExecutionError::Reason::Timeout, "timed out after " + std::to_string(timeoutMs) + " ms");
}

inline ExecutionError refused(const std::string &why) {
    return ExecutionError(ExecutionError::Reason::Refused, "refused: " + why);
}

class ReconnectingExecutor : public QueryExecutor {
public:
    QueryResult run(const std::string &query) final {
        try {
            return attempt(query);
        } catch (const ExecutionError &e) {
            if (e.reason() != ExecutionError::Reason::Connection) throw;
            connect();  // one retry on a lost connection
            return attempt(query);
        }
    }
    std::string accountWarning() const override { return accountWarning_; }

protected:
    // Throws ExecutionError(Connection) when the server cannot be reached.
    virtual void connect() = 0;
    // Runs one query; ExecutionError(Connection) when the connection was lost on the way.
    virtual QueryResult attempt(const std::string &query) = 0;
    // After a deadline that closed the connection: a fresh session for the next query (a server
    // that is gone is reported by that query), and the timeout for this one.
    [[noreturn]] void timedOutAndReconnect(int timeoutMs) {
        try {
            connect();
        } catch (const ExecutionError &) {
        }
        throw timedOut(timeoutMs);
    }
    std::string accountWarning_;
};

// Appends a row unless the cap is reached; false (and `truncated` set) when it is.
inline bool takeRow(QueryResult &r, std::vector<Value> row, int rowCap) {
    if (static_cast<int>(r.rows.size()) >= rowCap) {
        r.truncated = true;
        return false;
    }
    r.rows.push_back(std::move(row));
    return true;
}

}  // namespace momq
