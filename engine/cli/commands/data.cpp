// data import|synth|corpus, tokenizer train, db load.
#include "../commands.h"

#include "momq/benchmark.h"
#include "momq/dataset.h"
#include "momq/dialect.h"
#include "momq/error.h"
#include "momq/execution.h"
#include "momq/files.h"
#include "momq/importers.h"
#include "momq/introspect.h"
#include "momq/secrets.h"
#include "momq/tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace cli {

namespace {

using nlohmann::json;

struct DataOptions {
    std::string importFormat, importInput, importOut, sqliteDir, schemasOut, importDialect;
    std::string synthOut, benchmarkDir, corpusOut, tokenizerCorpus, tokenizerOut, configOut, readerUser,
        readerPasswordEnv;
    std::uint64_t synthSeed = momq::SynthOptions{}.seed;
    int proceduralTrain = 1000, proceduralTest = 200;
    std::string loadSplit;
    int promptEvery = 8;
    momq::TokenizerTrainOptions tokenizer;
    ConnectionOptions server;
};

std::vector<momq::DatasetItem> importItems(const DataOptions &o, const momq::ProblemSink &sink) {
    if (o.importFormat == "momq-json") return momq::importMomqConversations(o.importInput, sink);
    if (o.importFormat == "spider") return momq::importSpiderJson(o.importInput, sink);
    if (o.importFormat == "defog-csv") return momq::importDefogCsv(o.importInput, sink);
    return momq::importText2CypherCsv(o.importInput, sink);
}

void runImport(const DataOptions &o) {
    std::vector<momq::ItemProblem> problems;
    const momq::ProblemSink sink = [&](const momq::ItemProblem &p) {
        problems.push_back(p);
        std::cerr << "momq: skipped: " << p.describe() << "\n";
    };
    auto items = importItems(o, sink);
    if (items.empty())  // nothing to write: an empty file would pass for a dataset
        throw momq::FormatError(o.importInput + ": no item imported (" + std::to_string(problems.size()) +
                                " record(s) skipped, see above); nothing written to " + o.importOut);
    if (!o.importDialect.empty()) {
        const char *dialect = momq::dialectName(momq::parseDialect(o.importDialect));  // names the accepted ones
        for (auto &item : items) item.dialect = dialect;
    }
    std::string lines;
    for (const auto &item : items) lines += momq::datasetItemToJsonLine(item) + "\n";
    momq::writeFileAtomically(o.importOut, lines);
    std::set<std::string> dbs;
    for (const auto &item : items) dbs.insert(item.dbId);
    std::size_t schemas = 0;
    if (!o.sqliteDir.empty()) {
        if (o.schemasOut.empty()) throw momq::FormatError("--sqlite-dir needs --schemas-out");
        std::filesystem::create_directories(o.schemasOut);
        for (const auto &db : dbs) {
            momq::ConnectionSettings s;
            s.path = o.sqliteDir + "/" + db + "/" + db + ".sqlite";
            momq::writeFileAtomically(o.schemasOut + "/" + db + ".json",
                                      momq::schemaToJson(momq::introspectDatabase(s, {db, 3})) + "\n");
            ++schemas;
        }
    }
    std::cout << json{{"items", items.size()},
                      {"skipped", problems.size()},
                      {"databases", dbs.size()},
                      {"schemas_written", schemas}}
                     .dump(2)
              << "\n";
}

}  // namespace

