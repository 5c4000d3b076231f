// Importers from public dataset formats, on small files written in each format
// (tests/data/import): good records convert, bad ones are reported with file, line and field.
#include "test_support.h"

#include "momq/dataset.h"
#include "momq/error.h"
#include "momq/evaluation.h"
#include "momq/importers.h"
#include "momq/schema.h"

#include <QProcess>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace momq;

class TestImporters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void momqConversations();
    void spiderAndBird();
    void defogCsv();
    void text2cypherCsv();
    void csvEdgeCases();
    void byteOrderMarksAreNotText();
    void idsStayPutAndNeverRepeat();
    void cliSetsTheDialectAndRefusesAnEmptyImport();
    void defogGoldsBecomeAlternatives();
    void cliWritesItemsAndSchemas();

private:
    std::vector<ItemProblem> problems_;
    ProblemSink sink() {
        problems_.clear();
        return [this](const ItemProblem &p) { problems_.push_back(p); };
    }
};

void TestImporters::momqConversations() {
    const auto path = test::dataPath("import/momq.json");
    const auto items = importMomqConversations(path, sink());
    QCOMPARE(items.size(), size_t(2));
    QCOMPARE(items[0].itemId, std::string("0"));
    QCOMPARE(items[0].dialect, std::string("postgresql"));
    QCOMPARE(items[0].dbId, std::string("shop"));
    QCOMPARE(items[0].question, std::string("How many customers?"));
    QCOMPARE(items[0].evidence, std::string("Count every row"));
    QCOMPARE(items[0].query, std::string("SELECT COUNT(*) FROM customer;"));
    QCOMPARE(items[1].question, std::string("列出所有客户"));
    QCOMPARE(items[1].evidence, std::string(""));
    QCOMPARE(problems_.size(), size_t(2));
    QCOMPARE(problems_[0].message, std::string("record 2: prompt has no 【用户问题】 section"));
    QCOMPARE(problems_[1].message, std::string("record 3: db_name: missing required field"));
    QCOMPARE(problems_[1].file, path);
}

void TestImporters::spiderAndBird() {
    auto items = importSpiderJson(test::dataPath("import/spider.json"), sink());
    QCOMPARE(items.size(), size_t(2));
    QCOMPARE(items[1].dialect, std::string("sqlite"));
    QCOMPARE(items[1].query, std::string("SELECT name FROM customer WHERE city = 'Berlin'"));
    QCOMPARE(problems_.size(), size_t(1));
    QCOMPARE(problems_[0].message, std::string("record 2: query: missing required field"));
    items = importSpiderJson(test::dataPath("import/bird.json"), sink());
    QCOMPARE(items.size(), size_t(1));
    QCOMPARE(items[0].itemId, std::string("7"));
    QCOMPARE(items[0].evidence, std::string("expensive refers to MAX(price)"));
    QCOMPARE(items[0].query, std::string("SELECT title FROM product ORDER BY price DESC LIMIT 1"));
}

void TestImporters::defogCsv() {
    const auto path = test::dataPath("import/defog.csv");
    const auto items = importDefogCsv(path, sink());
    QCOMPARE(items.size(), size_t(2));
    QCOMPARE(items[0].question, std::string("How many customers, in total?"));  // comma inside quotes
    QCOMPARE(items[0].dialect, std::string("postgresql"));
    QCOMPARE(items[1].question, std::string("Customers named \"Ada\""));                      // doubled quotes
    QCOMPARE(items[1].query, std::string("SELECT name\nFROM customer\nWHERE name = 'Ada'"));  // line breaks inside
    QCOMPARE(items[1].evidence, std::string("Filter names using ILIKE"));
    QCOMPARE(problems_.size(), size_t(2));
    QCOMPARE(problems_[0].line, 6);  // the record after a three-line field starts on line 6
    QVERIFY(problems_[0].message.find("expected 5 fields as in the header, found 3") != std::string::npos);
    QCOMPARE(problems_[1].line, 7);
    QCOMPARE(problems_[1].message, std::string("db_name: missing or empty"));
}

