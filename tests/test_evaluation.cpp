// Scoring: gold-as-prediction gives 100 % EX on every engine; known-wrong predictions score as the
// rules say; refusals and timeouts count as not executable; NULL or empty gold results leave the
// denominator; dialects without a database are scored by exact match and labelled so.
#include "test_support.h"

#include "momq/checked_answer.h"
#include "momq/evaluation.h"
#include "momq/introspect.h"
#include "momq/query_generator.h"

#include "eval/query_grammar.h"

#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace momq;
using nlohmann::json;

class TestEvaluation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void goldAsPredictionScoresFull_data();
    void goldAsPredictionScoresFull();
    void wrongPredictionsScoreAsTheRulesSay();
    void withoutADatabaseExactMatchIsUsedAndLabelled();
    void cypherIsExecutedOnFalkorDb();
    void configAndPredictionErrorsNameTheirPlace();
    void cliPrintsTheTable();
    void candidatesAreRunAndOneThatRunsIsKept();
    void constrainedDecodingWritesOnlyQueriesOfTheGrammar();
    void evaluationCanKeepExecutionCheckedCandidates();
    void exactMatchKeepsSpacesInsideLiterals();
    void missingDatabasesAndPredictionsAreNamed();
    void resultsPastTheRowCapAndFailedGoldsAreCountedApart();
    void aPredictionMatchingAnyGoldScores();

private:
    QTemporaryDir dir_;
    std::string config_;
    std::vector<DatasetItem> items(const std::string &dialect) const;
};

