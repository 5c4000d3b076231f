// The project store: one SQLite file (WAL, foreign keys on, versioned with forward migrations)
// holding a project's connections, schemas, datasets, models, training runs, evaluation reports
// and generated-query history. Every write is one transaction; a crash at any point leaves every
// committed row readable. Secrets are never stored (see connection.h).
//
// Not thread-safe: one ProjectStore per thread. Several processes may open the same file; a
// writer that waits longer than `busyTimeoutMs` for another gets StoreError(Locked).
#pragma once

#include "momq/connection.h"
#include "momq/dataset.h"
#include "momq/error.h"
#include "momq/schema.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace momq {

enum class StoreErrorKind {
    NotAProject,    // not an SQLite file, or an SQLite file of another program
    NewerVersion,   // written by a newer MoMQ Studio
    ReadOnly,       // the file or its folder cannot be written
    Locked,         // another program holds the write lock
    Missing,        // open(): no such file
    AlreadyExists,  // create(): the file exists already
    Invalid,        // a value the store refuses (duplicate name, unknown id)
    Io,             // anything else SQLite reports
};

class StoreError : public Error {
public:
    StoreError(StoreErrorKind kind, const std::string &message) : Error(message), kind_(kind) {}
    StoreErrorKind kind() const { return kind_; }

private:
    StoreErrorKind kind_;
};

struct ConnectionRecord {
    std::int64_t id = 0;
    std::string name;             // unique in the project
    ConnectionSettings settings;  // password is not stored
    std::string secretKey;        // keychain entry name; empty when no password is needed
};

struct SchemaRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> connectionId;
    std::string source;      // "sqlite:/path", "postgresql://...", "file:/path.json"
    std::string importedAt;  // UTC, ISO 8601
    Schema schema;
};

struct DatasetRecord {
    std::int64_t id = 0;
    std::string name, source, createdAt;
    std::int64_t itemCount = 0;
};

struct ModelRecord {
    std::int64_t id = 0;
    std::string name;
    std::string path;        // a Hugging Face model directory
    std::string configJson;  // its config.json, as read when registered
};

enum class RunStatus { Configured, Running, Paused, Finished, Failed, Stopped };
const char *runStatusName(RunStatus status);

struct TrainingRunRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> modelId;
    std::string name, method, configJson, runDir;
    RunStatus status = RunStatus::Configured;
    std::string createdAt;
};

struct EvaluationReportRecord {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> modelId, runId, datasetId;
    std::string reportJson;
    std::string createdAt;
};

struct GeneratedQuery {
    std::int64_t id = 0;
    std::string dbId, dialect, question, query;
    std::optional<std::int64_t> modelId;
    bool favourite = false;
    std::string createdAt;
};

struct StoreOptions {
    int busyTimeoutMs = 3000;
};

class ProjectStore {
public:
    // create() refuses an existing file; open() refuses a missing one. Both leave an unusable
    // file untouched and throw StoreError naming it.
    static ProjectStore create(const std::string &path, StoreOptions options = {});
    static ProjectStore open(const std::string &path, StoreOptions options = {});
    static int latestSchemaVersion();

    ProjectStore(ProjectStore &&) noexcept;
    ProjectStore &operator=(ProjectStore &&) noexcept;
    ~ProjectStore();

    const std::string &path() const { return path_; }
    int schemaVersion() const;
    // `PRAGMA integrity_check`: "ok" or SQLite's list of problems.
    std::string integrityCheck() const;

    std::int64_t addConnection(const ConnectionRecord &connection);
    void updateConnection(const ConnectionRecord &connection);
    void removeConnection(std::int64_t id);  // its imported schemas stay, detached
    std::vector<ConnectionRecord> connections() const;

    // Saves a schema under its db_id, replacing an earlier one with the same db_id.
    std::int64_t saveSchema(const Schema &schema, const std::string &source,
                            std::optional<std::int64_t> connectionId = std::nullopt);
    std::vector<SchemaRecord> schemas() const;
    std::optional<SchemaRecord> schema(const std::string &dbId) const;
    // The schema a dialect's query about database `dbId` is written against: for a graph dialect
    // its graph form `<dbId>_graph` when there is one, else `dbId` itself when its kind fits.
    std::optional<SchemaRecord> schemaFor(const std::string &dbId, Dialect dialect) const;
    // The connection a schema was imported from, when it was and the connection is still there.
    std::optional<ConnectionRecord> connectionOf(const SchemaRecord &schema) const;
    void removeSchema(const std::string &dbId);

    std::int64_t addDataset(const std::string &name, const std::string &source, const std::vector<DatasetItem> &items);
    std::vector<DatasetRecord> datasets() const;
    std::vector<DatasetItem> datasetItems(std::int64_t datasetId) const;
    void removeDataset(std::int64_t id);

    std::int64_t addModel(const ModelRecord &model);
    std::vector<ModelRecord> models() const;

    std::int64_t addTrainingRun(const TrainingRunRecord &run);
    void setTrainingRunStatus(std::int64_t runId, RunStatus status);
    std::vector<TrainingRunRecord> trainingRuns() const;
    // One metrics line (a JSON object) per step; appending a step twice replaces it.
    void appendRunMetrics(std::int64_t runId, std::int64_t step, const std::string &metricsJson);
    std::vector<std::pair<std::int64_t, std::string>> runMetrics(std::int64_t runId) const;

    std::int64_t addEvaluationReport(const EvaluationReportRecord &report);
    std::vector<EvaluationReportRecord> evaluationReports() const;

    std::int64_t addGeneratedQuery(const GeneratedQuery &query);
    void setFavourite(std::int64_t queryId, bool favourite);
    // Newest first; `text` matches question or query (case-insensitive substring).
    std::vector<GeneratedQuery> generatedQueries(const std::string &text = {}, bool favouritesOnly = false,
                                                 int limit = 200) const;

private:
    struct Db;
    ProjectStore(std::string path, std::unique_ptr<Db> db);
    std::string path_;
    std::unique_ptr<Db> db_;
};

}  // namespace momq
