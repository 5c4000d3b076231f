#include "momq/store.h"

#include "core/json_document.h"
#include "momq/error.h"
#include "project/sqlite_db.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace momq {

namespace fs = std::filesystem;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

// 'MoMQ' in ASCII: lets `file` and the store itself recognise project files.
constexpr int kApplicationId = 0x4D6F4D51;

// Forward migrations: entry i takes a store from version i to version i + 1.
// Never edit a released entry; append a new one.
constexpr std::array kMigrations = {
    // 0 -> 1: connections, schemas, datasets, models
    R"sql(
CREATE TABLE momq_schema_version(version INTEGER NOT NULL);
INSERT INTO momq_schema_version VALUES (0);
CREATE TABLE connections(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  engine TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  host TEXT NOT NULL DEFAULT '',
  port INTEGER NOT NULL DEFAULT 0,
  database TEXT NOT NULL DEFAULT '',
  user TEXT NOT NULL DEFAULT '',
  secret_key TEXT NOT NULL DEFAULT '');
CREATE TABLE schemas(
  id INTEGER PRIMARY KEY,
  db_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  schema_json TEXT NOT NULL);
CREATE TABLE datasets(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE dataset_items(
  id INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  dialect TEXT NOT NULL,
  db_id TEXT NOT NULL,
  question TEXT NOT NULL,
  query TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '');
CREATE INDEX dataset_items_by_dataset ON dataset_items(dataset_id);
CREATE TABLE models(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  config_json TEXT NOT NULL);
)sql",
    // 1 -> 2: training runs with per-step metrics, evaluation reports, query history
    R"sql(
CREATE TABLE training_runs(
  id INTEGER PRIMARY KEY,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  method TEXT NOT NULL,
  config_json TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE run_metrics(
  run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  metrics_json TEXT NOT NULL,
  PRIMARY KEY(run_id, step)) WITHOUT ROWID;
CREATE TABLE evaluation_reports(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  run_id INTEGER REFERENCES training_runs(id) ON DELETE SET NULL,
  dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
  report_json TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE generated_queries(
  id INTEGER PRIMARY KEY,
  db_id TEXT NOT NULL,
  dialect TEXT NOT NULL,
  question TEXT NOT NULL,
  query TEXT NOT NULL,
  model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
  favourite INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE INDEX generated_queries_by_favourite ON generated_queries(favourite, id);
)sql",
    // 2 -> 3: an item's other gold queries (a JSON list of strings)
    R"sql(
ALTER TABLE dataset_items ADD COLUMN alternatives TEXT NOT NULL DEFAULT '[]';
)sql",
};

constexpr const char *kNow = "strftime('%Y-%m-%dT%H:%M:%fZ','now')";

[[noreturn]] void throwStoreError(int code, const std::string &message) {
    switch (code) {
    case SQLITE_NOTADB: throw StoreError(StoreErrorKind::NotAProject, message + " (not a MoMQ project file)");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw StoreError(StoreErrorKind::Locked,
                         message + " (another program is writing this project; try again when it has finished)");
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        throw StoreError(StoreErrorKind::ReadOnly, message + " (the file or its folder cannot be written)");
    case SQLITE_CONSTRAINT: throw StoreError(StoreErrorKind::Invalid, message);
    default: throw StoreError(StoreErrorKind::Io, message);
    }
}

std::string likePattern(const std::string &text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

RunStatus runStatusFromName(const std::string &name) {
    for (auto s : {RunStatus::Configured, RunStatus::Running, RunStatus::Paused, RunStatus::Finished, RunStatus::Failed,
                   RunStatus::Stopped})
        if (name == runStatusName(s)) return s;
    throw StoreError(StoreErrorKind::Io, "unknown training run status \"" + name + "\" in the store");
}

// One statement in its own transaction. `bind` fills the parameters.
template <typename Bind> void executeWrite(const sqlite::Connection &c, const std::string &sql, Bind &&bind) {
    Transaction tx(c);
    Statement s(c, sql);
    bind(s);
    s.run();
    tx.commit();
}

// An INSERT in its own transaction; returns the new row's id.
template <typename Bind> std::int64_t insertRow(const sqlite::Connection &c, const std::string &sql, Bind &&bind) {
    Transaction tx(c);
    Statement s(c, sql);
    bind(s);
    s.run();
    const auto id = sqlite3_last_insert_rowid(c.handle());
    tx.commit();
    return id;
}

// An UPDATE of one row by id; StoreError(Invalid) "no WHAT with id N" when there is none.
template <typename Bind>
void updateRow(const sqlite::Connection &c, const std::string &storePath, const std::string &sql,
               const std::string &what, std::int64_t id, Bind &&bind) {
    Transaction tx(c);
    Statement s(c, sql);
    bind(s);
    s.run();
    if (sqlite3_changes(c.handle()) != 1)
        throw StoreError(StoreErrorKind::Invalid, storePath + ": no " + what + " with id " + std::to_string(id));
    tx.commit();
}

}  // namespace

const char *runStatusName(RunStatus status) {
    switch (status) {
    case RunStatus::Configured: return "configured";
    case RunStatus::Running: return "running";
    case RunStatus::Paused: return "paused";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Stopped: return "stopped";
    }
    return "?";
}

struct ProjectStore::Db {
    sqlite::Connection conn;
    Db(const std::string &path, int flags) : conn(path, flags, throwStoreError) {}
};

ProjectStore::ProjectStore(std::string path, std::unique_ptr<Db> db) : path_(std::move(path)), db_(std::move(db)) {}
ProjectStore::ProjectStore(ProjectStore &&) noexcept = default;
ProjectStore &ProjectStore::operator=(ProjectStore &&) noexcept = default;
ProjectStore::~ProjectStore() = default;

int ProjectStore::latestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

namespace {

void configure(const sqlite::Connection &c, const StoreOptions &options) {
    sqlite3_busy_timeout(c.handle(), options.busyTimeoutMs);
    c.exec("PRAGMA foreign_keys = ON");
}

// Brings the store up to the latest version, each step in its own transaction.
void migrate(const sqlite::Connection &c, int from) {
    for (int v = from; v < ProjectStore::latestSchemaVersion(); ++v) {
        Transaction tx(c);
        c.exec(kMigrations[v]);
        c.exec("UPDATE momq_schema_version SET version = " + std::to_string(v + 1));
        tx.commit();
    }
}

int readVersion(const sqlite::Connection &c) {
    Statement s(c, "SELECT version FROM momq_schema_version");
    if (!s.step()) throw StoreError(StoreErrorKind::NotAProject, c.path() + ": schema version row is missing");
    return static_cast<int>(s.integer(0));
}

}  // namespace

ProjectStore ProjectStore::create(const std::string &path, StoreOptions options) {
    std::error_code ec;
    if (fs::exists(path, ec))
        throw StoreError(StoreErrorKind::AlreadyExists, path + ": a file with this name exists already");
    auto db = std::make_unique<Db>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE);
    try {
        configure(db->conn, options);
        db->conn.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        db->conn.exec("PRAGMA journal_mode = WAL");
        db->conn.exec("PRAGMA synchronous = FULL");
        migrate(db->conn, 0);
    } catch (...) {
        db.reset();
        // A store that never got its first version is not a project: leave nothing behind.
        for (const char *suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
        throw;
    }
    return ProjectStore(path, std::move(db));
}

ProjectStore ProjectStore::open(const std::string &path, StoreOptions options) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw StoreError(StoreErrorKind::Missing, path + ": no project file here");
    {
        // Check the header ourselves: SQLite would treat an empty file as a fresh database.
        std::ifstream in(path, std::ios::binary);
        char header[16] = {};
        in.read(header, sizeof header);
        if (in.gcount() < 16 || std::memcmp(header, "SQLite format 3", 16) != 0)
            throw StoreError(StoreErrorKind::NotAProject, path + ": not a MoMQ project file (not an SQLite database)");
    }
    auto db = std::make_unique<Db>(path, SQLITE_OPEN_READWRITE);
    const auto &c = db->conn;
    configure(c, options);
    {
        Statement appId(c, "PRAGMA application_id");
        appId.step();
        if (appId.integer(0) != kApplicationId)
            throw StoreError(StoreErrorKind::NotAProject,
                             path + ": an SQLite database of another program, not a MoMQ project");
    }
    const int version = readVersion(c);
    if (version > latestSchemaVersion())
        throw StoreError(StoreErrorKind::NewerVersion, path + ": written by a newer MoMQ Studio (store version " +
                                                           std::to_string(version) + ", this build reads up to " +
                                                           std::to_string(latestSchemaVersion()) +
                                                           "); update MoMQ Studio to open it");
    if (sqlite3_db_readonly(c.handle(), "main") == 1)
        throw StoreError(StoreErrorKind::ReadOnly, path + ": the project file is read-only");
    c.exec("PRAGMA synchronous = FULL");
    migrate(c, version);
    return ProjectStore(path, std::move(db));
}