void TestImporters::text2cypherCsv() {
    const auto items = importText2CypherCsv(test::dataPath("import/text2cypher.csv"), sink());
    QCOMPARE(items.size(), size_t(2));
    QCOMPARE(items[0].dialect, std::string("cypher"));
    QCOMPARE(items[0].dbId, std::string("movies"));
    QCOMPARE(items[0].query,
             std::string("MATCH (p:Person)-[:ACTED_IN]->(m:Movie {title: 'The Matrix'}) RETURN p.name"));
    QVERIFY(problems_.empty());
}

// Regression: a UTF-8 byte order mark made the first CSV column "\xEF\xBB\xBFdb_name", so every
// row was rejected as missing its first field; JSON Lines data and predictions start with one too.
void TestImporters::byteOrderMarksAreNotText() {
    QTemporaryDir dir;
    const std::string csv = dir.filePath(QStringLiteral("bom.csv")).toStdString();
    test::writeFile(csv, "\xEF\xBB\xBF"
                         "db_name,question,query\nshop,How many?,SELECT 1\n");
    const auto imported = importDefogCsv(csv, sink());
    QCOMPARE(imported.size(), size_t(1));
    QCOMPARE(imported[0].dbId, std::string("shop"));
    QVERIFY(problems_.empty());

    const std::string jsonl = dir.filePath(QStringLiteral("bom.jsonl")).toStdString();
    test::writeFile(jsonl, "\xEF\xBB\xBF"
                           R"({"id": "a", "dialect": "mysql", "db_id": "shop", "question": "q", "query": "SELECT 1"})"
                           "\n");
    const auto items = readDatasetJsonl(jsonl, sink());
    QCOMPARE(items.size(), size_t(1));
    QCOMPARE(items[0].itemId, std::string("a"));
    QVERIFY(problems_.empty());

    const std::string predictions = dir.filePath(QStringLiteral("predictions.jsonl")).toStdString();
    test::writeFile(predictions, "\xEF\xBB\xBF"
                                 R"({"id": "a", "query": "SELECT 1"})"
                                 "\n");
    QCOMPARE(readPredictions(predictions).at("a"), std::string("SELECT 1"));
}

void TestImporters::csvEdgeCases() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("x.csv")).toStdString();
    test::writeFile(path, "a,b\r\n\"1,\"\"2\"\"\",3\r\n,\n");
    const auto rows = readCsv(path);
    QCOMPARE(rows.size(), size_t(3));
    QCOMPARE(rows[1].fields, (std::vector<std::string>{"1,\"2\"", "3"}));
    QCOMPARE(rows[2].fields, (std::vector<std::string>{"", ""}));
    test::writeFile(path, "a,b\n\"never closed,1\n");
    EXPECT_ERROR(FormatError, readCsv(path), path + ":2: a quoted field is never closed");
    EXPECT_ERROR(Error, readCsv(path + ".missing"), "cannot open");

    // invalid UTF-8 in a field: that row is reported with its file, line and field, the rest import
    test::writeFile(path, "db_name,question,query\nshop,ok,SELECT 1\nshop,bad \xff byte,SELECT 2\n");
    std::vector<ItemProblem> problems;
    const auto items = importDefogCsv(path, [&](const ItemProblem &p) { problems.push_back(p); });
    QCOMPARE(items.size(), size_t(1));
    QCOMPARE(problems.size(), size_t(1));
    QCOMPARE(problems[0].line, 3);
    QCOMPARE(problems[0].message, std::string("question: invalid UTF-8 at byte 4 of the field"));
    QCOMPARE(QString::fromStdString(datasetItemToJsonLine(items[0])).count(QLatin1Char('\n')), 0);
}

