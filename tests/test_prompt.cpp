// MoMQ's prompts (spec Part 6.2) and fitting them into a token budget.
#include "test_support.h"

#include "momq/error.h"
#include "momq/prompt.h"
#include "momq/tokenizer.h"

#include <QtTest>

using namespace momq;

class TestPrompt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void userPromptFollowsTheSpecLayout();
    void everyDialectHasItsSchemaFormat();
    void budgetDropsExamplesThenLeastRelatedTables();
};

void TestPrompt::userPromptFollowsTheSpecLayout() {
    const std::string p = userPrompt("mysql", "How many members?", "【DB_ID】 club\n", "");
    QCOMPARE(QString::fromStdString(p),
             QStringLiteral("你是一名MySQL专家，现在需要阅读并理解下面的【数据库schema】描述，以及可能用到的【参考信息】，并运用MySQL知识生成sql语句回答【用户问题】。\n"
                            "【用户问题】\nHow many members?\n\n【数据库schema】\n【DB_ID】 club\n\n【参考信息】\n\n\n【用户问题】\nHow many members?\n\n```sql"));
    const std::string c = userPrompt("cypher", "q", "s", "e");
    QVERIFY(c.rfind("你是一名Neo4j专家", 0) == 0);
    QVERIFY(c.find("【图数据库schema】\ns\n\n【参考信息】\ne\n\n") != std::string::npos);
    QVERIFY(c.find("运用Cypher知识生成Cypher Query语句") != std::string::npos);
    QVERIFY(c.size() >= 9 && c.compare(c.size() - 9, 9, "```cypher") == 0);
    QVERIFY(userPrompt("ngql", "q", "s", "").find("NebulaGraph专家") != std::string::npos);
    EXPECT_ERROR(FormatError, userPrompt("oracle", "q", "s", ""), "unknown dialect \"oracle\"");
}

void TestPrompt::everyDialectHasItsSchemaFormat() {
    QCOMPARE(schemaFormatForDialect("postgresql"), SchemaFormat::Relational);
    QCOMPARE(schemaFormatForDialect("sqlite"), SchemaFormat::Relational);
    QCOMPARE(schemaFormatForDialect("cypher"), SchemaFormat::Cypher);
    QCOMPARE(schemaFormatForDialect("ngql"), SchemaFormat::Ngql);
    QCOMPARE(knownDialects().size(), size_t(5));
    QVERIFY(isGraphDialect("cypher") && isGraphDialect("ngql"));
    QVERIFY(!isGraphDialect("mysql") && !isGraphDialect("postgresql") && !isGraphDialect("sqlite"));
    EXPECT_ERROR(FormatError, isGraphDialect("oracle"), "unknown dialect \"oracle\"");
}

void TestPrompt::budgetDropsExamplesThenLeastRelatedTables() {
    const auto tok = Tokenizer::load(test::dataPath("engine/tokenizer"));
    Schema s = loadSchemaFile(test::dataPath("schemas/shop.json"));
    s.tables.push_back({"product", "", {{"product_id", "integer", "", true, {"10", "11"}}, {"title", "text", "", false, {"Kettle"}}}});
    const std::string question = "How many orders did each customer place?";
    const auto full = buildPrompt(*tok, "mysql", question, s, "", 100000);
    QVERIFY(full.fits && full.note().empty());
    QCOMPARE(full.text, chatPrompt(userPrompt("mysql", question, formatSchemaForPrompt(s, SchemaFormat::Relational), "")));
    QCOMPARE(full.ids, tok->encode(full.text));

    const int size = static_cast<int>(full.ids.size());
    const auto noExamples = buildPrompt(*tok, "mysql", question, s, "", size - 1);
    QVERIFY(noExamples.fits);
    QVERIFY(noExamples.droppedExamples);
    QVERIFY(noExamples.droppedTables.empty());
    QVERIFY(noExamples.text.find("Value examples") == std::string::npos);
    QVERIFY(static_cast<int>(noExamples.ids.size()) <= size - 1);

    const auto oneTableLess = buildPrompt(*tok, "mysql", question, s, "", static_cast<int>(noExamples.ids.size()) - 1);
    QCOMPARE(oneTableLess.droppedTables, std::vector<std::string>{"product"});  // shares no word with the question
    QVERIFY(oneTableLess.text.find("# Table: product") == std::string::npos);
    QVERIFY(oneTableLess.text.find("# Table: orders") != std::string::npos);
    QCOMPARE(QString::fromStdString(oneTableLess.note()), QStringLiteral("value examples dropped; tables dropped: product"));

    const auto impossible = buildPrompt(*tok, "mysql", question, s, "", 10);
    QVERIFY(!impossible.fits);
    QVERIFY(impossible.note().find("still over the token budget") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestPrompt)
#include "test_prompt.moc"