int ProjectStore::schemaVersion() const { return readVersion(db_->conn); }

std::string ProjectStore::integrityCheck() const {
    Statement s(db_->conn, "PRAGMA integrity_check");
    std::string out;
    while (s.step()) out += (out.empty() ? "" : "\n") + s.text(0);
    return out;
}

// ---- connections -------------------------------------------------------------------------------

namespace {
void bindConnection(Statement &s, const ConnectionRecord &r) {
    s.bind(1, r.name)
        .bind(2, std::string(engineName(r.settings.engine)))
        .bind(3, r.settings.path)
        .bind(4, r.settings.host)
        .bind(5, std::int64_t{r.settings.port})
        .bind(6, r.settings.database)
        .bind(7, r.settings.user)
        .bind(8, r.secretKey);
}
}  // namespace

std::int64_t ProjectStore::addConnection(const ConnectionRecord &r) {
    return insertRow(
        db_->conn,
        "INSERT INTO connections(name, engine, path, host, port, database, user, secret_key) VALUES (?,?,?,?,?,?,?,?)",
        [&](Statement &s) { bindConnection(s, r); });
}

void ProjectStore::updateConnection(const ConnectionRecord &r) {
    updateRow(
        db_->conn, path_,
        "UPDATE connections SET name=?, engine=?, path=?, host=?, port=?, database=?, user=?, secret_key=? WHERE id=?",
        "connection", r.id, [&](Statement &s) {
            bindConnection(s, r);
            s.bind(9, r.id);
        });
}