void TestImporters::cliWritesItemsAndSchemas() {
    QTemporaryDir dir;
    const QString sqliteDir = dir.filePath(QStringLiteral("databases"));
    QDir().mkpath(sqliteDir + QStringLiteral("/shop"));
    sqlite3 *db = nullptr;
    sqlite3_open((sqliteDir + QStringLiteral("/shop/shop.sqlite")).toLocal8Bit().constData(), &db);
    sqlite3_exec(db, test::readFile(test::dataPath("shop_sqlite.sql")).c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    const QString out = dir.filePath(QStringLiteral("items.jsonl")), schemas = dir.filePath(QStringLiteral("schemas"));
    QProcess p;
    p.start(QStringLiteral(MOMQ_CLI),
            {QStringLiteral("data"), QStringLiteral("import"), QStringLiteral("--format"), QStringLiteral("spider"),
             QStringLiteral("--input"), QString::fromStdString(test::dataPath("import/spider.json")),
             QStringLiteral("--out"), out, QStringLiteral("--sqlite-dir"), sqliteDir, QStringLiteral("--schemas-out"),
             schemas});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto summary = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
    QCOMPARE(summary["items"].get<int>(), 2);
    QCOMPARE(summary["skipped"].get<int>(), 1);
    const auto lines = QString::fromStdString(test::readFile(out.toStdString())).trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 2);
    QCOMPARE(nlohmann::json::parse(lines[0].toStdString())["dialect"].get<std::string>(), std::string("sqlite"));
    const auto schema = loadSchemaFile((schemas + QStringLiteral("/shop.json")).toStdString());
    QCOMPARE(schema.tables.size(), size_t(4));
}

// Regressions: a skipped record shifted the ids of every record after it; CSV ids ("defog-<line>")
// were the same in two files of one benchmark; a data file that repeated an id was read silently.
void TestImporters::idsStayPutAndNeverRepeat() {
    QTemporaryDir dir;
    const std::string spider = dir.filePath(QStringLiteral("dev.json")).toStdString();
    test::writeFile(spider, R"([{"db_id": "shop", "question": "a", "query": "SELECT 1"},
                                {"db_id": "shop", "question": "no query"},
                                {"db_id": "shop", "question": "c", "query": "SELECT 3"}])");
    const auto items = importSpiderJson(spider, sink());
    QCOMPARE(items.size(), size_t(2));
    QCOMPARE(items[1].itemId, std::string("2"));  // the third record, whatever came before it
    problems_.clear();

    const std::string mysql = dir.filePath(QStringLiteral("questions_gen_mysql.csv")).toStdString();
    const std::string postgres = dir.filePath(QStringLiteral("questions_gen_postgres.csv")).toStdString();
    for (const auto &path : {mysql, postgres}) test::writeFile(path, "db_name,question,query\nshop,q,SELECT 1\n");
    QVERIFY(importDefogCsv(mysql, sink())[0].itemId != importDefogCsv(postgres, sink())[0].itemId);
    QCOMPARE(importDefogCsv(mysql, sink())[0].itemId, std::string("defog-questions_gen_mysql-2"));

    const std::string data = dir.filePath(QStringLiteral("data.jsonl")).toStdString();
    const std::string item =
        R"({"id": "x", "dialect": "mysql", "db_id": "shop", "question": "q", "query": "SELECT 1"})";
    test::writeFile(data, item + "\n\n" + item + "\n");
    QCOMPARE(readDatasetJsonl(data, sink()).size(), size_t(1));
    QCOMPARE(problems_.size(), size_t(1));
    QCOMPARE(problems_[0].line, 3);
    QCOMPARE(problems_[0].message, std::string("id: \"x\" repeats the id of line 1"));
}

