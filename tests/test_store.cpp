// The project store: every table's round trip, migrations, and bad files that must give a clear
// error and stay untouched.
#include "test_support.h"

#include "momq/store.h"

#include <QtTest>

#include <sqlite3.h>

#include <filesystem>
#include <unistd.h>

using namespace momq;
namespace fs = std::filesystem;

namespace {

// Runs SQL on a file with the plain SQLite API, as another program would.
void rawExec(const std::string &path, const std::string &sql) {
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const QString message = err ? QString::fromUtf8(err) : QString();
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, qPrintable(message));
}

std::string rawQueryText(const std::string &path, const std::string &sql) {
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

std::string allBytes(const std::string &path) {
    std::string bytes = test::readFile(path);
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        if (fs::exists(path + suffix)) bytes += "|" + std::string(suffix) + ":" + test::readFile(path + suffix);
    return bytes;
}

ConnectionRecord pgConnection(const std::string &name) {
    ConnectionRecord c;
    c.name = name;
    c.settings.engine = DatabaseEngine::PostgreSQL;
    c.settings.host = "db.example";
    c.settings.port = 5433;
    c.settings.database = "sales";
    c.settings.user = "analyst";
    c.settings.password = "s3cr3t-never-stored";
    c.secretKey = "momq-studio/" + name;
    return c;
}

}  // namespace

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        QVERIFY(dir_.isValid());
        path_ = dir_.filePath(QStringLiteral("p%1.momq").arg(++n_)).toStdString();
    }

    void createsAVersionedWalStoreWithForeignKeys();
    void createRefusesAnExistingFileAndOpenAMissingOne();
    void connectionsRoundTripWithoutTheirSecrets();
    void duplicateConnectionNameIsRefusedAndChangesNothing();
    void removingAConnectionDetachesItsSchemas();
    void schemasAreReplacedByDbId();
    void datasetsKeepTheirItemsAndCascadeOnRemoval();
    void modelsRunsAndMetrics();
    void evaluationReports();
    void historySearchAndFavourites();
    void migratesAVersion1StoreKeepingEveryRow();
    void refusesAFileThatIsNotSqlite();
    void refusesAnEmptyFile();
    void refusesAnotherProgramsSqliteDatabase();
    void refusesAStoreFromANewerVersionUntouched();
    void refusesAReadOnlyLocation();
    void reportsALockedStoreAndKeepsItsData();

private:
    QTemporaryDir dir_;
    std::string path_;
    int n_ = 0;
};

void TestStore::createsAVersionedWalStoreWithForeignKeys() {
    {
        auto store = ProjectStore::create(path_);
        QCOMPARE(store.schemaVersion(), ProjectStore::latestSchemaVersion());
        QCOMPARE(store.integrityCheck(), std::string("ok"));
        // foreign keys are enforced: metrics need their training run
        EXPECT_ERROR(StoreError, store.appendRunMetrics(42, 1, "{}"), "FOREIGN KEY constraint failed");
    }
    QCOMPARE(rawQueryText(path_, "PRAGMA journal_mode"), std::string("wal"));
    QCOMPARE(rawQueryText(path_, "SELECT version FROM momq_schema_version"),
             std::to_string(ProjectStore::latestSchemaVersion()));
    auto reopened = ProjectStore::open(path_);
    QCOMPARE(reopened.schemaVersion(), ProjectStore::latestSchemaVersion());
}

void TestStore::createRefusesAnExistingFileAndOpenAMissingOne() {
    ProjectStore::create(path_);
    try {
        ProjectStore::create(path_);
        QFAIL("create() overwrote an existing file");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::AlreadyExists);
    }
    const std::string missing = path_ + ".missing";
    try {
        ProjectStore::open(missing);
        QFAIL("open() accepted a missing file");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::Missing);
        QVERIFY(std::string(e.what()).find(missing) != std::string::npos);
    }
    QVERIFY(!fs::exists(missing));
}