void ProjectStore::removeConnection(std::int64_t id) {
    executeWrite(db_->conn, "DELETE FROM connections WHERE id=?", [&](Statement &s) { s.bind(1, id); });
}

std::vector<ConnectionRecord> ProjectStore::connections() const {
    Statement s(db_->conn, "SELECT id, name, engine, path, host, port, database, user, secret_key "
                           "FROM connections ORDER BY name");
    std::vector<ConnectionRecord> out;
    while (s.step()) {
        ConnectionRecord r;
        r.id = s.integer(0);
        r.name = s.text(1);
        r.settings.engine = engineFromName(s.text(2));
        r.settings.path = s.text(3);
        r.settings.host = s.text(4);
        r.settings.port = static_cast<int>(s.integer(5));
        r.settings.database = s.text(6);
        r.settings.user = s.text(7);
        r.secretKey = s.text(8);
        out.push_back(std::move(r));
    }
    return out;
}

// ---- schemas -----------------------------------------------------------------------------------

std::int64_t ProjectStore::saveSchema(const Schema &schema, const std::string &source,
                                      std::optional<std::int64_t> connectionId) {
    const auto &c = db_->conn;
    Transaction tx(c);
    Statement s(c, std::string("INSERT INTO schemas(db_id, kind, connection_id, source, imported_at, schema_json) "
                               "VALUES (?,?,?,?,") +
                       kNow +
                       ",?) "
                       "ON CONFLICT(db_id) DO UPDATE SET kind=excluded.kind, connection_id=excluded.connection_id, "
                       "source=excluded.source, imported_at=excluded.imported_at, schema_json=excluded.schema_json");
    s.bind(1, schema.dbId)
        .bind(2, std::string(schemaKindName(schema.kind)))
        .bind(3, connectionId)
        .bind(4, source)
        .bind(5, schemaToJson(schema, -1));
    s.run();
    Statement id(c, "SELECT id FROM schemas WHERE db_id=?");
    id.bind(1, schema.dbId).step();
    const auto rowId = id.integer(0);
    tx.commit();
    return rowId;
}

namespace {
constexpr const char *kSchemaColumns = "SELECT id, connection_id, source, imported_at, schema_json FROM schemas";

SchemaRecord readSchemaRow(const Statement &s, const std::string &storePath) {
    SchemaRecord r;
    r.id = s.integer(0);
    r.connectionId = s.optionalInteger(1);
    r.source = s.text(2);
    r.importedAt = s.text(3);
    try {
        r.schema = schemaFromJson(s.text(4));
    } catch (...) {
        rethrowWithContext(storePath + ": schema row " + std::to_string(r.id));
    }
    return r;
}
}  // namespace

std::vector<SchemaRecord> ProjectStore::schemas() const {
    Statement s(db_->conn, std::string(kSchemaColumns) + " ORDER BY db_id");
    std::vector<SchemaRecord> out;
    while (s.step()) out.push_back(readSchemaRow(s, path_));
    return out;
}

std::optional<SchemaRecord> ProjectStore::schema(const std::string &dbId) const {
    Statement s(db_->conn, std::string(kSchemaColumns) + " WHERE db_id=?");
    s.bind(1, dbId);
    if (!s.step()) return std::nullopt;
    return readSchemaRow(s, path_);
}

