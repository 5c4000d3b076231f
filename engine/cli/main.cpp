// momq: the command-line tool over the engine. It only parses options and calls the library;
// every error reaches the user as one line on stderr and exit status 1 (2 for usage errors).
#include "momq/benchmark.h"
#include "momq/compute.h"
#include "momq/dataset.h"
#include "momq/demo_project.h"
#include "momq/files.h"
#include "momq/importers.h"
#include "momq/introspect.h"
#include "momq/secrets.h"
#include "momq/store.h"
#include "momq/tokenizer.h"

#include "model_commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>

namespace {

using nlohmann::json;

struct ConnectionOptions {
    std::string sqlite, engine, host, database, user, passwordEnv, passwordFile;
    int port = 0;

    void addTo(CLI::App *cmd) {
        cmd->add_option("--sqlite", sqlite, "SQLite database file");
        cmd->add_option("--engine", engine, "server engine: postgresql, mysql (MariaDB) or falkordb");
        cmd->add_option("--host", host, "server host")->default_str("127.0.0.1");
        cmd->add_option("--port", port, "server port (default: the engine's)");
        cmd->add_option("--database", database, "database name (FalkorDB: graph name)");
        cmd->add_option("--user", user, "user name");
        cmd->add_option("--password-env", passwordEnv,
                        "environment variable holding the password (default MOMQ_DB_PASSWORD when set)");
        cmd->add_option("--password-file", passwordFile, "file holding the password, readable only by you");
    }

    momq::ConnectionSettings settings() const {
        momq::ConnectionSettings s;
        if (!sqlite.empty()) {
            s.engine = momq::DatabaseEngine::SQLite;
            s.path = sqlite;
            return s;
        }
        if (engine.empty()) throw momq::FormatError("give --sqlite FILE, or --engine with --database");
        s = server();
        if (database.empty()) throw momq::FormatError("--database is required for --engine " + engine);
        return s;
    }

    // The environment variable the password came from, to record in a database config.
    std::string passwordEnvName() const {
        if (!passwordEnv.empty()) return passwordEnv;
        return passwordFile.empty() && std::getenv("MOMQ_DB_PASSWORD") ? "MOMQ_DB_PASSWORD" : "";
    }

    // A server without a required database (--database, when given, is where to connect first).
    momq::ConnectionSettings server() const {
        momq::ConnectionSettings s;
        if (engine.empty()) throw momq::FormatError("--engine is required: postgresql, mysql or falkordb");
        s.engine = momq::engineFromName(engine);
        if (s.engine == momq::DatabaseEngine::SQLite) throw momq::FormatError("--engine sqlite: use --sqlite FILE");
        s.host = host.empty() ? "127.0.0.1" : host;
        s.port = port;
        s.database = database;
        s.user = user;
        if (!passwordFile.empty()) s.password = momq::readSecretFromFile(passwordFile);
        else if (!passwordEnv.empty()) s.password = momq::readSecretFromEnvironment(passwordEnv);
        else if (std::getenv("MOMQ_DB_PASSWORD")) s.password = momq::readSecretFromEnvironment("MOMQ_DB_PASSWORD");
        return s;
    }
};

json summarise(const momq::ProjectStore &store) {
    json out = {{"project", store.path()}, {"store_version", store.schemaVersion()}};
    out["connections"] = json::array();
    for (const auto &c : store.connections())
        out["connections"].push_back({{"id", c.id}, {"name", c.name}, {"engine", momq::engineName(c.settings.engine)},
                                      {"target", momq::describeConnection(c.settings)}});
    out["schemas"] = json::array();
    for (const auto &r : store.schemas()) {
        json s = {{"db_id", r.schema.dbId}, {"kind", momq::schemaKindName(r.schema.kind)}, {"source", r.source}};
        if (r.schema.kind == momq::SchemaKind::Relational) {
            s["tables"] = r.schema.tables.size();
            s["foreign_keys"] = r.schema.foreignKeys.size();
        } else {
            s["node_labels"] = r.schema.nodes.size();
            s["relationship_types"] = r.schema.relationships.size();
        }
        out["schemas"].push_back(std::move(s));
    }
    out["datasets"] = store.datasets().size();
    out["models"] = store.models().size();
    out["training_runs"] = store.trainingRuns().size();
    out["evaluation_reports"] = store.evaluationReports().size();
    return out;
}

std::string printSchema(const momq::Schema &schema, const std::string &format) {
    if (format == "json") return momq::schemaToJson(schema);
    return momq::formatSchemaForPrompt(schema, momq::schemaFormatFromName(format));
}

} // namespace