void TestImporters::cliSetsTheDialectAndRefusesAnEmptyImport() {
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("questions_gen_mysql.csv"));
    const QString out = dir.filePath(QStringLiteral("items.jsonl"));
    test::writeFile(csv.toStdString(), "db_name,question,query\nshop,q,SELECT 1\n");
    auto import = [&](const QStringList &extra) {
        QProcess p;
        p.start(QStringLiteral(MOMQ_CLI),
                QStringList{QStringLiteral("data"), QStringLiteral("import"), QStringLiteral("--format"),
                            QStringLiteral("defog-csv"), QStringLiteral("--input"), csv, QStringLiteral("--out"), out} +
                    extra);
        p.waitForFinished(30000);
        return std::pair{p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
    };
    QCOMPARE(import({QStringLiteral("--dialect"), QStringLiteral("mysql")}).first, 0);
    QCOMPARE(nlohmann::json::parse(test::readFile(out.toStdString()))["dialect"].get<std::string>(),
             std::string("mysql"));
    const auto [badRc, badErr] = import({QStringLiteral("--dialect"), QStringLiteral("oracle")});
    QCOMPARE(badRc, 1);
    QVERIFY2(badErr.contains(QStringLiteral("unknown dialect \"oracle\"")), qPrintable(badErr));

    QFile::remove(out);
    test::writeFile(csv.toStdString(), "db_name,question,query\n,q,SELECT 1\n");  // the only row lacks db_name
    const auto [emptyRc, emptyErr] = import({});
    QCOMPARE(emptyRc, 1);
    QVERIFY2(emptyErr.contains(QStringLiteral("no item imported (1 record(s) skipped")), qPrintable(emptyErr));
    QVERIFY(!QFile::exists(out));
}

// Regression: sql-eval's `{a, b}` column choices and `;`-separated golds were copied unchanged, so
// 42 of its PostgreSQL golds were syntax errors and 28 several statements.
void TestImporters::defogGoldsBecomeAlternatives() {
    QCOMPARE(expandDefogGold("SELECT {a, b} FROM t"),
             (std::vector<std::string>{"SELECT a, b FROM t", "SELECT a FROM t", "SELECT b FROM t"}));
    QCOMPARE(expandDefogGold("SELECT {t.id,t.name}, COUNT(*) FROM t GROUP BY {}"),
             (std::vector<std::string>{"SELECT t.id, t.name, COUNT(*) FROM t GROUP BY t.id, t.name",
                                       "SELECT t.id, COUNT(*) FROM t GROUP BY t.id",
                                       "SELECT t.name, COUNT(*) FROM t GROUP BY t.name"}));
    QCOMPARE(expandDefogGold(" SELECT 1;\nSELECT 2 ; "), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
    QCOMPARE(expandDefogGold("SELECT ';' FROM t;"), (std::vector<std::string>{"SELECT ';' FROM t"}));

    QTemporaryDir dir;
    const std::string csv = dir.filePath(QStringLiteral("golds.csv")).toStdString();
    test::writeFile(csv, "db_name,question,query\nshop,q,\"SELECT {id, name} FROM c;SELECT name FROM c JOIN o\"\n"
                         "shop,empty,;\n");
    const auto items = importDefogCsv(csv, sink());
    QCOMPARE(items.size(), size_t(1));
    QCOMPARE(items[0].query, std::string("SELECT id, name FROM c"));
    QCOMPARE(items[0].alternatives,
             (std::vector<std::string>{"SELECT id FROM c", "SELECT name FROM c", "SELECT name FROM c JOIN o"}));
    QCOMPARE(problems_.size(), size_t(1));
    QCOMPARE(problems_[0].message, std::string("query: no statement in it"));
    // found by fuzz_import: invalid UTF-8 in a further gold once reached the JSON writer
    test::writeFile(csv, "db_name,question,query\nshop,q,SELECT 1;SELECT '\xff'\n");
    QVERIFY(importDefogCsv(csv, sink()).empty());
    QCOMPARE(problems_.at(0).message, std::string("query: invalid UTF-8 at byte 8 of a further gold"));
    // and the alternatives survive the item file
    const std::string jsonl = dir.filePath(QStringLiteral("items.jsonl")).toStdString();
    test::writeFile(jsonl, datasetItemToJsonLine(items[0]) + "\n");
    QCOMPARE(readDatasetJsonl(jsonl, sink()).at(0).alternatives, items[0].alternatives);
    test::writeFile(jsonl, R"({"id": "a", "dialect": "mysql", "db_id": "s", "question": "q", "query": "SELECT 1",)"
                           R"( "alternatives": [1]})"
                           "\n");
    QVERIFY(readDatasetJsonl(jsonl, sink()).empty());
    QCOMPARE(problems_.at(0).message, std::string("alternatives: expected a list of queries (strings)"));
}

QTEST_GUILESS_MAIN(TestImporters)
#include "test_importers.moc"