void addDataCommands(CLI::App &app, Commands &commands) {
    auto o = std::make_shared<DataOptions>();
    auto *data = app.add_subcommand("data", "dataset tools");
    data->require_subcommand(1);
    auto *dataImport = data->add_subcommand("import", "convert a public dataset file to MoMQ items (JSONL)");
    dataImport->add_option("--format", o->importFormat, "momq-json | spider | defog-csv | text2cypher-csv")
        ->required()
        ->check(CLI::IsMember({"momq-json", "spider", "defog-csv", "text2cypher-csv"}));
    dataImport->add_option("--input", o->importInput, "the file to read")->required();
    dataImport->add_option("--out", o->importOut, "items JSONL to write")->required();
    dataImport->add_option(
        "--dialect", o->importDialect,
        "set every item's dialect (defog-csv reads as postgresql otherwise; questions_gen_mysql.csv is mysql)");
    dataImport->add_option("--sqlite-dir", o->sqliteDir,
                           "spider: folder with <db_id>/<db_id>.sqlite, to write the schemas");
    dataImport->add_option("--schemas-out", o->schemasOut, "spider: where <db_id>.json schema files go");
    commands.add(dataImport, [o] { runImport(*o); });

    auto *dataSynth =
        data->add_subcommand("synth", "generate the built-in multi-dialect benchmark (databases, schemas, items)");
    dataSynth->add_option("--out", o->synthOut, "folder to write")->required();
    dataSynth->add_option("--seed", o->synthSeed, "random seed; the same seed gives the same files")
        ->capture_default_str();
    dataSynth->add_option("--procedural-train", o->proceduralTrain, "generated training databases")
        ->capture_default_str();
    dataSynth
        ->add_option("--procedural-test", o->proceduralTest,
                     "generated test databases (their word lists differ from training's)")
        ->capture_default_str();
    commands.add(dataSynth, [o] {
        const auto summary =
            momq::synthesizeBenchmark({o->synthOut, o->synthSeed, o->proceduralTrain, o->proceduralTest});
        std::cout << json{{"out", o->synthOut},
                          {"seed", o->synthSeed},
                          {"train_databases", summary.trainDomains.size()},
                          {"test_databases", summary.testDomains.size()},
                          {"train_items", summary.trainItems},
                          {"test_items", summary.testItems}}
                         .dump(2)
                  << "\n";
    });

    auto *dataCorpus = data->add_subcommand(
        "corpus", "write pre-training text (JSONL {\"text\"}) from a built-in benchmark's training split");
    dataCorpus->add_option("--benchmark", o->benchmarkDir, "folder written by `momq data synth`")->required();
    dataCorpus->add_option("--out", o->corpusOut, "corpus JSONL to write")->required();
    dataCorpus->add_option("--prompt-every", o->promptEvery, "include the prompt of every n-th item (0: none)")
        ->capture_default_str();
    commands.add(dataCorpus, [o] {
        const int documents = momq::writePretrainingCorpus(o->benchmarkDir, o->corpusOut, o->promptEvery);
        std::cout << json{{"out", o->corpusOut}, {"documents", documents}}.dump(2) << "\n";
    });

    auto *tokenizerCmd = app.add_subcommand("tokenizer", "tokenizer tools");
    tokenizerCmd->require_subcommand(1);
    auto *tokenizerTrain =
        tokenizerCmd->add_subcommand("train", "learn a byte-level BPE tokenizer.json from a JSONL {\"text\"} corpus");
    tokenizerTrain->add_option("--corpus", o->tokenizerCorpus, "JSONL corpus")->required();
    tokenizerTrain->add_option("--out", o->tokenizerOut, "folder for tokenizer.json")->required();
    tokenizerTrain->add_option("--vocab-size", o->tokenizer.vocabSize, "tokens in all, special tokens included")
        ->capture_default_str();
    tokenizerTrain
        ->add_option("--pre-tokenizer", o->tokenizer.preTokenizer,
                     "identifiers (default: words apart from spaces and symbols, so names copy) | qwen2")
        ->transform(CLI::CheckedTransformer(std::map<std::string, momq::PreTokenizer>{
            {"identifiers", momq::PreTokenizer::Identifiers}, {"qwen2", momq::PreTokenizer::Qwen2}}));
    tokenizerTrain->add_option("--min-frequency", o->tokenizer.minFrequency, "fewest occurrences of a merged pair")
        ->capture_default_str();
    commands.add(tokenizerTrain, [o] {
        const auto texts = momq::readTextCorpusJsonl(o->tokenizerCorpus);
        std::filesystem::create_directories(o->tokenizerOut);
        momq::writeFileAtomically(o->tokenizerOut + "/tokenizer.json", momq::trainByteLevelBpe(texts, o->tokenizer));
        const auto tok = momq::Tokenizer::load(o->tokenizerOut);
        std::cout << json{{"out", o->tokenizerOut + "/tokenizer.json"},
                          {"documents", texts.size()},
                          {"vocab_size", tok->vocabSize()}}
                         .dump(2)
                  << "\n";
    });

    auto *db = app.add_subcommand("db", "database tools");
    db->require_subcommand(1);
    auto *dbLoad = db->add_subcommand(
        "load", "create the built-in benchmark's databases on a server and record them in a database config");
    dbLoad->add_option("--benchmark", o->benchmarkDir, "folder written by `momq data synth`")->required();
    dbLoad->add_option("--config", o->configOut, "database config JSON to update (created when missing)")->required();
    o->server.addTo(dbLoad);
    dbLoad->add_option("--reader", o->readerUser,
                       "also create this SELECT-only account for the databases; the config names it instead");
    dbLoad->add_option("--split", o->loadSplit, "load only this split's databases (train | test)")
        ->check(CLI::IsMember({"train", "test"}));
    dbLoad->add_option(
        "--reader-password-env", o->readerPasswordEnv,
        "environment variable holding the reader's password (recorded in the config, never the password)");
    auto *dbCheck = db->add_subcommand("check", "connect as queries would run and say what the account could change");
    o->server.addTo(dbCheck);
    commands.add(dbCheck, [o] {
        const auto settings = o->server.settings();
        const auto warning = momq::openExecutor(settings)->accountWarning();
        std::cout << json{{"target", momq::describeConnection(settings)},
                          {"read_only_account", warning.empty()},
                          {"warning", warning}}
                         .dump(2)
                  << "\n";
    });
    commands.add(dbLoad, [o] {
        std::optional<momq::ReaderAccount> reader;
        if (!o->readerUser.empty()) {
            if (o->readerPasswordEnv.empty()) throw momq::FormatError("--reader needs --reader-password-env");
            reader = momq::ReaderAccount{o->readerUser, momq::readSecretFromEnvironment(o->readerPasswordEnv),
                                         o->readerPasswordEnv};
        }
        const auto loaded =
            momq::loadBenchmarkDatabases(o->benchmarkDir, o->server.server(), o->configOut, o->server.passwordEnvName(),
                                         reader ? &*reader : nullptr, o->loadSplit);
        std::cout << json{{"loaded", loaded}, {"config", o->configOut}}.dump(2) << "\n";
    });
}

}  // namespace cli