void TestEvaluation::initTestCase() {
    const auto servers = json::parse(test::readFile(std::getenv("MOMQ_TEST_SERVERS")));
    qputenv("MOMQ_TEST_DB_PASSWORD", QByteArray::fromStdString(servers.at("password").get<std::string>()));
    const std::string sqlitePath = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    sqlite3 *db = nullptr;
    sqlite3_open(sqlitePath.c_str(), &db);
    sqlite3_exec(db, test::readFile(test::dataPath("shop_sqlite.sql")).c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    json config = {{"databases", json::array()}};
    config["databases"].push_back({{"db_id", "shop"}, {"dialect", "sqlite"}, {"path", "shop.sqlite"}});
    for (const char *engine : {"postgresql", "mysql"})
        config["databases"].push_back({{"db_id", "shop"},
                                       {"dialect", engine},
                                       {"host", "127.0.0.1"},
                                       {"port", servers.at(engine).at("port")},
                                       {"database", "shop"},
                                       {"user", "momq"},
                                       {"password_env", "MOMQ_TEST_DB_PASSWORD"}});
    config["databases"].push_back({{"db_id", "movies"},
                                   {"dialect", "cypher"},
                                   {"host", "127.0.0.1"},
                                   {"port", servers.at("falkordb").at("port")},
                                   {"graph", "movies_eval"}});
    config_ = dir_.filePath(QStringLiteral("databases.json")).toStdString();
    test::writeFile(config_, config.dump(2));
}

std::vector<DatasetItem> TestEvaluation::items(const std::string &dialect) const {
    return {
        {"count", dialect, "shop", "How many customers?", "SELECT COUNT(*) FROM customer", ""},
        {"names", dialect, "shop", "Names and cities of customers with a city",
         "SELECT name, city FROM customer WHERE city IS NOT NULL", ""},
        {"ordered", dialect, "shop", "Products by price", "SELECT title FROM product ORDER BY price", ""},
        {"cities", dialect, "shop", "Cities of orders' customers",
         "SELECT c.city FROM orders o JOIN customer c ON o.customer_id = c.customer_id", ""},
        {"with-null", dialect, "shop", "All cities", "SELECT city FROM customer", ""},
        {"empty", dialect, "shop", "Customers from Paris", "SELECT name FROM customer WHERE city = 'Paris'", ""},
    };
}

void TestEvaluation::goldAsPredictionScoresFull_data() {
    QTest::addColumn<QString>("dialect");
    for (const char *d : {"sqlite", "postgresql", "mysql"}) QTest::newRow(d) << QString::fromLatin1(d);
}

void TestEvaluation::goldAsPredictionScoresFull() {
    QFETCH(QString, dialect);
    const auto test = items(dialect.toStdString());
    std::map<std::string, std::string> predictions;
    for (const auto &i : test) predictions[i.itemId] = i.query;
    const auto report = scorePredictions(test, predictions, loadDatabaseConfig(config_));
    const auto &s = report.dialects.at(dialect.toStdString());
    QCOMPARE(s.method, std::string("execution"));
    QCOMPARE(s.items, 6);
    QCOMPARE(s.valid, 4);  // the NULL and the empty gold results are left out
    QCOMPARE(s.ex(), 100.0);
    QCOMPARE(s.exec(), 100.0);
    QCOMPARE(s.exStrict(), 100.0);
    QCOMPARE(report.items[4].status, ItemStatus::GoldExcluded);
    QCOMPARE(report.items[5].status, ItemStatus::GoldExcluded);
    QVERIFY(report.items[1].goldPreview.find("Ada") != std::string::npos);
}

void TestEvaluation::wrongPredictionsScoreAsTheRulesSay() {
    const auto test = items("postgresql");
    const std::map<std::string, std::string> predictions = {
        {"count", "SELECT COUNT(*) FROM customer WHERE city IS NOT NULL"},    // changed filter: mismatch
        {"names", "SELECT city, name FROM customer WHERE city IS NOT NULL"},  // swapped columns: match
        {"ordered", "SELECT title FROM product"},                             // missing ORDER BY: match (order ignored)
        {"cities",
         "SELECT DISTINCT c.city FROM orders o JOIN customer c ON o.customer_id = c.customer_id"},  // duplicates lost:
                                                                                                    // mismatch
        {"with-null", "DELETE FROM customer"},  // excluded item anyway
    };
    auto report = scorePredictions(test, predictions, loadDatabaseConfig(config_));
    QCOMPARE(report.items[0].status, ItemStatus::Mismatch);
    QCOMPARE(report.items[1].status, ItemStatus::Match);
    QCOMPARE(report.items[2].status, ItemStatus::Match);
    QCOMPARE(report.items[3].status, ItemStatus::Mismatch);
    QCOMPARE(report.dialects.at("postgresql").ex(), 50.0);
    QCOMPARE(report.dialects.at("postgresql").exec(), 100.0);
    QCOMPARE(report.dialects.at("postgresql").exStrict(), 25.0);  // the unordered answer to an ORDER BY fails here
    // refused and timed-out predictions are not executable
    const std::map<std::string, std::string> unrunnable = {
        {"count", "DELETE FROM customer"},
        {"names", "SELECT count(*) FROM generate_series(1, 10000000000)"},
        {"ordered", "SELECT nonsense FROM product"},
        {"cities", ""}};
    ExecutionOptions quick;
    quick.timeoutMs = 300;
    report = scorePredictions(test, unrunnable, loadDatabaseConfig(config_), quick);
    QCOMPARE(report.items[0].status, ItemStatus::PredictionFailed);
    QVERIFY(report.items[0].error.rfind("refused: ", 0) == 0);
    QCOMPARE(report.items[1].status, ItemStatus::PredictionFailed);
    QVERIFY(report.items[1].error.find("timed out") != std::string::npos);
    QCOMPARE(report.dialects.at("postgresql").exec(), 0.0);
    QCOMPARE(report.dialects.at("postgresql").ex(), 0.0);
}

void TestEvaluation::withoutADatabaseExactMatchIsUsedAndLabelled() {
    std::vector<DatasetItem> test = {
        {"g1", "ngql", "basketballplayer", "q", "GO FROM \"Tim Duncan\" OVER follow YIELD dst(edge);", ""},
        {"g2", "ngql", "basketballplayer", "q", "MATCH (v:player) RETURN v", ""}};
    const std::map<std::string, std::string> predictions = {
        {"g1", "  GO FROM \"Tim Duncan\"\n OVER follow YIELD dst(edge)"}, {"g2", "MATCH (v:team) RETURN v"}};
    const auto report = scorePredictions(test, predictions, loadDatabaseConfig(config_));
    const auto &s = report.dialects.at("ngql");
    QCOMPARE(s.method, std::string("exact match (no database configured)"));
    QCOMPARE(s.ex(), 50.0);
    QCOMPARE(report.items[0].status, ItemStatus::ExactMatch);
    QVERIFY(report.table().find("exact match (no database configured)") != std::string::npos);
    QVERIFY(report.table().find("| ngql | 2 | 50.00 | n/a | n/a |") != std::string::npos);
}

void TestEvaluation::configAndPredictionErrorsNameTheirPlace() {
    const std::string bad = dir_.filePath(QStringLiteral("bad.json")).toStdString();
    test::writeFile(bad, R"({"databases": [{"db_id": "x", "dialect": "postgresql", "password": "inline"}]})");
    EXPECT_ERROR(FormatError, loadDatabaseConfig(bad), bad + ": databases[0]: password: not allowed here");
    test::writeFile(bad, R"({"databases": [{"db_id": "x", "dialect": "oracle"}]})");
    EXPECT_ERROR(FormatError, loadDatabaseConfig(bad), "databases[0]: unknown dialect \"oracle\"");
    const std::string preds = dir_.filePath(QStringLiteral("preds.jsonl")).toStdString();
    test::writeFile(preds, "{\"id\": \"a\", \"query\": \"SELECT 1\"}\n{\"id\": \"b\"}\n");
    EXPECT_ERROR(FormatError, readPredictions(preds), preds + ":2:");
}

void TestEvaluation::cliPrintsTheTable() {
    const std::string data = dir_.filePath(QStringLiteral("test.jsonl")).toStdString(),
                      preds = dir_.filePath(QStringLiteral("p.jsonl")).toStdString();
    std::string lines, predLines;
    for (const char *dialect : {"sqlite", "mysql"})
        for (const auto &i : items(dialect)) {
            const std::string id = std::string(dialect) + "-" + i.itemId;
            lines +=
                json{{"id", id}, {"dialect", dialect}, {"db_id", "shop"}, {"question", i.question}, {"query", i.query}}
                    .dump() +
                "\n";
            predLines += json{{"id", id}, {"query", i.query}}.dump() + "\n";
        }
    test::writeFile(data, lines);
    test::writeFile(preds, predLines);
    const QString out = dir_.filePath(QStringLiteral("report.json"));
    QProcess p;
    p.start(QStringLiteral(MOMQ_CLI),
            {QStringLiteral("eval"), QStringLiteral("--predictions"), QString::fromStdString(preds),
             QStringLiteral("--data"), QString::fromStdString(data), QStringLiteral("--databases"),
             QString::fromStdString(config_), QStringLiteral("--out"), out});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QString table = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(table.contains(QStringLiteral("| mysql | 6 | 100.00 | 100.00 | 100.00 | execution |")), qPrintable(table));
    QVERIFY(table.contains(QStringLiteral("| average | | 100.00 | 100.00 | | |")));
    const auto report = json::parse(test::readFile(out.toStdString()));
    QCOMPARE(report["items"].size(), size_t(12));
}

void TestEvaluation::cypherIsExecutedOnFalkorDb() {
    const auto config = loadDatabaseConfig(config_);
    const auto statements = test::nonEmptyLines(test::dataPath("movies.cypher"));
    loadGraph(*config.find("movies", "cypher"), statements);
    const std::vector<DatasetItem> test = {
        {"c1", "cypher", "movies", "Who acted in The Matrix?",
         "MATCH (p:Person)-[:ACTED_IN]->(:Movie {title: 'The Matrix'}) RETURN p.name", ""},
        {"c2", "cypher", "movies", "Movies by year", "MATCH (m:Movie) RETURN m.title ORDER BY m.released", ""},
        {"c3", "cypher", "movies", "Nobody", "MATCH (p:Person {name: 'Nobody'}) RETURN p.name", ""},
        {"c4", "cypher", "movies", "Count", "MATCH (p:Person) RETURN count(p)", ""}};
    const std::map<std::string, std::string> predictions = {
        {"c1", "MATCH (m:Movie {title: 'The Matrix'})<-[:ACTED_IN]-(p) RETURN p.name AS actor"},  // same rows: match
        {"c2", "MATCH (m:Movie) RETURN m.title ORDER BY m.released DESC"},  // order kept: mismatch
        {"c3", "MATCH (p:Person {name: 'Nobody'}) RETURN p"},               // both empty: match
        {"c4", "CREATE (:Person)"}};                                        // refused: not executable
    const auto report = scorePredictions(test, predictions, config);
    const auto &s = report.dialects.at("cypher");
    QCOMPARE(s.method, std::string("execution"));
    QCOMPARE(s.valid, 4);  // every graph item counts, empty results included
    QCOMPARE(report.items[0].status, ItemStatus::Match);
    QCOMPARE(report.items[1].status, ItemStatus::Mismatch);
    QCOMPARE(report.items[2].status, ItemStatus::Match);
    QCOMPARE(report.items[3].status, ItemStatus::PredictionFailed);
    QCOMPARE(s.ex(), 50.0);
    QCOMPARE(s.exec(), 75.0);
}

// Execution-checked candidates with the built-in model on a real SQLite database: whatever the
// model writes, the kept query is one that runs there, every other candidate carries its verdict,
// and a database on which nothing can run leads to one retry that carries the database's error.
void TestEvaluation::candidatesAreRunAndOneThatRunsIsKept() {
    const auto generator = QueryGenerator::load(MOMQ_SOURCE_DIR "/resources/demo/model", {"cpu", "f32"},
                                                MOMQ_SOURCE_DIR "/resources/demo/adapter");
    ConnectionSettings shop;
    shop.engine = DatabaseEngine::SQLite;
    shop.path = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    auto schema = introspectDatabase(shop);
    schema.dbId = "shop";
    QueryGenerator::Options options;
    options.maxNewTokens = 64;
    int kept = 0;
    for (const char *question : {"How many customers are there?", "List the names of all products.",
                                 "What is the highest price of any product?"}) {
        auto executor = openExecutor(shop, {5000, 50});
        const auto checked =
            generateChecked(generator, {Dialect::SQLite, question, &schema, {}}, options, 3, *executor);
        QVERIFY(!checked.candidates.empty());
        QVERIFY(checked.candidates.size() <= 6);  // three beams, and three more on a retry
        int chosen = 0;
        for (const auto &c : checked.candidates) {
            auto again = openExecutor(shop, {5000, 50});
            switch (c.status) {
            case CandidateOutcome::Status::Chosen:
                ++chosen;
                QCOMPARE(c.query, checked.answer.query);
                QVERIFY(checked.result.has_value());
                QCOMPARE(again->run(c.query).rows.size(), checked.result->rows.size());
                break;
            case CandidateOutcome::Status::Failed:
                QVERIFY(!c.message.empty());
                QVERIFY_THROWS_EXCEPTION(Error, again->run(c.query));
                break;
            case CandidateOutcome::Status::EmptyResult: QVERIFY(again->run(c.query).rows.empty()); break;
            case CandidateOutcome::Status::NotNeeded: QVERIFY(chosen == 1); break;
            }
        }
        QVERIFY(chosen <= 1);
        QCOMPARE(chosen == 1, checked.result.has_value());
        QCOMPARE(checked.retried,
                 std::none_of(checked.candidates.begin(), checked.candidates.end(), [](const CandidateOutcome &c) {
                     return !c.fromRetry && (c.status == CandidateOutcome::Status::Chosen ||
                                             c.status == CandidateOutcome::Status::EmptyResult);
                 }));
        kept += chosen;
    }
    qInfo("kept a query that runs for %d of 3 questions", kept);

    // A database without the schema's tables: every candidate fails, and the retry says why.
    ConnectionSettings empty;
    empty.engine = DatabaseEngine::SQLite;
    empty.path = dir_.filePath(QStringLiteral("empty.sqlite")).toStdString();
    sqlite3 *db = nullptr;
    sqlite3_open(empty.path.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE unrelated (x INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    auto executor = openExecutor(empty, {5000, 50});
    const auto checked = generateChecked(generator, {Dialect::SQLite, "How many customers are there?", &schema, {}},
                                         options, 2, *executor);
    QVERIFY(checked.retried);
    QVERIFY(!checked.result.has_value());
    QVERIFY(std::all_of(checked.candidates.begin(), checked.candidates.end(),
                        [](const CandidateOutcome &c) { return c.status == CandidateOutcome::Status::Failed; }));
    QVERIFY(std::any_of(checked.candidates.begin(), checked.candidates.end(),
                        [](const CandidateOutcome &c) { return c.fromRetry; }));
    QVERIFY2(checked.retryEvidence.find(checked.candidates.front().message) != std::string::npos,
             checked.retryEvidence.c_str());
    QVERIFY_THROWS_EXCEPTION(FormatError,
                             generateChecked(generator, {Dialect::SQLite, "q", &schema, {}}, options, 0, *executor));
}

// Constrained decoding with the built-in model (which, unconstrained, names tables of its own
// training databases): greedy and beam answers in every dialect are sentences of the dialect's
// grammar over the asked schema whenever they stopped by themselves — the invalid rate is 0.
void TestEvaluation::constrainedDecodingWritesOnlyQueriesOfTheGrammar() {
    const auto generator = QueryGenerator::load(MOMQ_SOURCE_DIR "/resources/demo/model", {"cpu", "f32"},
                                                MOMQ_SOURCE_DIR "/resources/demo/adapter");
    const Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const Schema movies = loadSchemaFile(test::dataPath("schemas/movies.json"));
    int finished = 0, unconstrainedInvalid = 0;
    for (const int beams : {1, 2}) {
        QueryGenerator::Options options;
        options.maxNewTokens = 64;
        options.numBeams = beams;
        for (const auto &d : dialects())
            for (const char *question : {"How many are there?", "List the names, highest first."}) {
                const QueryRequest request{d.dialect, question, d.graph ? &movies : &shop, {}};
                const auto answer = generator.generate(request, options);
                if (answer.stopReason != StopReason::StopToken) continue;  // cut off: a prefix, checked below
                ++finished;
                std::string why;
                QVERIFY2(grammarAccepts(d.dialect, *request.schema, answer.query, &why),
                         (answer.query + ": " + why).c_str());
                for (const auto &alternative : answer.alternatives)
                    QVERIFY2(grammarAccepts(d.dialect, *request.schema, alternative), alternative.c_str());
                if (beams == 1) {
                    auto off = options;
                    off.constrainToSchema = false;
                    unconstrainedInvalid +=
                        !grammarAccepts(d.dialect, *request.schema, generator.generate(request, off).query);
                }
            }
    }
    QVERIFY(finished > 0);
    // Cut off by a tight token limit, a constrained answer ends at its last whole query.
    QueryGenerator::Options tight;
    tight.maxNewTokens = 6;
    int cut = 0;
    for (const auto &d : dialects()) {
        const QueryRequest request{d.dialect, "List the names, highest first.", d.graph ? &movies : &shop, {}};
        const auto answer = generator.generate(request, tight);
        if (!answer.cutToWholeQuery) continue;  // it stopped by itself, or never was a whole query
        QCOMPARE(answer.stopReason, StopReason::MaxNewTokens);
        ++cut;
        QVERIFY2(grammarAccepts(d.dialect, *request.schema, answer.query), answer.query.c_str());
        QVERIFY(answer.generatedTokens <= 6);
    }
    QVERIFY(cut > 0);
    qInfo("%d answers cut at 6 tokens ended on a whole query", cut);
    qInfo("%d constrained answers, all valid; %d of 10 unconstrained greedy answers invalid", finished,
          unconstrainedInvalid);
}

// `momq eval --candidates N` (PredictionOptions::candidates): each item's prediction is what
// generateChecked keeps on the item's own database; an item without one gets the greedy query.
void TestEvaluation::evaluationCanKeepExecutionCheckedCandidates() {
    ConnectionSettings shop;
    shop.engine = DatabaseEngine::SQLite;
    shop.path = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    auto schema = introspectDatabase(shop);
    schema.dbId = "shop";
    const std::string schemas = dir_.filePath(QStringLiteral("candidate-schemas")).toStdString();
    std::filesystem::create_directories(schemas);
    test::writeFile(schemas + "/shop.json", schemaToJson(schema));
    auto test = items("sqlite");
    test.resize(3);
    test.push_back({"elsewhere", "sqlite", "no_such_db", "How many customers?", "SELECT 1", ""});
    test::writeFile(schemas + "/no_such_db.json", schemaToJson(schema));
    const auto databases = loadDatabaseConfig(config_);
    PredictionOptions o;
    o.modelDir = MOMQ_SOURCE_DIR "/resources/demo/model";
    o.adapterDir = MOMQ_SOURCE_DIR "/resources/demo/adapter";
    o.schemaDir = schemas;
    o.maxNewTokens = 48;
    o.candidates = 2;
    o.databases = &databases;
    const auto predictions = predictQueries(test, o);
    QCOMPARE(predictions.queries.size(), test.size());
    const auto generator = QueryGenerator::load(o.modelDir, {"cpu", "f32"}, o.adapterDir);
    QueryGenerator::Options g;
    g.maxNewTokens = o.maxNewTokens;
    for (const auto &item : test) {
        const QueryRequest request{Dialect::SQLite, item.question, &schema, {}};
        std::string expected;
        if (item.dbId == "shop") {
            auto executor = openExecutor(shop, o.execution);
            expected = generateChecked(generator, request, g, o.candidates, *executor).answer.query;
        } else {
            expected = generator.generate(request, g).query;
        }
        QCOMPARE(predictions.queries.at(item.itemId), expected);
    }
}

// Exact match (nGQL without a server) compares queries with whitespace collapsed — but a literal's
// spaces are its value: "New  York" and "New York" are different answers.
void TestEvaluation::exactMatchKeepsSpacesInsideLiterals() {
    QCOMPARE(normaliseQuery("  MATCH (v:player)\n  WHERE v.player.name ==  \"Tim  Duncan\" ;"),
             std::string("MATCH (v:player) WHERE v.player.name == \"Tim  Duncan\""));
    QVERIFY(normaliseQuery("LOOKUP ON t WHERE t.name == \"New  York\"") !=
            normaliseQuery("LOOKUP ON t WHERE t.name == \"New York\""));
    QCOMPARE(normaliseQuery("SELECT 'a  \\' b' ,  x"), std::string("SELECT 'a  \\' b' , x"));
    QCOMPARE(normaliseQuery("RETURN 'ends with ; '"), std::string("RETURN 'ends with ; '"));
    QCOMPARE(normaliseQuery("SELECT 1 ;\n"), std::string("SELECT 1"));
}

// A db_id the config lacks, where the config does list that dialect's databases, is an error that
// names the item (not a silent fall-back to exact match); an item without a prediction says so.
void TestEvaluation::missingDatabasesAndPredictionsAreNamed() {
    const auto config = loadDatabaseConfig(config_);
    DatasetItem item;
    item.itemId = "q-typo";
    item.dialect = "sqlite";
    item.dbId = "shopp";
    item.question = "How many?";
    item.query = "SELECT 1";
    EXPECT_ERROR(FormatError, scorePredictions({item}, {{"q-typo", "SELECT 1"}}, config),
                 "q-typo: db_id \"shopp\" has no sqlite database in the database config");
    item.dbId = "shop";
    const auto report = scorePredictions({item}, {}, config);
    QCOMPARE(report.items.size(), std::size_t(1));
    QCOMPARE(report.items[0].status, ItemStatus::PredictionFailed);
    QVERIFY2(report.items[0].error.starts_with("no prediction for this item"), report.items[0].error.c_str());
}

// Regression: results stopped at the row cap were compared as if complete, so a prediction that
// returned the first rows of a larger result matched; and golds that failed vanished from the
// report without a word. Now two results both past the cap are not compared (counted apart), one
// past it is a mismatch (it has more rows), and the table says what was left out.
void TestEvaluation::resultsPastTheRowCapAndFailedGoldsAreCountedApart() {
    const std::vector<DatasetItem> test = {
        {"all", "sqlite", "shop", "All customer names", "SELECT name FROM customer", ""},
        {"two", "sqlite", "shop", "Two customer names", "SELECT name FROM customer ORDER BY customer_id LIMIT 2", ""},
        {"first", "sqlite", "shop", "All customer names", "SELECT name FROM customer", ""},
        {"broken", "sqlite", "shop", "?", "SELECT nothing FROM customer", ""},
    };
    const std::map<std::string, std::string> predictions = {
        {"all", "SELECT name FROM customer ORDER BY name DESC"},  // both past the cap: not comparable
        {"two", "SELECT name FROM customer"},                     // past the cap against 2 rows: mismatch
        {"first", "SELECT name FROM customer LIMIT 2"},           // the first rows only: mismatch
        {"broken", "SELECT name FROM customer"}};
    ExecutionOptions capped;
    capped.rowCap = 2;
    const auto report = scorePredictions(test, predictions, loadDatabaseConfig(config_), capped);
    QCOMPARE(report.items[0].status, ItemStatus::ResultTooLarge);
    QVERIFY2(report.items[0].error.find("more than 2 rows") != std::string::npos, report.items[0].error.c_str());
    QCOMPARE(report.items[1].status, ItemStatus::Mismatch);
    QCOMPARE(report.items[2].status, ItemStatus::Mismatch);
    QCOMPARE(report.items[3].status, ItemStatus::GoldFailed);
    const auto &s = report.dialects.at("sqlite");
    QCOMPARE(s.valid, 2);
    QCOMPARE(s.tooLarge, 1);
    QCOMPARE(s.goldFailed, 1);
    const auto table = report.table();
    QVERIFY2(table.find("sqlite: 1 gold failed (left out), 1 results too large to compare (left out)") !=
                 std::string::npos,
             table.c_str());
    // and the counts survive a report written and read back
    const auto again = EvaluationReport::fromJson(report.toJson(), "report.json");
    QCOMPARE(again.dialects.at("sqlite").tooLarge, 1);
    QCOMPARE(again.dialects.at("sqlite").goldFailed, 1);
    QCOMPARE(again.items[0].status, ItemStatus::ResultTooLarge);
}

// Several golds per item (sql-eval's column choices and alternatives): any of them counts, by
// execution and by exact match; a gold that fails leaves the others; all failing is a gold failure.
void TestEvaluation::aPredictionMatchingAnyGoldScores() {
    DatasetItem choice{"choice", "sqlite", "shop", "Customers", "SELECT customer_id, name FROM customer", ""};
    choice.alternatives = {"SELECT no_such_column FROM customer", "SELECT name FROM customer"};
    DatasetItem none{"none", "sqlite", "shop", "?", "SELECT nope FROM customer", ""};
    none.alternatives = {"SELECT nope2 FROM customer"};
    DatasetItem graph{"graph", "ngql", "nowhere", "?", "MATCH (v:a) RETURN v", ""};
    graph.alternatives = {"MATCH (v:b) RETURN v"};
    const auto report = scorePredictions({choice, none, graph},
                                         {{"choice", "SELECT name FROM customer ORDER BY name"},
                                          {"none", "SELECT name FROM customer"},
                                          {"graph", "MATCH (v:b)  RETURN v"}},
                                         loadDatabaseConfig(config_));
    QCOMPARE(report.items[0].status, ItemStatus::Match);
    QCOMPARE(report.dialects.at("sqlite").strictMatched, 1);
    QCOMPARE(report.items[1].status, ItemStatus::GoldFailed);
    QVERIFY2(report.items[1].error.find("nope") != std::string::npos, report.items[1].error.c_str());
    QCOMPARE(report.items[2].status, ItemStatus::ExactMatch);
}

QTEST_GUILESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