void TestStore::connectionsRoundTripWithoutTheirSecrets() {
    {
        auto store = ProjectStore::create(path_);
        const auto id = store.addConnection(pgConnection("warehouse"));
        ConnectionRecord sqlite;
        sqlite.name = "club";
        sqlite.settings.path = "/data/club.sqlite";
        store.addConnection(sqlite);

        const auto list = store.connections();
        QCOMPARE(list.size(), size_t(2));
        QCOMPARE(list[1].id, id);
        QCOMPARE(list[1].settings.host, std::string("db.example"));
        QCOMPARE(list[1].settings.port, 5433);
        QCOMPARE(list[1].settings.engine, DatabaseEngine::PostgreSQL);
        QCOMPARE(list[1].secretKey, std::string("momq-studio/warehouse"));
        QVERIFY(list[1].settings.password.empty());
        QCOMPARE(list[0].settings.engine, DatabaseEngine::SQLite);

        auto changed = list[1];
        changed.settings.database = "sales_2026";
        store.updateConnection(changed);
        QCOMPARE(store.connections()[1].settings.database, std::string("sales_2026"));
        changed.id = 999;
        EXPECT_ERROR(StoreError, store.updateConnection(changed), "no connection with id 999");
    }
    QVERIFY(allBytes(path_).find("s3cr3t-never-stored") == std::string::npos);
    QVERIFY(allBytes(path_).find("sales_2026") != std::string::npos);  // the check can see stored text
}

void TestStore::duplicateConnectionNameIsRefusedAndChangesNothing() {
    auto store = ProjectStore::create(path_);
    store.addConnection(pgConnection("warehouse"));
    auto again = pgConnection("warehouse");
    again.settings.host = "other.example";
    try {
        store.addConnection(again);
        QFAIL("duplicate name accepted");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::Invalid);
        QVERIFY(std::string(e.what()).find("UNIQUE constraint failed: connections.name") != std::string::npos);
    }
    QCOMPARE(store.connections().size(), size_t(1));
    QCOMPARE(store.connections()[0].settings.host, std::string("db.example"));
}

void TestStore::removingAConnectionDetachesItsSchemas() {
    auto store = ProjectStore::create(path_);
    const auto id = store.addConnection(pgConnection("warehouse"));
    Schema s;
    s.dbId = "sales";
    s.tables.push_back({"t", "", {{"a", "int", "", false, {}}}});
    store.saveSchema(s, "postgresql://db.example/sales", id);
    QCOMPARE(*store.schema("sales")->connectionId, id);
    store.removeConnection(id);
    QVERIFY(store.connections().empty());
    const auto kept = store.schema("sales");
    QVERIFY(kept.has_value());
    QVERIFY(!kept->connectionId.has_value());
    QVERIFY(kept->schema == s);
}

void TestStore::schemasAreReplacedByDbId() {
    auto store = ProjectStore::create(path_);
    Schema graph = loadSchemaFile(test::dataPath("schemas/movies.json"));
    Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const auto firstId = store.saveSchema(shop, "file:shop.json");
    store.saveSchema(graph, "file:movies.json");
    shop.tables.pop_back();
    shop.foreignKeys.clear();
    QCOMPARE(store.saveSchema(shop, "file:shop-v2.json"), firstId);

    const auto all = store.schemas();
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].schema.dbId, std::string("movies"));
    QVERIFY(all[0].schema == graph);
    QVERIFY(all[1].schema == shop);
    QCOMPARE(all[1].source, std::string("file:shop-v2.json"));
    QVERIFY(all[1].importedAt.size() >= 20);  // ISO 8601 UTC
    QVERIFY(!store.schema("nope").has_value());
    store.removeSchema("movies");
    QCOMPARE(store.schemas().size(), size_t(1));
}

void TestStore::datasetsKeepTheirItemsAndCascadeOnRemoval() {
    auto store = ProjectStore::create(path_);
    const std::vector<DatasetItem> items = {
        {"1",
         "mysql",
         "club",
         "How many members?",
         "SELECT COUNT(*) FROM member",
         "",
         {"SELECT COUNT(id) FROM member"}},
        {"2",
         "cypher",
         "movies",
         "谁出演了《黑客帝国》？",
         "MATCH (p:Person)-[:ACTED_IN]->(m:Movie {title:'The Matrix'}) RETURN p.name",
         "evidence",
         {}},
    };
    const auto id = store.addDataset("dev", "dev.jsonl", items);
    const auto sets = store.datasets();
    QCOMPARE(sets.size(), size_t(1));
    QCOMPARE(sets[0].itemCount, std::int64_t(2));
    QCOMPARE(sets[0].source, std::string("dev.jsonl"));
    const auto back = store.datasetItems(id);
    QCOMPARE(back.size(), size_t(2));
    QCOMPARE(back[1].question, items[1].question);
    QCOMPARE(back[1].evidence, std::string("evidence"));
    QCOMPARE(back[0].dialect, std::string("mysql"));
    QCOMPARE(back[0].alternatives, items[0].alternatives);  // other golds kept (once silently dropped)
    QVERIFY(back[1].alternatives.empty());
    EXPECT_ERROR(StoreError, store.addDataset("dev", "again.jsonl", items), "UNIQUE constraint failed");
    QCOMPARE(store.datasets()[0].itemCount, std::int64_t(2));  // the failed add left nothing behind
    store.removeDataset(id);
    QVERIFY(store.datasets().empty());
    QVERIFY(store.datasetItems(id).empty());
}

