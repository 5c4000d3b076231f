// The embedded default project: built on first use from resources/demo, reused afterwards.
#include "test_support.h"

#include "momq/demo_project.h"

#include <QtTest>

#include <filesystem>

using namespace momq;

class TestDemoProject : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void buildsOnceThenReopens();
    void resourceDirectoryCanBeOverriddenButMustExist();
    void defaultFolderFollowsXdgDataHome();
};

void TestDemoProject::defaultFolderFollowsXdgDataHome() {
    const QByteArray home = qgetenv("HOME");
    qputenv("XDG_DATA_HOME", "/tmp/xdg-test");
    QCOMPARE(defaultDemoProjectDir(), std::string("/tmp/xdg-test/MoMQ/momq-studio/demo"));
    qunsetenv("XDG_DATA_HOME");
    qputenv("HOME", "/home/someone");
    QCOMPARE(defaultDemoProjectDir(), std::string("/home/someone/.local/share/MoMQ/momq-studio/demo"));
    qputenv("HOME", home);
}

void TestDemoProject::buildsOnceThenReopens() {
    QTemporaryDir dir;
    const std::string where = dir.filePath(QStringLiteral("demo")).toStdString();
    {
        auto store = openDemoProject(where, findResourceDir());
        const auto schemas = store.schemas();
        QCOMPARE(schemas.size(), size_t(3 + 12));  // club, two example graphs, the benchmark's six domains in two forms
        const auto club = store.schema("club");
        QVERIFY(club.has_value());
        QCOMPARE(club->schema.tables.size(), size_t(4));
        QCOMPARE(club->schema.foreignKeys.size(), size_t(4));
        QCOMPARE(club->schema.findTable("club")->findColumn("city")->examples,
                 (std::vector<std::string>{"Beijing", "Hangzhou", "Shanghai"}));
        QCOMPARE(store.connections().size(), size_t(1 + 6));
        for (const auto &c : store.connections()) QVERIFY(std::filesystem::exists(c.settings.path));
        QCOMPARE(store.schema("basketball")->schema.tables.size(), size_t(3));
        QVERIFY(store.schema("basketball")->connectionId.has_value());
        QCOMPARE(store.schema("hospital_graph")->schema.kind, SchemaKind::Graph);
        // the model this project trained, with its MoMQ run (resources/demo)
        QCOMPARE(store.models().size(), size_t(1));
        QVERIFY(std::filesystem::exists(store.models()[0].path + "/model.safetensors"));
        const auto runs = store.trainingRuns();
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].status, RunStatus::Finished);
        QCOMPARE(runs[0].modelId, std::optional<std::int64_t>(store.models()[0].id));
        QVERIFY(std::filesystem::exists(runs[0].runDir + "/adapter/adapter_config.json"));
        QCOMPARE(store.schema("movies")->schema.kind, SchemaKind::Graph);
        QCOMPARE(store.schema("basketballplayer")->schema.relationships.size(), size_t(2));
        store.addGeneratedQuery({0, "club", "sqlite", "q", "SELECT 1", {}, true, ""});
    }
    QVERIFY(!std::filesystem::exists(where + "/demo.momq.tmp"));
    auto again = openDemoProject(where, findResourceDir());
    QCOMPARE(again.generatedQueries().size(), size_t(1));  // reopened, not rebuilt
}

void TestDemoProject::resourceDirectoryCanBeOverriddenButMustExist() {
    QTemporaryDir dir;
    qputenv("MOMQ_RESOURCE_DIR", dir.path().toUtf8());
    QCOMPARE(QString::fromStdString(findResourceDir()), dir.path());
    qputenv("MOMQ_RESOURCE_DIR", "/nonexistent/momq");
    EXPECT_ERROR(Error, findResourceDir(), "MOMQ_RESOURCE_DIR=/nonexistent/momq: no such folder");
    qunsetenv("MOMQ_RESOURCE_DIR");
}

QTEST_GUILESS_MAIN(TestDemoProject)
#include "test_demo_project.moc"