std::optional<SchemaRecord> ProjectStore::schemaFor(const std::string &dbId, Dialect dialect) const {
    const bool graph = dialectInfo(dialect).graph;
    if (graph)
        if (auto record = schema(dbId + "_graph"); record && record->schema.kind == SchemaKind::Graph) return record;
    auto record = schema(dbId);
    if (record && (record->schema.kind == SchemaKind::Graph) == graph) return record;
    return std::nullopt;
}

std::optional<ConnectionRecord> ProjectStore::connectionOf(const SchemaRecord &schema) const {
    if (schema.connectionId)
        for (auto &c : connections())
            if (c.id == *schema.connectionId) return c;
    return std::nullopt;
}

void ProjectStore::removeSchema(const std::string &dbId) {
    executeWrite(db_->conn, "DELETE FROM schemas WHERE db_id=?", [&](Statement &s) { s.bind(1, dbId); });
}

// ---- datasets ----------------------------------------------------------------------------------

std::int64_t ProjectStore::addDataset(const std::string &name, const std::string &source,
                                      const std::vector<DatasetItem> &items) {
    const auto &c = db_->conn;
    Transaction tx(c);
    Statement ds(c, std::string("INSERT INTO datasets(name, source, created_at) VALUES (?,?,") + kNow + ")");
    ds.bind(1, name).bind(2, source).run();
    const auto datasetId = sqlite3_last_insert_rowid(c.handle());
    Statement item(c, "INSERT INTO dataset_items(dataset_id, item_id, dialect, db_id, question, query, evidence, "
                      "alternatives) VALUES (?,?,?,?,?,?,?,?)");
    for (const auto &it : items) {
        item.bind(1, datasetId)
            .bind(2, it.itemId)
            .bind(3, it.dialect)
            .bind(4, it.dbId)
            .bind(5, it.question)
            .bind(6, it.query)
            .bind(7, it.evidence)
            .bind(8, nlohmann::json(it.alternatives).dump());
        item.run();
    }
    tx.commit();
    return datasetId;
}

std::vector<DatasetRecord> ProjectStore::datasets() const {
    Statement s(db_->conn, "SELECT d.id, d.name, d.source, d.created_at, "
                           "(SELECT COUNT(*) FROM dataset_items i WHERE i.dataset_id = d.id) "
                           "FROM datasets d ORDER BY d.name");
    std::vector<DatasetRecord> out;
    while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.integer(4)});
    return out;
}

std::vector<DatasetItem> ProjectStore::datasetItems(std::int64_t datasetId) const {
    Statement s(db_->conn, "SELECT item_id, dialect, db_id, question, query, evidence, alternatives FROM dataset_items "
                           "WHERE dataset_id=? ORDER BY id");
    s.bind(1, datasetId);
    std::vector<DatasetItem> out;
    while (s.step()) {
        DatasetItem item{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), {}};
        auto list = stringList(parseJson(s.text(6), "dataset item " + item.itemId + ": alternatives"));
        if (!list) throw FormatError("dataset item " + item.itemId + ": alternatives: expected strings");
        item.alternatives = std::move(*list);
        out.push_back(std::move(item));
    }
    return out;
}

void ProjectStore::removeDataset(std::int64_t id) {
    executeWrite(db_->conn, "DELETE FROM datasets WHERE id=?", [&](Statement &s) { s.bind(1, id); });
}

// ---- models and runs ---------------------------------------------------------------------------

std::int64_t ProjectStore::addModel(const ModelRecord &m) {
    return insertRow(db_->conn, "INSERT INTO models(name, path, config_json) VALUES (?,?,?)",
                     [&](Statement &s) { s.bind(1, m.name).bind(2, m.path).bind(3, m.configJson); });
}

std::vector<ModelRecord> ProjectStore::models() const {
    Statement s(db_->conn, "SELECT id, name, path, config_json FROM models ORDER BY name");
    std::vector<ModelRecord> out;
    while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3)});
    return out;
}

std::int64_t ProjectStore::addTrainingRun(const TrainingRunRecord &r) {
    return insertRow(
        db_->conn,
        std::string("INSERT INTO training_runs(model_id, name, method, config_json, run_dir, status, created_at) "
                    "VALUES (?,?,?,?,?,?,") +
            kNow + ")",
        [&](Statement &s) {
            s.bind(1, r.modelId)
                .bind(2, r.name)
                .bind(3, r.method)
                .bind(4, r.configJson)
                .bind(5, r.runDir)
                .bind(6, std::string(runStatusName(r.status)));
        });
}