void TestStore::modelsRunsAndMetrics() {
    auto store = ProjectStore::create(path_);
    const auto modelId = store.addModel({0, "tiny", "/models/tiny", R"({"model_type":"qwen2"})"});
    QCOMPARE(store.models().at(0).configJson, std::string(R"({"model_type":"qwen2"})"));
    TrainingRunRecord run;
    run.modelId = modelId;
    run.name = "momq-1";
    run.method = "momq";
    run.configJson = R"({"lora_r":8})";
    run.runDir = "/runs/momq-1";
    const auto runId = store.addTrainingRun(run);
    store.setTrainingRunStatus(runId, RunStatus::Running);
    store.appendRunMetrics(runId, 1, R"({"total":2.5})");
    store.appendRunMetrics(runId, 2, R"({"total":2.1})");
    store.appendRunMetrics(runId, 2, R"({"total":2.0})");  // a resumed run rewrites its step
    const auto runs = store.trainingRuns();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs[0].status, RunStatus::Running);
    QCOMPARE(*runs[0].modelId, modelId);
    QCOMPARE(runs[0].runDir, std::string("/runs/momq-1"));
    const auto metrics = store.runMetrics(runId);
    QCOMPARE(metrics.size(), size_t(2));
    QCOMPARE(metrics[1].second, std::string(R"({"total":2.0})"));
    EXPECT_ERROR(StoreError, store.setTrainingRunStatus(runId + 7, RunStatus::Failed), "no training run with id");
}

void TestStore::evaluationReports() {
    auto store = ProjectStore::create(path_);
    const auto dataset = store.addDataset("test", "test.jsonl", {});
    EvaluationReportRecord r;
    r.name = "baseline";
    r.datasetId = dataset;
    r.reportJson = R"({"mysql":{"ex":50.0}})";
    const auto id = store.addEvaluationReport(r);
    const auto reports = store.evaluationReports();
    QCOMPARE(reports.size(), size_t(1));
    QCOMPARE(reports[0].id, id);
    QCOMPARE(*reports[0].datasetId, dataset);
    QVERIFY(!reports[0].modelId.has_value());
    QCOMPARE(reports[0].reportJson, r.reportJson);
    store.removeDataset(dataset);
    QVERIFY(!store.evaluationReports()[0].datasetId.has_value());  // the report outlives its dataset
}

void TestStore::historySearchAndFavourites() {
    auto store = ProjectStore::create(path_);
    const auto a = store.addGeneratedQuery(
        {0, "club", "mysql", "How many Members?", "SELECT COUNT(*) FROM member", {}, false, ""});
    store.addGeneratedQuery({0, "club", "postgresql", "Top 5% of ratings", "SELECT rating FROM member", {}, false, ""});
    const auto c =
        store.addGeneratedQuery({0, "movies", "cypher", "Who acted?", "MATCH (p:Person) RETURN p", {}, false, ""});
    QCOMPARE(store.generatedQueries().size(), size_t(3));
    QCOMPARE(store.generatedQueries()[0].id, c);                   // newest first
    QCOMPARE(store.generatedQueries("MEMBER").size(), size_t(2));  // question or query, any case
    QCOMPARE(store.generatedQueries("5%").size(), size_t(1));      // % is literal
    QCOMPARE(store.generatedQueries("_").size(), size_t(0));       // so is _
    store.setFavourite(a, true);
    const auto favourites = store.generatedQueries({}, true);
    QCOMPARE(favourites.size(), size_t(1));
    QCOMPARE(favourites[0].id, a);
    QVERIFY(favourites[0].favourite);
    QCOMPARE(store.generatedQueries({}, false, 2).size(), size_t(2));
    EXPECT_ERROR(StoreError, store.setFavourite(12345, true), "no generated query with id 12345");
}

