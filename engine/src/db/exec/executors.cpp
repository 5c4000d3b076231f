// openExecutor: the executor of a connection's engine (one file an engine beside this one).
#include "db/exec/executor_base.h"

#include "core/utf8.h"

namespace momq {

ExecutionError::ExecutionError(Reason reason, const std::string &message)
    : Error(utf8Lossy(message)), reason_(reason) {}

std::unique_ptr<QueryExecutor> openSqliteExecutor(const ConnectionSettings &settings, const ExecutionOptions &options);
std::unique_ptr<QueryExecutor> openPostgresExecutor(const ConnectionSettings &settings,
                                                    const ExecutionOptions &options);
std::unique_ptr<QueryExecutor> openMysqlExecutor(const ConnectionSettings &settings, const ExecutionOptions &options);
std::unique_ptr<QueryExecutor> openFalkorDbExecutor(const ConnectionSettings &settings,
                                                    const ExecutionOptions &options);
std::unique_ptr<QueryExecutor> openNeo4jExecutor(const ConnectionSettings &settings, const ExecutionOptions &options);

std::unique_ptr<QueryExecutor> openExecutor(const ConnectionSettings &settings, const ExecutionOptions &options) {
    switch (settings.engine) {
    case DatabaseEngine::SQLite: return openSqliteExecutor(settings, options);
    case DatabaseEngine::PostgreSQL: return openPostgresExecutor(settings, options);
    case DatabaseEngine::MySQL: return openMysqlExecutor(settings, options);
    case DatabaseEngine::FalkorDB: return openFalkorDbExecutor(settings, options);
    case DatabaseEngine::Neo4j: return openNeo4jExecutor(settings, options);
    }
    throw ExecutionError(ExecutionError::Reason::Connection, "unsupported engine");
}

}  // namespace momq
