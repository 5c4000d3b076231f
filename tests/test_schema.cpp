// The schema model: JSON round trip, field-precise errors, and the prompt serialisations checked
// against the hand-written golden files of tests/data/golden.
#include "test_support.h"

#include "momq/error.h"
#include "momq/schema.h"

#include <QtTest>

using namespace momq;

class TestSchema : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonRoundTripKeepsEverything_data();
    void jsonRoundTripKeepsEverything();
    void numericExamplesBecomeText();
    void promptFormatsMatchGoldenFiles_data();
    void promptFormatsMatchGoldenFiles();
    void promptFormatRefusesTheWrongKindOfSchema();
    void unknownFormatNameIsRefused();
    void malformedJsonNamesTheField_data();
    void malformedJsonNamesTheField();
    void missingFileIsNamed();
    void foreignKeyWithoutForeignKeysSectionIsOmitted();
};

void TestSchema::jsonRoundTripKeepsEverything_data() {
    QTest::addColumn<QString>("file");
    for (const char *f : {"schemas/shop.json", "schemas/movies.json", "schemas/basketball.json"})
        QTest::newRow(f) << QString::fromLatin1(f);
}

void TestSchema::jsonRoundTripKeepsEverything() {
    QFETCH(QString, file);
    const Schema original = loadSchemaFile(test::dataPath(file.toStdString()));
    const Schema again = schemaFromJson(schemaToJson(original));
    QVERIFY(again == original);
    QVERIFY(!original.dbId.empty());
    if (original.kind == SchemaKind::Relational) {
        QCOMPARE(original.tables.size(), size_t(2));
        QCOMPARE(original.tables[0].columns[0].primaryKey, true);
        QCOMPARE(original.foreignKeys.size(), size_t(1));
    } else {
        QVERIFY(!original.nodes.empty());
        QVERIFY(!original.relationships.empty());
    }
}

void TestSchema::numericExamplesBecomeText() {
    const Schema s = loadSchemaFile(test::dataPath("schemas/shop.json"));
    QCOMPARE(s.findTable("orders")->findColumn("order_id")->examples, (std::vector<std::string>{"100", "101"}));
    const Schema g = loadSchemaFile(test::dataPath("schemas/movies.json"));
    QCOMPARE(*g.nodes[0].properties[1].min, std::string("1975"));
}

void TestSchema::promptFormatsMatchGoldenFiles_data() {
    QTest::addColumn<QString>("schemaFile");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("goldenFile");
    QTest::newRow("relational") << "schemas/shop.json"
                                << "relational"
                                << "golden/shop.relational.txt";
    QTest::newRow("cypher") << "schemas/movies.json"
                            << "cypher"
                            << "golden/movies.cypher.txt";
    QTest::newRow("ngql") << "schemas/basketball.json"
                          << "ngql"
                          << "golden/basketball.ngql.txt";
}

void TestSchema::promptFormatsMatchGoldenFiles() {
    QFETCH(QString, schemaFile);
    QFETCH(QString, format);
    QFETCH(QString, goldenFile);
    const Schema s = loadSchemaFile(test::dataPath(schemaFile.toStdString()));
    const std::string text = formatSchemaForPrompt(s, schemaFormatFromName(format.toStdString()));
    QCOMPARE(QString::fromStdString(text),
             QString::fromStdString(test::readFile(test::dataPath(goldenFile.toStdString()))));
}

void TestSchema::promptFormatRefusesTheWrongKindOfSchema() {
    const Schema relational = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const Schema graph = loadSchemaFile(test::dataPath("schemas/movies.json"));
    EXPECT_ERROR(FormatError, formatSchemaForPrompt(relational, SchemaFormat::Cypher), "schema \"shop\" is relational");
    EXPECT_ERROR(FormatError, formatSchemaForPrompt(graph, SchemaFormat::Relational), "schema \"movies\" is graph");
}