void TestStore::migratesAVersion1StoreKeepingEveryRow() {
    rawExec(path_, test::readFile(test::dataPath("project_v1.sql")));
    QCOMPARE(rawQueryText(path_, "SELECT version FROM momq_schema_version"), std::string("1"));
    auto store = ProjectStore::open(path_);
    QCOMPARE(store.schemaVersion(), ProjectStore::latestSchemaVersion());
    QCOMPARE(store.integrityCheck(), std::string("ok"));
    QCOMPARE(store.connections().size(), size_t(2));
    QCOMPARE(store.connections()[1].secretKey, std::string("momq-studio/warehouse"));
    QCOMPARE(store.schema("club")->schema.tables.at(0).columns.at(0).name, std::string("id"));
    QCOMPARE(store.datasets().at(0).itemCount, std::int64_t(2));
    QVERIFY(store.datasetItems(store.datasets().at(0).id).at(0).alternatives.empty());  // version 3's column
    QCOMPARE(store.models().at(0).path, std::string("/models/tiny"));
    // tables added by version 2 work
    store.addGeneratedQuery({0, "club", "mysql", "q", "SELECT 1", {}, false, ""});
    QCOMPARE(store.generatedQueries().size(), size_t(1));
}

void TestStore::refusesAFileThatIsNotSqlite() {
    test::writeFile(path_, "hello, I am a text file and not a project\n");
    const std::string before = allBytes(path_);
    try {
        ProjectStore::open(path_);
        QFAIL("opened a text file");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::NotAProject);
        QVERIFY(std::string(e.what()).find(path_ + ": not a MoMQ project file") != std::string::npos);
    }
    QCOMPARE(allBytes(path_), before);
}

void TestStore::refusesAnEmptyFile() {
    test::writeFile(path_, "");
    EXPECT_ERROR(StoreError, ProjectStore::open(path_), "not a MoMQ project file");
    QCOMPARE(fs::file_size(path_), std::uintmax_t(0));
}

void TestStore::refusesAnotherProgramsSqliteDatabase() {
    rawExec(path_, "CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('mine');");
    const std::string before = allBytes(path_);
    try {
        ProjectStore::open(path_);
        QFAIL("opened a foreign SQLite database");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::NotAProject);
        QVERIFY(std::string(e.what()).find("another program") != std::string::npos);
    }
    QCOMPARE(allBytes(path_), before);
}

void TestStore::refusesAStoreFromANewerVersionUntouched() {
    ProjectStore::create(path_).addModel({0, "tiny", "/m", "{}"});
    rawExec(path_, "UPDATE momq_schema_version SET version = 99; PRAGMA wal_checkpoint(TRUNCATE);");
    const std::string before = allBytes(path_);
    try {
        ProjectStore::open(path_);
        QFAIL("opened a store from the future");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::NewerVersion);
        QVERIFY(std::string(e.what()).find("store version 99") != std::string::npos);
    }
    QCOMPARE(allBytes(path_), before);
}

void TestStore::refusesAReadOnlyLocation() {
    // /proc refuses new files even to root, so this holds wherever the tests run.
    try {
        ProjectStore::create("/proc/momq-test.momq");
        QFAIL("created a project in /proc");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::ReadOnly);
        QVERIFY(std::string(e.what()).find("/proc/momq-test.momq") != std::string::npos);
    }
    if (::geteuid() != 0) {  // root ignores file modes; elsewhere a read-only file must be refused too
        ProjectStore::create(path_);
        fs::permissions(path_, fs::perms::owner_read);
        fs::permissions(dir_.path().toStdString(), fs::perms::owner_read | fs::perms::owner_exec);
        EXPECT_ERROR(StoreError, ProjectStore::open(path_), "read-only");
        fs::permissions(dir_.path().toStdString(), fs::perms::owner_all);
    }
}

void TestStore::reportsALockedStoreAndKeepsItsData() {
    auto store = ProjectStore::create(path_, StoreOptions{200});
    store.addModel({0, "first", "/m1", "{}"});

    sqlite3 *other = nullptr;
    QCOMPARE(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    QCOMPARE(sqlite3_exec(other,
                          "BEGIN IMMEDIATE; INSERT INTO models(name, path, config_json) VALUES ('theirs','/x','{}');",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    try {
        store.addModel({0, "second", "/m2", "{}"});
        QFAIL("wrote while another program held the lock");
    } catch (const StoreError &e) {
        QCOMPARE(e.kind(), StoreErrorKind::Locked);
        QVERIFY(std::string(e.what()).find("another program is writing this project") != std::string::npos);
    }
    QCOMPARE(store.models().size(), size_t(1));  // reading still works under WAL
    QCOMPARE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(other);
    store.addModel({0, "second", "/m2", "{}"});
    QCOMPARE(store.models().size(), size_t(3));
    QCOMPARE(store.integrityCheck(), std::string("ok"));
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