int main(int argc, char **argv) {
    CLI::App app{"momq: MoMQ Studio's command-line tool (multi-dialect text-to-query engine)"};
    app.require_subcommand(1);
    int threads = 0;
    app.add_option("--threads", threads, "CPU threads for tensor work (0: one per core)");

    auto *devices = app.add_subcommand("devices", "show libtorch version, CPU threads and CUDA devices as JSON");

    std::string projectPath;
    auto *project = app.add_subcommand("project", "create or inspect a project file");
    project->require_subcommand(1);
    auto *projectInit = project->add_subcommand("init", "create a new, empty project file");
    projectInit->add_option("--project", projectPath, "project file to create")->required();
    auto *projectShow = project->add_subcommand("show", "summarise a project as JSON");
    projectShow->add_option("--project", projectPath, "project file")->required();

    auto *schema = app.add_subcommand("schema", "import, introspect and print schemas");
    schema->require_subcommand(1);
    ConnectionOptions conn;
    std::string jsonFile, connectionName, dbId, format = "json", dbFilter;
    int examples = 3;
    auto *schemaImport = schema->add_subcommand("import", "import a schema into a project (from a database or a JSON file)");
    schemaImport->add_option("--project", projectPath, "project file")->required();
    schemaImport->add_option("--json", jsonFile, "schema JSON file (instead of a database)");
    schemaImport->add_option("--name", connectionName, "name of the connection to record (default: the db_id)");
    schemaImport->add_option("--db-id", dbId, "db_id of the imported schema (default: database name or file stem)");
    schemaImport->add_option("--examples", examples, "example values per column")->default_val(3);
    conn.addTo(schemaImport);
    auto *schemaIntrospect = schema->add_subcommand("introspect", "read a database's schema and print it");
    conn.addTo(schemaIntrospect);
    schemaIntrospect->add_option("--db-id", dbId, "db_id of the schema");
    schemaIntrospect->add_option("--examples", examples, "example values per column")->default_val(3);
    schemaIntrospect->add_option("--format", format, "json | relational | cypher | ngql");
    auto *schemaShow = schema->add_subcommand("show", "print a project's schema as JSON or in a prompt format");
    schemaShow->add_option("--project", projectPath, "project file")->required();
    schemaShow->add_option("--db", dbFilter, "db_id of the schema")->required();
    schemaShow->add_option("--format", format, "json | relational | cypher | ngql");
    auto *schemaFormat = schema->add_subcommand("format", "print a schema JSON file in a prompt format");
    schemaFormat->add_option("--file", jsonFile, "schema JSON file")->required();
    schemaFormat->add_option("--format", format, "json | relational | cypher | ngql")->required();

    auto *data = app.add_subcommand("data", "dataset tools");
    data->require_subcommand(1);
    std::string importFormat, importInput, importOut, sqliteDir, schemasOut;
    auto *dataImport = data->add_subcommand("import", "convert a public dataset file to MoMQ items (JSONL)");
    dataImport->add_option("--format", importFormat, "momq-json | spider | defog-csv | text2cypher-csv")
        ->required()
        ->check(CLI::IsMember({"momq-json", "spider", "defog-csv", "text2cypher-csv"}));
    dataImport->add_option("--input", importInput, "the file to read")->required();
    dataImport->add_option("--out", importOut, "items JSONL to write")->required();
    dataImport->add_option("--sqlite-dir", sqliteDir, "spider: folder with <db_id>/<db_id>.sqlite, to write the schemas");
    dataImport->add_option("--schemas-out", schemasOut, "spider: where <db_id>.json schema files go");

    std::string synthOut, benchmarkDir;
    std::uint64_t synthSeed = momq::SynthOptions{}.seed;
    auto *dataSynth = data->add_subcommand("synth", "generate the built-in multi-dialect benchmark (databases, schemas, items)");
    dataSynth->add_option("--out", synthOut, "folder to write")->required();
    dataSynth->add_option("--seed", synthSeed, "random seed; the same seed gives the same files")->capture_default_str();

    std::string corpusOut;
    int promptEvery = 8;
    auto *dataCorpus = data->add_subcommand("corpus", "write pre-training text (JSONL {\"text\"}) from a built-in benchmark's training split");
    dataCorpus->add_option("--benchmark", benchmarkDir, "folder written by `momq data synth`")->required();
    dataCorpus->add_option("--out", corpusOut, "corpus JSONL to write")->required();
    dataCorpus->add_option("--prompt-every", promptEvery, "include the prompt of every n-th item (0: none)")->capture_default_str();

    auto *tokenizerCmd = app.add_subcommand("tokenizer", "tokenizer tools");
    tokenizerCmd->require_subcommand(1);
    std::string tokenizerCorpus, tokenizerOut;
    momq::TokenizerTrainOptions tokenizerOptions;
    auto *tokenizerTrain = tokenizerCmd->add_subcommand("train", "learn a byte-level BPE tokenizer.json from a JSONL {\"text\"} corpus");
    tokenizerTrain->add_option("--corpus", tokenizerCorpus, "JSONL corpus")->required();
    tokenizerTrain->add_option("--out", tokenizerOut, "folder for tokenizer.json")->required();
    tokenizerTrain->add_option("--vocab-size", tokenizerOptions.vocabSize, "tokens in all, special tokens included")->capture_default_str();
    tokenizerTrain->add_option("--min-frequency", tokenizerOptions.minFrequency, "fewest occurrences of a merged pair")->capture_default_str();

    auto *db = app.add_subcommand("db", "database tools");
    db->require_subcommand(1);
    std::string configOut;
    ConnectionOptions loadConn;
    auto *dbLoad = db->add_subcommand("load", "create the built-in benchmark's databases on a server and record them in a database config");
    dbLoad->add_option("--benchmark", benchmarkDir, "folder written by `momq data synth`")->required();
    dbLoad->add_option("--config", configOut, "database config JSON to update (created when missing)")->required();
    loadConn.addTo(dbLoad);

    std::string demoDir;
    auto *demo = app.add_subcommand("demo", "open the embedded default project (building it on first use) and summarise it");
    demo->add_option("--dir", demoDir, "where the demo project lives (default: the app's, ~/.local/share/MoMQ/momq-studio/demo)");

    const auto runModelCommand = cli::addModelCommands(app);

    CLI11_PARSE(app, argc, argv);

    try {
        momq::configureCpuThreads(threads);
        if (runModelCommand()) {
            // done
        } else if (*devices) {
            const auto info = momq::computeInfo();
            std::cout << json{{"torch", info.torchVersion}, {"cpu_cores", info.cpuCores},
                              {"cpu_threads", info.cpuThreads}, {"cuda_available", info.cudaAvailable},
                              {"cuda_devices", info.cudaDeviceCount}, {"default_device", momq::resolveDevice("auto")},
                              {"openmp_wait_policy", info.openmpWaitPolicy}, {"openmp_spin_count", info.openmpSpinCount}}
                             .dump(2)
                      << "\n";
        } else if (*projectInit) {
            std::cout << summarise(momq::ProjectStore::create(projectPath)).dump(2) << "\n";
        } else if (*projectShow) {
            std::cout << summarise(momq::ProjectStore::open(projectPath)).dump(2) << "\n";
        } else if (*schemaImport) {
            auto store = momq::ProjectStore::open(projectPath);
            momq::Schema imported;
            if (!jsonFile.empty()) {
                imported = momq::loadSchemaFile(jsonFile);
                if (!dbId.empty()) imported.dbId = dbId;
                store.saveSchema(imported, "file:" + std::filesystem::absolute(jsonFile).string());
            } else {
                auto settings = conn.settings();
                if (settings.engine == momq::DatabaseEngine::SQLite)
                    settings.path = std::filesystem::absolute(settings.path).string();
                imported = momq::introspectDatabase(settings, {dbId, examples});
                momq::ConnectionRecord record;
                record.name = connectionName.empty() ? imported.dbId : connectionName;
                record.settings = settings;
                record.settings.password.clear();
                if (!settings.password.empty()) record.secretKey = "momq-studio/" + record.name;
                std::optional<std::int64_t> connectionId;
                for (const auto &existing : store.connections())
                    if (existing.name == record.name) {
                        record.id = existing.id;
                        store.updateConnection(record);
                        connectionId = existing.id;
                    }
                if (!connectionId) connectionId = store.addConnection(record);
                store.saveSchema(imported, momq::describeConnection(settings), connectionId);
            }
            std::cout << summarise(store).dump(2) << "\n";
        } else if (*schemaIntrospect) {
            std::cout << printSchema(momq::introspectDatabase(conn.settings(), {dbId, examples}), format) << "\n";
        } else if (*schemaShow) {
            const auto store = momq::ProjectStore::open(projectPath);
            const auto record = store.schema(dbFilter);
            if (!record) throw momq::Error(projectPath + ": no schema with db_id \"" + dbFilter + "\"");
            std::cout << printSchema(record->schema, format) << "\n";
        } else if (*schemaFormat) {
            std::cout << printSchema(momq::loadSchemaFile(jsonFile), format) << "\n";
        } else if (*dataImport) {
            std::vector<momq::ItemProblem> problems;
            const momq::ProblemSink sink = [&](const momq::ItemProblem &p) {
                problems.push_back(p);
                std::cerr << "momq: skipped: " << p.describe() << "\n";
            };
            const auto items = importFormat == "momq-json"   ? momq::importMomqConversations(importInput, sink)
                               : importFormat == "spider"    ? momq::importSpiderJson(importInput, sink)
                               : importFormat == "defog-csv" ? momq::importDefogCsv(importInput, sink)
                                                             : momq::importText2CypherCsv(importInput, sink);
            std::string lines;
            for (const auto &item : items) lines += momq::datasetItemToJsonLine(item) + "\n";
            momq::writeFileAtomically(importOut, lines);
            std::set<std::string> dbs;
            for (const auto &item : items) dbs.insert(item.dbId);
            std::size_t schemas = 0;
            if (!sqliteDir.empty()) {
                if (schemasOut.empty()) throw momq::FormatError("--sqlite-dir needs --schemas-out");
                std::filesystem::create_directories(schemasOut);
                for (const auto &db : dbs) {
                    momq::ConnectionSettings s;
                    s.path = sqliteDir + "/" + db + "/" + db + ".sqlite";
                    momq::writeFileAtomically(schemasOut + "/" + db + ".json", momq::schemaToJson(momq::introspectDatabase(s, {db, 3})) + "\n");
                    ++schemas;
                }
            }
            std::cout << json{{"items", items.size()}, {"skipped", problems.size()}, {"databases", dbs.size()}, {"schemas_written", schemas}}.dump(2)
                      << "\n";
        } else if (*dataSynth) {
            const auto summary = momq::synthesizeBenchmark({synthOut, synthSeed});
            std::cout << json{{"out", synthOut}, {"seed", synthSeed}, {"train_databases", summary.trainDomains},
                              {"test_databases", summary.testDomains}, {"train_items", summary.trainItems}, {"test_items", summary.testItems}}
                             .dump(2)
                      << "\n";
        } else if (*dataCorpus) {
            const int documents = momq::writePretrainingCorpus(benchmarkDir, corpusOut, promptEvery);
            std::cout << json{{"out", corpusOut}, {"documents", documents}}.dump(2) << "\n";
        } else if (*tokenizerTrain) {
            const auto texts = momq::readTextCorpusJsonl(tokenizerCorpus);
            std::filesystem::create_directories(tokenizerOut);
            momq::writeFileAtomically(tokenizerOut + "/tokenizer.json", momq::trainByteLevelBpe(texts, tokenizerOptions));
            const auto tok = momq::Tokenizer::load(tokenizerOut);
            std::cout << json{{"out", tokenizerOut + "/tokenizer.json"}, {"documents", texts.size()}, {"vocab_size", tok->vocabSize()}}.dump(2) << "\n";
        } else if (*dbLoad) {
            const auto loaded = momq::loadBenchmarkDatabases(benchmarkDir, loadConn.server(), configOut, loadConn.passwordEnvName());
            std::cout << json{{"loaded", loaded}, {"config", configOut}}.dump(2) << "\n";
        } else if (*demo) {
            const auto dir = demoDir.empty() ? momq::defaultDemoProjectDir() : demoDir;
            const auto store = momq::openDemoProject(dir, momq::findResourceDir());
            std::cerr << "momq: running headless (no display): showing the default project that "
                         "momq-studio opens on first launch\n";
            std::cout << summarise(store).dump(2) << "\n";
            for (const auto &r : store.schemas()) {
                const auto f = r.schema.kind == momq::SchemaKind::Relational ? momq::SchemaFormat::Relational
                                                                              : momq::SchemaFormat::Cypher;
                std::cout << "\n" << momq::formatSchemaForPrompt(r.schema, f) << "\n";
            }
        }
    } catch (const std::exception &e) {
        std::cerr << "momq: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
