// The built-in benchmark: sizes and splits as the issue asks, byte-identical output for a seed, and
// — the point of parallel items — every gold query runs on its real engine (SQLite, PostgreSQL,
// MariaDB, FalkorDB) and gives the same answer in every dialect. `momq db load` creates the server
// databases and records them in the database config.
#include "test_support.h"

#include "momq/benchmark.h"
#include "momq/dataset.h"
#include "momq/evaluation.h"
#include "momq/schema.h"

#include "eval/query_grammar.h"
#include "eval/schema_constraint.h"
#include "momq/tokenizer.h"

#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <map>
#include <set>

using namespace momq;
using nlohmann::json;

namespace {

// "train-basketball-0007-en-mysql" -> "train-basketball-0007-en"
std::string groupOf(const std::string &itemId) { return itemId.substr(0, itemId.rfind('-')); }

// A few generated databases beside the hand-written ones: every gold of theirs runs on every engine too.
constexpr int kGeneratedTrain = 12, kGeneratedTest = 6;
constexpr std::size_t kDatabases = 6 + kGeneratedTrain + kGeneratedTest;  // relational ones (and as many graphs)

std::vector<DatasetItem> readItems(const std::string &path) {
    return readDatasetJsonl(path, [&](const ItemProblem &p) { QFAIL(p.describe().c_str()); });
}

}  // namespace

class TestBenchmark : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void splitsHaveTheAskedSizesAndDisjointDatabases();
    void everyFamilyAndBothLanguagesAppear();
    void generatedDomainsVaryAndTestWordsAreNew();
    void theSameSeedWritesTheSameFiles();
    void schemasLoadAndCoverEveryItem();
    void goldAnswersAgreeAcrossEngines();
    void goldQueriesFollowTheirDialectGrammar();
    void constrainedDecodingCanWriteEveryGold();
    void loadingRefusesSqliteAndNamesAnUnreachableServer();
    void cliSynthesisesAndLoads();
    void corpusComesFromTheTrainingSplitOnly();

private:
    QTemporaryDir dir_;
    std::string bench_;
    SynthSummary summary_;
};

void TestBenchmark::initTestCase() {
    bench_ = dir_.filePath(QStringLiteral("bench")).toStdString();
    summary_ = synthesizeBenchmark({bench_, 7, kGeneratedTrain, kGeneratedTest});
    const auto servers = json::parse(test::readFile(std::getenv("MOMQ_TEST_SERVERS")));
    qputenv("MOMQ_TEST_DB_PASSWORD", QByteArray::fromStdString(servers.at("password").get<std::string>()));
}

void TestBenchmark::splitsHaveTheAskedSizesAndDisjointDatabases() {
    for (const char *dialect : {"mysql", "postgresql", "sqlite", "cypher", "ngql"}) {
        QVERIFY2(summary_.trainItems[dialect] >= 3000, dialect);
        QVERIFY2(summary_.testItems[dialect] >= 250, dialect);
    }
    QVERIFY(summary_.trainDomains.size() >= 4);
    QVERIFY(summary_.testDomains.size() >= 2);
    std::set<std::string> trainDbs, testDbs;
    const auto train = readItems(bench_ + "/train.jsonl"), test = readItems(bench_ + "/test.jsonl");
    for (const auto &i : train) trainDbs.insert(i.dbId);
    for (const auto &i : test) testDbs.insert(i.dbId);
    for (const auto &db : testDbs) QVERIFY2(!trainDbs.count(db), db.c_str());
    int relational = 0, graph = 0;
    for (const auto &db : trainDbs) (db.find("_graph") != std::string::npos ? graph : relational)++;
    for (const auto &db : testDbs) (db.find("_graph") != std::string::npos ? graph : relational)++;
    QVERIFY(relational >= 4);
    QVERIFY(graph >= 3);
    // the counts reported match the files
    QCOMPARE(static_cast<int>(train.size()), 5 * summary_.trainItems["sqlite"]);
    QCOMPARE(static_cast<int>(test.size()), 5 * summary_.testItems["sqlite"]);
}