void TestSchema::unknownFormatNameIsRefused() {
    EXPECT_ERROR(FormatError, schemaFormatFromName("gremlin"), "unknown schema format \"gremlin\"");
}

void TestSchema::malformedJsonNamesTheField_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << R"({"db_id": )"
                              << "not valid JSON";
    QTest::newRow("not an object") << "[1,2]"
                                   << "(document): expected an object, found array";
    QTest::newRow("missing db_id") << R"({"kind":"relational"})"
                                   << "db_id: missing required field";
    QTest::newRow("empty db_id") << R"({"db_id":"","kind":"relational"})"
                                 << "db_id: must not be empty";
    QTest::newRow("bad kind") << R"({"db_id":"x","kind":"document"})"
                              << "kind: expected \"relational\" or \"graph\", found \"document\"";
    QTest::newRow("column name type")
        << R"({"db_id":"x","kind":"relational","tables":[{"name":"t","columns":[{"name":"a"}]},{"name":"u","columns":[{"name":7}]}]})"
        << "tables[1].columns[0].name: expected a string, found number";
    QTest::newRow("tables not array") << R"({"db_id":"x","kind":"relational","tables":{}})"
                                      << "tables: expected an array, found object";
    QTest::newRow("primary_key type")
        << R"({"db_id":"x","kind":"relational","tables":[{"name":"t","columns":[{"name":"a","primary_key":"yes"}]}]})"
        << "tables[0].columns[0].primary_key: expected true or false, found string";
    QTest::newRow("example object")
        << R"({"db_id":"x","kind":"relational","tables":[{"name":"t","columns":[{"name":"a","examples":[{}]}]}]})"
        << "tables[0].columns[0].examples[0]: expected a string or number, found object";
    QTest::newRow("fk to unknown table")
        << R"({"db_id":"x","kind":"relational","tables":[{"name":"t","columns":[{"name":"a"}]}],
              "foreign_keys":[{"from_table":"t","from_column":"a","to_table":"nope","to_column":"id"}]})"
        << "foreign_keys[0].to_table: no table named \"nope\"";
    QTest::newRow("fk to unknown column")
        << R"({"db_id":"x","kind":"relational","tables":[{"name":"t","columns":[{"name":"a"}]}],
              "foreign_keys":[{"from_table":"t","from_column":"b","to_table":"t","to_column":"a"}]})"
        << "foreign_keys[0].from_column: table \"t\" has no column \"b\"";
    QTest::newRow("relationship without from")
        << R"({"db_id":"g","kind":"graph","relationships":[{"type":"R","to":"A"}]})"
        << "relationships[0].from: missing required field";
    QTest::newRow("graph with tables") << R"({"db_id":"g","kind":"graph","tables":[{"name":"t"}]})"
                                       << "a graph schema cannot have tables";
}

void TestSchema::malformedJsonNamesTheField() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    EXPECT_ERROR(FormatError, schemaFromJson(json.toStdString()), expected.toStdString());
}

void TestSchema::missingFileIsNamed() {
    EXPECT_ERROR(Error, loadSchemaFile("/nonexistent/schema.json"), "/nonexistent/schema.json: cannot open");
    QTemporaryDir dir;
    const std::string bad = dir.filePath("bad.json").toStdString();
    test::writeFile(bad, R"({"db_id": 3})");
    EXPECT_ERROR(FormatError, loadSchemaFile(bad), bad + ": db_id: expected a string, found number");
}

void TestSchema::foreignKeyWithoutForeignKeysSectionIsOmitted() {
    Schema s;
    s.dbId = "solo";
    s.tables.push_back({"t", "", {{"a", "int", "", true, {}}}});
    QCOMPARE(QString::fromStdString(formatSchemaForPrompt(s, SchemaFormat::Relational)),
             QStringLiteral("【DB_ID】 solo\n【Schema】\n# Table: t\n[\n  (a:int),\n]"));
}

QTEST_GUILESS_MAIN(TestSchema)
#include "test_schema.moc"