void ProjectStore::setTrainingRunStatus(std::int64_t runId, RunStatus status) {
    updateRow(db_->conn, path_, "UPDATE training_runs SET status=? WHERE id=?", "training run", runId,
              [&](Statement &s) { s.bind(1, std::string(runStatusName(status))).bind(2, runId); });
}

std::vector<TrainingRunRecord> ProjectStore::trainingRuns() const {
    Statement s(db_->conn, "SELECT id, model_id, name, method, config_json, run_dir, status, created_at "
                           "FROM training_runs ORDER BY id");
    std::vector<TrainingRunRecord> out;
    while (s.step()) {
        TrainingRunRecord r;
        r.id = s.integer(0);
        r.modelId = s.optionalInteger(1);
        r.name = s.text(2);
        r.method = s.text(3);
        r.configJson = s.text(4);
        r.runDir = s.text(5);
        r.status = runStatusFromName(s.text(6));
        r.createdAt = s.text(7);
        out.push_back(std::move(r));
    }
    return out;
}

void ProjectStore::appendRunMetrics(std::int64_t runId, std::int64_t step, const std::string &metricsJson) {
    executeWrite(db_->conn, "INSERT OR REPLACE INTO run_metrics(run_id, step, metrics_json) VALUES (?,?,?)",
                 [&](Statement &s) { s.bind(1, runId).bind(2, step).bind(3, metricsJson); });
}

std::vector<std::pair<std::int64_t, std::string>> ProjectStore::runMetrics(std::int64_t runId) const {
    Statement s(db_->conn, "SELECT step, metrics_json FROM run_metrics WHERE run_id=? ORDER BY step");
    s.bind(1, runId);
    std::vector<std::pair<std::int64_t, std::string>> out;
    while (s.step()) out.emplace_back(s.integer(0), s.text(1));
    return out;
}

// ---- evaluation reports and history ------------------------------------------------------------

std::int64_t ProjectStore::addEvaluationReport(const EvaluationReportRecord &r) {
    return insertRow(
        db_->conn,
        std::string("INSERT INTO evaluation_reports(name, model_id, run_id, dataset_id, report_json, created_at) "
                    "VALUES (?,?,?,?,?,") +
            kNow + ")",
        [&](Statement &s) {
            s.bind(1, r.name).bind(2, r.modelId).bind(3, r.runId).bind(4, r.datasetId).bind(5, r.reportJson);
        });
}

std::vector<EvaluationReportRecord> ProjectStore::evaluationReports() const {
    Statement s(db_->conn, "SELECT id, name, model_id, run_id, dataset_id, report_json, created_at "
                           "FROM evaluation_reports ORDER BY id");
    std::vector<EvaluationReportRecord> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1), s.optionalInteger(2), s.optionalInteger(3), s.optionalInteger(4),
                       s.text(5), s.text(6)});
    return out;
}

std::int64_t ProjectStore::addGeneratedQuery(const GeneratedQuery &q) {
    return insertRow(
        db_->conn,
        std::string("INSERT INTO generated_queries(db_id, dialect, question, query, model_id, favourite, created_at) "
                    "VALUES (?,?,?,?,?,?,") +
            kNow + ")",
        [&](Statement &s) {
            s.bind(1, q.dbId)
                .bind(2, q.dialect)
                .bind(3, q.question)
                .bind(4, q.query)
                .bind(5, q.modelId)
                .bind(6, std::int64_t{q.favourite});
        });
}

void ProjectStore::setFavourite(std::int64_t queryId, bool favourite) {
    updateRow(db_->conn, path_, "UPDATE generated_queries SET favourite=? WHERE id=?", "generated query", queryId,
              [&](Statement &s) { s.bind(1, std::int64_t{favourite}).bind(2, queryId); });
}

std::vector<GeneratedQuery> ProjectStore::generatedQueries(const std::string &text, bool favouritesOnly,
                                                           int limit) const {
    Statement s(db_->conn,
                "SELECT id, db_id, dialect, question, query, model_id, favourite, created_at FROM generated_queries "
                "WHERE (?1 = '' OR question LIKE ?2 ESCAPE '\\' OR query LIKE ?2 ESCAPE '\\') "
                "AND (?3 = 0 OR favourite = 1) ORDER BY id DESC LIMIT ?4");
    s.bind(1, text).bind(2, likePattern(text)).bind(3, std::int64_t{favouritesOnly}).bind(4, std::int64_t{limit});
    std::vector<GeneratedQuery> out;
    while (s.step())
        out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.optionalInteger(5),
                       s.integer(6) != 0, s.text(7)});
    return out;
}

}  // namespace momq