void TestBenchmark::everyFamilyAndBothLanguagesAppear() {
    const auto manifest = json::parse(test::readFile(bench_ + "/manifest.json"));
    for (const char *family : {"filter_numeric", "filter_category", "count", "aggregate", "group_count",
                               "group_aggregate", "having", "top_k", "order_by", "join", "join_group", "multi_hop",
                               "nested_average", "nested_in", "date_year", "date_range", "string_match", "distinct"})
        for (const char *split : {"train", "test"})
            QVERIFY2(manifest["splits"][split]["families"].value(family, 0) > 0, family);
    int chinese = 0, english = 0;
    std::set<std::string> phrasings;
    for (const auto &i : readItems(bench_ + "/train.jsonl")) {
        if (i.dialect != "sqlite") continue;
        (i.itemId.find("-zh-") != std::string::npos ? chinese : english)++;
        if (i.question.rfind("How many", 0) == 0) phrasings.insert(i.question.substr(0, 12));
        if (i.question.rfind("Count the", 0) == 0) phrasings.insert("Count the");
    }
    QCOMPARE(chinese, english);
    QVERIFY(phrasings.size() >= 2);  // several phrasings for counting
}

// The generated schemas: their own subset files, more than one shape and spelling, test databases
// whose tables, labels and columns never occur in a training schema, and invented training names.
void TestBenchmark::generatedDomainsVaryAndTestWordsAreNew() {
    const auto manifest = json::parse(test::readFile(bench_ + "/manifest.json"));
    QCOMPARE(manifest["splits"]["train"]["subsets"]["procedural"].size(), std::size_t(kGeneratedTrain));
    QCOMPARE(manifest["splits"]["test"]["subsets"]["procedural"].size(), std::size_t(kGeneratedTest));
    QCOMPARE(manifest["splits"]["test"]["subsets"]["handwritten"], json({"hospital", "retail"}));
    std::map<std::string, std::set<std::string>> namesBySplit;  // tables, columns, labels, properties
    std::set<std::size_t> tableCounts;
    std::set<std::string> keyNames;
    for (const char *split : {"train", "test"})
        for (const auto &db : manifest["splits"][split]["subsets"]["procedural"]) {
            const auto rel = loadSchemaFile(bench_ + "/schemas/" + db.get<std::string>() + ".json");
            const auto graph = loadSchemaFile(bench_ + "/schemas/" + db.get<std::string>() + "_graph.json");
            tableCounts.insert(rel.tables.size());
            QCOMPARE(graph.nodes.size(), rel.tables.size());
            for (const auto &t : rel.tables) {
                namesBySplit[split].insert(t.name);
                keyNames.insert(t.columns.front().name);
                for (const auto &c : t.columns) namesBySplit[split].insert(c.name);
            }
            for (const auto &n : graph.nodes) namesBySplit[split].insert(n.label);
        }
    QVERIFY(tableCounts.count(2) && tableCounts.count(3));
    QVERIFY2(keyNames.size() > 1, "primary keys are not always called id");
    for (const auto &name : namesBySplit["test"]) {
        const bool numbered = name.size() <= 3 && name[0] == 'c' && std::isdigit(static_cast<unsigned char>(name[1]));
        const bool generic = name == "id" || name == "name" || name == "title" || numbered;
        if (!generic) QVERIFY2(!namesBySplit["train"].count(name), name.c_str());
    }
    // nor does a generated training database borrow a table of the hand-written test databases
    std::set<std::string> handwrittenTest;
    for (const char *db : {"hospital", "retail"})
        for (const auto &t : loadSchemaFile(bench_ + "/schemas/" + db + ".json").tables) handwrittenTest.insert(t.name);
    for (const auto &name : namesBySplit["train"]) {
        std::string folded;
        for (char c : name) folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (folded.rfind("tbl_", 0) == 0) folded = folded.substr(4);
        for (const auto &t : handwrittenTest) QVERIFY2(folded != t && folded != t + "s", name.c_str());
    }
    const auto generated = readItems(bench_ + "/test.procedural.jsonl");
    QVERIFY(!generated.empty());
    for (const auto &i : generated) QVERIFY2(i.dbId[0] == 'u', i.itemId.c_str());

    // Training domains invent some names (no word list has them, so no Chinese gloss): their Chinese
    // questions name such a table in Latin letters, which a test question never does.
    auto chineseQuestionsNamingATable = [&](const std::string &file) {
        int count = 0;
        for (const auto &i : readItems(bench_ + "/" + file)) {
            if (i.itemId.find("-zh-") == std::string::npos || i.dialect != "sqlite") continue;
            for (const auto &t : loadSchemaFile(bench_ + "/schemas/" + i.dbId + ".json").tables) {
                std::string word = t.name.rfind("tbl_", 0) == 0 ? t.name.substr(4) : t.name;
                word[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
                if (i.question.find(word) != std::string::npos) {
                    ++count;
                    break;
                }
            }
        }
        return count;
    };
    QVERIFY(chineseQuestionsNamingATable("train.procedural.jsonl") > 0);
    QCOMPARE(chineseQuestionsNamingATable("test.procedural.jsonl"), 0);
}

void TestBenchmark::theSameSeedWritesTheSameFiles() {
    const std::string again = dir_.filePath(QStringLiteral("again")).toStdString();
    const std::string other = dir_.filePath(QStringLiteral("other")).toStdString();
    synthesizeBenchmark({again, 7, kGeneratedTrain, kGeneratedTest});
    synthesizeBenchmark({other, 8, kGeneratedTrain, kGeneratedTest});
    for (const char *file : {"train.jsonl", "test.jsonl", "manifest.json", "schemas/library.json",
                             "schemas/music_graph.json", "load/company.postgresql.sql", "load/retail_graph.cypher",
                             "load/hospital_graph.ngql", "test.procedural.jsonl"})
        QVERIFY2(test::readFile(bench_ + "/" + file) == test::readFile(again + "/" + file), file);
    QVERIFY(test::readFile(bench_ + "/train.jsonl") != test::readFile(other + "/train.jsonl"));
}

void TestBenchmark::schemasLoadAndCoverEveryItem() {
    std::map<std::string, Schema> schemas;
    for (const auto &entry : std::filesystem::directory_iterator(bench_ + "/schemas")) {
        const auto s = loadSchemaFile(entry.path().string());
        QCOMPARE(s.dbId + ".json", entry.path().filename().string());
        schemas[s.dbId] = s;
    }
    for (const char *split : {"/train.jsonl", "/test.jsonl"})
        for (const auto &i : readItems(bench_ + split)) {
            const auto it = schemas.find(i.dbId);
            QVERIFY2(it != schemas.end(), i.itemId.c_str());
            const bool graphDialect = i.dialect == "cypher" || i.dialect == "ngql";
            QCOMPARE(it->second.kind == SchemaKind::Graph, graphDialect);
        }
}

void TestBenchmark::goldAnswersAgreeAcrossEngines() {
    const std::string config = bench_ + "/databases.json";
    for (const char *engine : {"postgresql", "mysql", "falkordb"}) {
        auto server = test::serverSettings(engine);
        server.database.clear();
        // The golds run as a SELECT-only account, as a careful user would set it up.
        const ReaderAccount reader{"momq_reader", server.password, "MOMQ_TEST_DB_PASSWORD"};
        const bool relational = server.engine != DatabaseEngine::FalkorDB;
        std::vector<std::string> loaded;
        try {
            loaded =
                loadBenchmarkDatabases(bench_, server, config, "MOMQ_TEST_DB_PASSWORD", relational ? &reader : nullptr);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QCOMPARE(loaded.size(), kDatabases);
    }
    const auto databases = loadDatabaseConfig(config);
    QCOMPARE(databases.databases.size(), 4 * kDatabases);  // SQLite, PostgreSQL, MariaDB and FalkorDB each
    for (const auto &[key, settings] : databases.databases)
        if (settings.engine == DatabaseEngine::PostgreSQL || settings.engine == DatabaseEngine::MySQL) {
            QCOMPARE(settings.user, std::string("momq_reader"));
            std::string warning;
            try {
                warning = openExecutor(settings)->accountWarning();
            } catch (const std::exception &e) {
                QFAIL(e.what());
            }
            QVERIFY2(warning.empty(), warning.c_str());  // nothing this account could change
        }
    std::map<std::pair<std::string, std::string>, std::unique_ptr<QueryExecutor>> executors;
    auto executorFor = [&](const DatasetItem &i) -> QueryExecutor & {
        auto &slot = executors[{i.dbId, i.dialect}];
        if (!slot) {
            const auto *settings = databases.find(i.dbId, i.dialect);
            if (!settings) throw std::runtime_error("no database for " + i.dbId + "/" + i.dialect);
            slot = openExecutor(*settings);
        }
        return *slot;
    };

    int compared = 0, ngql = 0;
    std::vector<std::string> disagreements;
    for (const char *split : {"/train.jsonl", "/test.jsonl"}) {
        std::map<std::string, std::map<std::string, DatasetItem>> groups;
        for (auto &i : readItems(bench_ + split)) groups[groupOf(i.itemId)][i.dialect] = i;
        for (const auto &[group, byDialect] : groups) {
            QCOMPARE(byDialect.size(), std::size_t(5));
            const auto &reference = byDialect.at("sqlite");
            QueryResult expected;
            try {
                expected = executorFor(reference).run(reference.query);
            } catch (const std::exception &e) {
                QFAIL(qPrintable(QString::fromStdString(reference.itemId + ": " + e.what())));
            }
            QVERIFY2(!excludedFromRelationalEx(expected), group.c_str());
            const bool ordered = ordersRows(reference.query, reference.query);
            for (const auto &[dialect, item] : byDialect) {
                QCOMPARE(item.question, reference.question);
                if (dialect == "ngql") {  // no NebulaGraph here: scored by exact match, never executed
                    ++ngql;
                    continue;
                }
                if (dialect == "sqlite") continue;
                try {
                    const auto got = executorFor(item).run(item.query);
                    ++compared;
                    if (!relationalResultsMatchStrict(expected, got, ordered))
                        disagreements.push_back(item.itemId + ": " + item.query);
                } catch (const std::exception &e) {
                    disagreements.push_back(item.itemId + ": " + item.query + ": " + e.what());
                }
            }
        }
    }
    std::string shown;
    for (std::size_t i = 0; i < disagreements.size() && i < 8; ++i) shown += "\n  " + disagreements[i];
    QVERIFY2(disagreements.empty(),
             qPrintable(QString::number(disagreements.size()) + " disagreements:" + QString::fromStdString(shown)));
    QCOMPARE(compared, 3 * (summary_.trainItems["sqlite"] + summary_.testItems["sqlite"]));
    QCOMPARE(ngql, summary_.trainItems["ngql"] + summary_.testItems["ngql"]);
}

// What constrained decoding allows (its narrower grammar) must include every query the model is
// trained to write: each
// gold of the test split, and one in five of the training split (the same families on more databases),
// is a sentence of its dialect's grammar over its own schema.
void TestBenchmark::goldQueriesFollowTheirDialectGrammar() {
    std::map<std::string, Schema> schemas;
    int checked = 0, nth = 0;
    for (const char *split : {"/test.jsonl", "/train.jsonl"})
        for (const auto &i : readItems(bench_ + split)) {
            if (std::string(split) == "/train.jsonl" && nth++ % 5 != 0) continue;
            auto it = schemas.find(i.dbId);
            if (it == schemas.end())
                it = schemas.emplace(i.dbId, loadSchemaFile(bench_ + "/schemas/" + i.dbId + ".json")).first;
            std::string why;
            QVERIFY2(grammarAccepts(parseDialect(i.dialect), it->second, i.query, &why, GrammarUse::Decoding),
                     (i.itemId + ": " + why).c_str());
            ++checked;
        }
    qInfo("%d gold queries follow their grammar", checked);
}

// Token by token, each gold (a sample: every 41st test item, which walks through the dialects) is allowed by all three
// decoding constraints with the shipped model's tokenizer: grammar, names in scope, copied values.
void TestBenchmark::constrainedDecodingCanWriteEveryGold() {
    const auto tok = Tokenizer::load(MOMQ_SOURCE_DIR "/resources/demo/model");
    const std::vector<int> stops = {tok->tokenId("<|im_end|>")};
    int checked = 0, nth = 0;
    std::set<std::string> dialectsSeen;
    for (const auto &i : readItems(bench_ + "/test.jsonl")) {
        if (nth++ % 41 != 0) continue;
        const auto schema = loadSchemaFile(bench_ + "/schemas/" + i.dbId + ".json");
        const auto dialect = parseDialect(i.dialect);
        GrammarConstraint grammar(dialect, schema, tok, stops);
        SchemaConstraint names(dialect, schema, tok, stops);
        LiteralConstraint values(dialect, schema, i.question, i.evidence, tok);
        auto ids = tok->encode(i.query);
        ids.push_back(stops.front());
        std::vector<int> prefix;
        for (const int id : ids) {
            const auto at = static_cast<std::size_t>(id);
            const auto *n = names.allowedNext(prefix);
            const auto *v = values.allowedNext(prefix);
            const bool ok = grammar.allowedNext(prefix)[at] && (!n || (*n)[at]) && (!v || (*v)[at]);
            QVERIFY2(ok, (i.itemId + ": " + i.query + " refused after \"" + tok->decode(prefix, true) + "\"").c_str());
            prefix.push_back(id);
        }
        dialectsSeen.insert(i.dialect);
        ++checked;
    }
    QCOMPARE(dialectsSeen.size(), std::size_t(5));
    qInfo("%d golds written token by token under the constraints", checked);
}

void TestBenchmark::loadingRefusesSqliteAndNamesAnUnreachableServer() {
    const std::string config = dir_.filePath(QStringLiteral("unused.json")).toStdString();
    ConnectionSettings sqlite;
    EXPECT_ERROR(FormatError, loadBenchmarkDatabases(bench_, sqlite, config), "written by `momq data synth`");
    auto server = test::serverSettings("postgresql");
    server.port = 1;  // nothing listens there
    EXPECT_ERROR(ConnectionError, loadBenchmarkDatabases(bench_, server, config), "cannot connect");
    EXPECT_ERROR(Error,
                 loadBenchmarkDatabases(dir_.filePath(QStringLiteral("missing")).toStdString(),
                                        test::serverSettings("postgresql"), config),
                 "manifest.json: cannot open");
    QVERIFY(!std::filesystem::exists(config));
}

void TestBenchmark::cliSynthesisesAndLoads() {
    const QString out = dir_.filePath(QStringLiteral("cli"));
    QProcess synth;
    synth.start(QStringLiteral(MOMQ_CLI),
                {"data", "synth", "--out", out, "--seed", "7", "--procedural-train", QString::number(kGeneratedTrain),
                 "--procedural-test", QString::number(kGeneratedTest)});
    QVERIFY(synth.waitForFinished(120000));
    QCOMPARE(synth.exitCode(), 0);
    const auto summary = json::parse(synth.readAllStandardOutput().toStdString());
    QCOMPARE(summary["train_items"]["cypher"].get<int>(), summary_.trainItems["cypher"]);
    QVERIFY(test::readFile(out.toStdString() + "/test.jsonl") == test::readFile(bench_ + "/test.jsonl"));

    const auto servers = json::parse(test::readFile(std::getenv("MOMQ_TEST_SERVERS")));
    QProcess load;
    load.start(QStringLiteral(MOMQ_CLI),
               {"db", "load", "--benchmark", out, "--config", out + "/databases.json", "--engine", "falkordb", "--port",
                QString::number(servers["falkordb"]["port"].get<int>())});
    QVERIFY(load.waitForFinished(120000));
    QCOMPARE(load.exitCode(), 0);
    const auto config = loadDatabaseConfig(out.toStdString() + "/databases.json");
    QVERIFY(config.find("hospital_graph", "cypher"));
    QVERIFY(config.find("hospital", "sqlite"));
}

void TestBenchmark::corpusComesFromTheTrainingSplitOnly() {
    const std::string path = dir_.filePath(QStringLiteral("corpus.jsonl")).toStdString();
    const int documents = writePretrainingCorpus(bench_, path, 8);
    const auto lines = test::nonEmptyLines(path);
    QCOMPARE(static_cast<int>(lines.size()), documents);
    std::set<std::string> texts;
    for (const auto &line : lines) texts.insert(json::parse(line).at("text").get<std::string>());
    const std::string all = test::readFile(path);
    for (const char *testOnly : {"patient", "clinic", "supplier", "TREATED_BY", "SUPPLIED_BY", "retail", "hospital"})
        QVERIFY2(all.find(testOnly) == std::string::npos, testOnly);
    int trainQuestions = 0;
    for (const auto &i : readItems(bench_ + "/train.jsonl")) trainQuestions += texts.count(i.question) ? 1 : 0;
    QVERIFY(trainQuestions > 0);
    for (const auto &i : readItems(bench_ + "/test.jsonl")) {
        QVERIFY2(!texts.count(i.query), i.itemId.c_str());
        QVERIFY2(!texts.count(i.question), i.itemId.c_str());
    }
}

QTEST_GUILESS_MAIN(TestBenchmark)
#include "test_benchmark.moc"
