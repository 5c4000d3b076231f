#include "momq/demo_project.h"

#include "momq/benchmark.h"
#include "momq/files.h"
#include "momq/introspect.h"
#include "project/sqlite_db.h"

#include <cstdlib>
#include <filesystem>

#ifndef MOMQ_SOURCE_RESOURCE_DIR
#define MOMQ_SOURCE_RESOURCE_DIR ""
#endif
#ifndef MOMQ_INSTALLED_RESOURCE_DIR
#define MOMQ_INSTALLED_RESOURCE_DIR ""
#endif

namespace momq {

namespace fs = std::filesystem;

std::string findResourceDir() {
    std::error_code ec;
    if (const char *env = std::getenv("MOMQ_RESOURCE_DIR")) {
        if (fs::is_directory(env, ec)) return env;
        throw Error(std::string("MOMQ_RESOURCE_DIR=") + env + ": no such folder");
    }
    for (const char *dir : {MOMQ_SOURCE_RESOURCE_DIR, MOMQ_INSTALLED_RESOURCE_DIR})
        if (*dir && fs::is_directory(fs::path(dir) / "demo", ec)) return dir;
    throw Error("cannot find MoMQ's resource folder (set MOMQ_RESOURCE_DIR to the resources/ folder)");
}

std::string defaultDemoProjectDir() {
    std::string base;
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char *home = std::getenv("HOME"); home && *home)
        base = std::string(home) + "/.local/share";
    else
        throw Error("cannot place the demo project: neither XDG_DATA_HOME nor HOME is set (use --dir)");
    return base + "/MoMQ/momq-studio/demo";
}

namespace {

void buildDemoDatabase(const fs::path &sqlFile, const fs::path &target) {
    const fs::path tmp = target.string() + ".tmp";
    fs::remove(tmp);
    {
        sqlite::Connection db(tmp.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              [](int, const std::string &msg) { throw Error(msg); });
        try {
            db.exec("BEGIN; " + readTextFile(sqlFile.string()) + "; COMMIT;");
        } catch (...) {
            rethrowWithContext(sqlFile.string());
        }
    }
    fs::rename(tmp, target);
}

}  // namespace

ProjectStore openDemoProject(const std::string &dirText, const std::string &resourceDir) {
    const fs::path dir(dirText);
    const fs::path projectFile = dir / "demo.momq";
    if (fs::exists(projectFile)) return ProjectStore::open(projectFile.string());

    const fs::path demo = fs::path(resourceDir) / "demo";
    fs::create_directories(dir);
    const fs::path database = fs::absolute(dir / "club.sqlite");
    if (!fs::exists(database)) buildDemoDatabase(demo / "club.sql", database);

    const fs::path tmp = dir / "demo.momq.tmp";
    for (const char *suffix : {"", "-wal", "-shm"}) fs::remove(tmp.string() + suffix);
    {
        auto store = ProjectStore::create(tmp.string());
        ConnectionRecord connection;
        connection.name = "club (demo)";
        connection.settings.engine = DatabaseEngine::SQLite;
        connection.settings.path = database.string();
        const auto connectionId = store.addConnection(connection);
        IntrospectOptions options;
        options.dbId = "club";
        store.saveSchema(introspectDatabase(connection.settings, options), describeConnection(connection.settings),
                         connectionId);
        for (const auto &entry : fs::directory_iterator(demo)) {
            const auto name = entry.path().filename().string();
            if (name.size() > 12 && name.ends_with(".schema.json"))
                store.saveSchema(loadSchemaFile(entry.path().string()), "file:" + entry.path().string());
        }
        // The built-in benchmark's databases (what the demo model was trained and tested on):
        // SQLite files with their schemas, and the graph forms' schemas.
        const fs::path bench = fs::absolute(dir / "bench");
        if (!fs::exists(bench / "manifest.json")) synthesizeBenchmark({bench.string()});
        for (const auto &entry : fs::directory_iterator(bench / "schemas")) {
            const auto schema = loadSchemaFile(entry.path().string());
            const fs::path sqliteFile = bench / "sqlite" / (schema.dbId + ".sqlite");
            if (schema.kind == SchemaKind::Relational && fs::exists(sqliteFile)) {
                ConnectionRecord c;
                c.name = schema.dbId + " (demo)";
                c.settings.engine = DatabaseEngine::SQLite;
                c.settings.path = sqliteFile.string();
                store.saveSchema(schema, describeConnection(c.settings), store.addConnection(c));
            } else {
                store.saveSchema(schema, "file:" + entry.path().string());
            }
        }
        // The model this project trained for it (scripts/train-demo-model.sh): the base model and
        // the MoMQ fine-tuning run whose adapter lies in its run folder.
        const fs::path model = demo / "model", adapter = demo / "adapter";
        if (fs::exists(model / "config.json") && fs::exists(adapter)) {
            ModelRecord m;
            m.name = "MoMQ demo model (built-in benchmark)";
            m.path = fs::absolute(model).string();
            m.configJson = readTextFile((model / "config.json").string());
            TrainingRunRecord run;
            run.modelId = store.addModel(m);
            run.name = "MoMQ fine-tuning (demo)";
            run.method = "momq";
            run.runDir = fs::absolute(demo).string();
            run.configJson = readTextFile((demo / "momq-train.json").string());
            run.status = RunStatus::Finished;
            store.addTrainingRun(run);
        }
    }  // closing checkpoints the WAL into the file, so the rename below moves everything
    fs::rename(tmp, projectFile);
    return ProjectStore::open(projectFile.string());
}

}  // namespace momq
