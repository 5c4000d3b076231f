// devices, project init|show, schema import|introspect|show|format.
#include "../commands.h"

#include "momq/compute.h"
#include "momq/error.h"
#include "momq/introspect.h"
#include "momq/store.h"
#include "../project_summary.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace cli {

namespace {

using nlohmann::json;

std::string printSchema(const momq::Schema &schema, const std::string &format) {
    if (format == "json") return momq::schemaToJson(schema);
    return momq::formatSchemaForPrompt(schema, momq::schemaFormatFromName(format));
}

struct SchemaOptions {
    std::string projectPath, jsonFile, connectionName, dbId, format = "json", dbFilter;
    int examples = 3;
    ConnectionOptions conn;
};

// The database's schema; a relational one with no table gets a warning (a wrong database, or an
// account that may read nothing), since nothing could be asked about it.
momq::Schema introspectWithWarning(const momq::ConnectionSettings &settings, const SchemaOptions &o) {
    momq::IntrospectOptions options;
    options.dbId = o.dbId;
    options.exampleCount = o.examples;
    auto schema = momq::introspectDatabase(settings, options);
    if (schema.kind == momq::SchemaKind::Relational && schema.tables.empty())
        std::cerr << "momq: warning: " << schema.dbId
                  << " has no table this account can read (every schema but the system ones was looked at)\n";
    return schema;
}

// Records the connection (password left out; the keychain key named instead) and its schema.
void importFromDatabase(momq::ProjectStore &store, const SchemaOptions &o) {
    auto settings = o.conn.settings();
    if (settings.engine == momq::DatabaseEngine::SQLite)
        settings.path = std::filesystem::absolute(settings.path).string();
    const auto imported = introspectWithWarning(settings, o);
    momq::ConnectionRecord record;
    record.name = o.connectionName.empty() ? imported.dbId : o.connectionName;
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

}  // namespace

void addProjectCommands(CLI::App &app, Commands &commands) {
    auto *devices = app.add_subcommand("devices", "show libtorch version, CPU threads and CUDA devices as JSON");
    commands.add(devices, [] {
        const auto info = momq::computeInfo();
        std::cout << json{{"torch", info.torchVersion},
                          {"cpu_cores", info.cpuCores},
                          {"cpu_threads", info.cpuThreads},
                          {"cuda_available", info.cudaAvailable},
                          {"cuda_devices", info.cudaDeviceCount},
                          {"default_device", momq::resolveDevice("auto")},
                          {"openmp_wait_policy", info.openmpWaitPolicy},
                          {"openmp_spin_count", info.openmpSpinCount}}
                         .dump(2)
                  << "\n";
    });

    auto o = std::make_shared<SchemaOptions>();
    auto *project = app.add_subcommand("project", "create or inspect a project file");
    project->require_subcommand(1);
    auto *projectInit = project->add_subcommand("init", "create a new, empty project file");
    projectInit->add_option("--project", o->projectPath, "project file to create")->required();
    commands.add(projectInit,
                 [o] { std::cout << summariseProject(momq::ProjectStore::create(o->projectPath)).dump(2) << "\n"; });
    auto *projectShow = project->add_subcommand("show", "summarise a project as JSON");
    projectShow->add_option("--project", o->projectPath, "project file")->required();
    commands.add(projectShow,
                 [o] { std::cout << summariseProject(momq::ProjectStore::open(o->projectPath)).dump(2) << "\n"; });

    auto *schema = app.add_subcommand("schema", "import, introspect and print schemas");
    schema->require_subcommand(1);
    auto *schemaImport =
        schema->add_subcommand("import", "import a schema into a project (from a database or a JSON file)");
    schemaImport->add_option("--project", o->projectPath, "project file")->required();
    schemaImport->add_option("--json", o->jsonFile, "schema JSON file (instead of a database)");
    schemaImport->add_option("--name", o->connectionName, "name of the connection to record (default: the db_id)");
    schemaImport->add_option("--db-id", o->dbId, "db_id of the imported schema (default: database name or file stem)");
    schemaImport->add_option("--examples", o->examples, "example values per column")->default_val(3);
    o->conn.addTo(schemaImport);
    commands.add(schemaImport, [o] {
        auto store = momq::ProjectStore::open(o->projectPath);
        if (!o->jsonFile.empty()) {
            auto imported = momq::loadSchemaFile(o->jsonFile);
            if (!o->dbId.empty()) imported.dbId = o->dbId;
            store.saveSchema(imported, "file:" + std::filesystem::absolute(o->jsonFile).string());
        } else {
            importFromDatabase(store, *o);
        }
        std::cout << summariseProject(store).dump(2) << "\n";
    });

    auto *schemaIntrospect = schema->add_subcommand("introspect", "read a database's schema and print it");
    o->conn.addTo(schemaIntrospect);
    schemaIntrospect->add_option("--db-id", o->dbId, "db_id of the schema");
    schemaIntrospect->add_option("--examples", o->examples, "example values per column")->default_val(3);
    schemaIntrospect->add_option("--format", o->format, "json | relational | cypher | ngql");
    commands.add(schemaIntrospect,
                 [o] { std::cout << printSchema(introspectWithWarning(o->conn.settings(), *o), o->format) << "\n"; });

    auto *schemaShow = schema->add_subcommand("show", "print a project's schema as JSON or in a prompt format");
    schemaShow->add_option("--project", o->projectPath, "project file")->required();
    schemaShow->add_option("--db", o->dbFilter, "db_id of the schema")->required();
    schemaShow->add_option("--format", o->format, "json | relational | cypher | ngql");
    commands.add(schemaShow, [o] {
        const auto store = momq::ProjectStore::open(o->projectPath);
        const auto record = store.schema(o->dbFilter);
        if (!record) throw momq::Error(o->projectPath + ": no schema with db_id \"" + o->dbFilter + "\"");
        std::cout << printSchema(record->schema, o->format) << "\n";
    });

    auto *schemaFormat = schema->add_subcommand("format", "print a schema JSON file in a prompt format");
    schemaFormat->add_option("--file", o->jsonFile, "schema JSON file")->required();
    schemaFormat->add_option("--format", o->format, "json | relational | cypher | ngql")->required();
    commands.add(schemaFormat, [o] { std::cout << printSchema(momq::loadSchemaFile(o->jsonFile), o->format) << "\n"; });
}

}  // namespace cli
