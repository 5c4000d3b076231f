// MoMQ's prompts (spec Part 6.2) and fitting them into a token budget.
#include "test_support.h"

#include "momq/error.h"
#include "momq/prompt.h"
#include "momq/query_check.h"

#include "eval/query_grammar.h"
#include "eval/schema_constraint.h"
#include "momq/tokenizer.h"

#include <QtTest>

#include <algorithm>
#include <cctype>

using namespace momq;

class TestPrompt : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void userPromptFollowsTheSpecLayout();
    void everyDialectHasItsSchemaFormat();
    void answersReadBackByOneRule();
    void generatedQueriesAreCheckedAgainstTheSchema();
    void decodingKeepsNamesToTheSchema();
    void queriesFollowTheirDialectGrammar();
    void decodingFollowsTheGrammar();
    void decodingCopiesValues();
    void budgetDropsExamplesThenLeastRelatedTables();
};

void TestPrompt::userPromptFollowsTheSpecLayout() {
    const std::string p = userPrompt(Dialect::MySQL, "How many members?", "【DB_ID】 club\n", "");
    QCOMPARE(
        QString::fromStdString(p),
        QStringLiteral(
            "你是一名MySQL专家，现在需要阅读并理解下面的【数据库schema】描述，以及可能用到的【参考信息】，并运用MySQL知识生成sql语句回答【用户问题】。\n"
            "【用户问题】\nHow many members?\n\n【数据库schema】\n【DB_ID】 club\n\n【参考信息】\n\n\n【用户问题】\nHow many members?\n\n```sql"));
    const std::string c = userPrompt(Dialect::Cypher, "q", "s", "e");
    QVERIFY(c.rfind("你是一名Neo4j专家", 0) == 0);
    QVERIFY(c.find("【图数据库schema】\ns\n\n【参考信息】\ne\n\n") != std::string::npos);
    QVERIFY(c.find("运用Cypher知识生成Cypher Query语句") != std::string::npos);
    QVERIFY(c.size() >= 9 && c.compare(c.size() - 9, 9, "```cypher") == 0);
    QVERIFY(userPrompt(Dialect::Ngql, "q", "s", "").find("NebulaGraph专家") != std::string::npos);
}

void TestPrompt::everyDialectHasItsSchemaFormat() {
    QCOMPARE(dialects().size(), size_t(kDialectCount));
    for (int i = 0; i < kDialectCount; ++i) {
        const auto d = static_cast<Dialect>(i);
        QCOMPARE(dialectInfo(d).dialect, d);  // the table is in the enum's order
        QCOMPARE(parseDialect(dialectName(d)), d);
    }
    QCOMPARE(dialectInfo(Dialect::PostgreSQL).schemaFormat, SchemaFormat::Relational);
    QCOMPARE(dialectInfo(Dialect::SQLite).schemaFormat, SchemaFormat::Relational);
    QCOMPARE(dialectInfo(Dialect::Cypher).schemaFormat, SchemaFormat::Cypher);
    QCOMPARE(dialectInfo(Dialect::Ngql).schemaFormat, SchemaFormat::Ngql);
    QVERIFY(dialectInfo(Dialect::Cypher).graph && dialectInfo(Dialect::Ngql).graph);
    QVERIFY(!dialectInfo(Dialect::MySQL).graph && !dialectInfo(Dialect::PostgreSQL).graph &&
            !dialectInfo(Dialect::SQLite).graph);
    QCOMPARE(std::string(dialectInfo(Dialect::Cypher).engine), std::string("falkordb"));
    EXPECT_ERROR(FormatError, parseDialect("oracle"),
                 "unknown dialect \"oracle\" (expected mysql, postgresql, sqlite, cypher or ngql)");
    QVERIFY(!findDialect("MySQL"));  // names are exact
}

void TestPrompt::answersReadBackByOneRule() {
    QCOMPARE(queryFromAnswer(answerText("SELECT 1")),
             std::string("SELECT 1<|im_end|>"));  // decode drops the special token
    QCOMPARE(queryFromAnswer("\nSELECT 1\n```\nextra"), std::string("SELECT 1"));
    QCOMPARE(queryFromAnswer("```sql\nSELECT a FROM t\n```"), std::string("SELECT a FROM t"));
    QCOMPARE(queryFromAnswer("  MATCH (n) RETURN n  "), std::string("MATCH (n) RETURN n"));
    QCOMPARE(queryFromAnswer("```"), std::string());
    QCOMPARE(queryFromAnswer(""), std::string());
}

// What `momq ask` shows beside each query: SQLite and PostgreSQL's own parsers, with the schema's
// tables (a query about a table the schema lacks is invalid before anything runs).
void TestPrompt::generatedQueriesAreCheckedAgainstTheSchema() {
    const Schema s = loadSchemaFile(test::dataPath("schemas/shop.json"));
    QCOMPARE(checkQuery(Dialect::SQLite, "SELECT name FROM customer WHERE city = 'Berlin'", s).verdict,
             QueryCheck::Verdict::Valid);
    auto c = checkQuery(Dialect::SQLite, "SELECT COUNT(*) FROM album WHERE label = 'Bluebird'", s);
    QCOMPARE(c.verdict, QueryCheck::Verdict::Invalid);
    QCOMPARE(c.message, std::string("no such table: album"));
    QCOMPARE(checkQuery(Dialect::SQLite, "SELECT nonsense FROM customer", s).verdict, QueryCheck::Verdict::Invalid);
    QCOMPARE(checkQuery(Dialect::SQLite, "SELECT name FROM customer WHERE", s).verdict, QueryCheck::Verdict::Invalid);
    QCOMPARE(checkQuery(Dialect::PostgreSQL, "WITH c AS (SELECT * FROM customer) SELECT count(*) FROM c", s).verdict,
             QueryCheck::Verdict::Valid);
    c = checkQuery(Dialect::PostgreSQL, "SELECT COUNT(*) FROM album", s);
    QCOMPARE(c.verdict, QueryCheck::Verdict::Invalid);
    QCOMPARE(c.message, std::string("the schema has no table album"));
    QCOMPARE(checkQuery(Dialect::PostgreSQL, "SELECT FROM WHERE", s).verdict, QueryCheck::Verdict::Invalid);
    // nGQL has no server here: its grammar over the graph's names decides
    const Schema graph = loadSchemaFile(test::dataPath("schemas/movies.json"));
    c = checkQuery(Dialect::Ngql, "LOOKUP ON Movie YIELD properties(vertex).title AS title | LIMIT 3", graph);
    QCOMPARE(c.verdict, QueryCheck::Verdict::Valid);
    QCOMPARE(c.checkedBy, std::string("nGQL grammar (XGrammar)"));
    c = checkQuery(Dialect::Ngql, "LOOKUP ON Xylophone YIELD properties(vertex).title AS title", graph);
    QCOMPARE(c.verdict, QueryCheck::Verdict::Invalid);
    QVERIFY2(c.message.find("at character 11") != std::string::npos, c.message.c_str());
    QCOMPARE(checkQuery(Dialect::Ngql, "LOOKUP ON Movie YIELD", graph).verdict, QueryCheck::Verdict::Invalid);
}

// The constraint behind constrained decoding: names after FROM/JOIN, `alias.`, `(n:`, `[r:` and
// `n.` must be the schema's, outside string literals; a word may end only on a whole name.
void TestPrompt::decodingKeepsNamesToTheSchema() {
    const auto tok = Tokenizer::load(test::dataPath("engine/tokenizer"));
    const Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const int end = tok->tokenId("<|im_end|>");
    SchemaConstraint sql(Dialect::SQLite, shop, tok, {end});
    QVERIFY(sql.namesOnlySchemaObjects("SELECT name FROM customer WHERE city = 'Berlin'"));
    QVERIFY(sql.namesOnlySchemaObjects(
        "SELECT c.name, count(*) FROM Customer AS c JOIN orders o ON o.customer_id = c.customer_id"));
    QVERIFY(!sql.namesOnlySchemaObjects("SELECT COUNT(*) FROM album WHERE label = 'Bluebird'"));
    QVERIFY(!sql.namesOnlySchemaObjects("SELECT c.population FROM customer AS c"));
    QVERIFY(sql.namesOnlySchemaObjects("SELECT 'FROM album' AS x FROM customer"));  // in a literal: not a name
    QVERIFY(sql.namesOnlySchemaObjects("SELECT x FROM (SELECT 1 AS x) t"));         // a subquery is not a table name
    QVERIFY(sql.namesOnlySchemaObjects("SELECT name FROM customer WHERE customer_id > 13.42"));  // a number
    QVERIFY(sql.namesOnlySchemaObjects("SELECT name FROM customer WHERE customer_id > .5"));     // one too
    QVERIFY(sql.namesOnlySchemaObjects("SELECT name FROM customer WHERE EXTRACT(YEAR FROM since) = 2021"));
    QVERIFY(!sql.namesOnlySchemaObjects("SELECT name FROM customer WHERE customer_id IN (SELECT x FROM album)"));
    // a quote may open a name only where the schema has names that need one: else it is a way out
    QVERIFY(!sql.namesOnlySchemaObjects("SELECT COUNT(*) FROM \"album\""));
    QVERIFY(!sql.namesOnlySchemaObjects("SELECT c.`population` FROM customer AS c"));
    QVERIFY(!(*sql.allowedNext(tok->encode("SELECT COUNT(*) FROM ")))[tok->encode("\"").front()]);
    Schema spaced = shop;
    spaced.tables.front().name = "order items";
    SchemaConstraint quoted(Dialect::SQLite, spaced, tok, {end});
    QVERIFY((*quoted.allowedNext(tok->encode("SELECT COUNT(*) FROM ")))[tok->encode("\"").front()]);

    // Step by step: after "… FROM", only tokens that start a table name as the schema spells it (or
    // white space) may come; a query someone wrote may spell it in any case (above).
    auto allowedAfter = [&](const std::string &text) { return sql.allowedNext(tok->encode(text)); };
    const auto *allowed = allowedAfter("SELECT COUNT(*) FROM");
    QVERIFY(allowed);
    std::vector<std::string> tables;
    for (const auto &t : shop.tables) tables.push_back(t.name);
    int kept = 0, refused = 0;
    for (int id = 0; id < tok->vocabSize(); ++id) {
        const std::string piece = tok->decode({id}, true);
        // a piece " xyz" (a space, then letters) starts the table name: it must begin one
        if (piece.size() < 2 || piece[0] != ' ' ||
            !std::all_of(piece.begin() + 1, piece.end(), [](unsigned char c) { return std::isalpha(c) || c == '_'; }))
            continue;
        const std::string word = piece.substr(1);  // decoding writes names as the schema spells them
        const bool startsATable =
            std::any_of(tables.begin(), tables.end(), [&](const std::string &t) { return t.rfind(word, 0) == 0; });
        QVERIFY2(bool((*allowed)[id]) == startsATable, piece.c_str());
        ++((*allowed)[id] ? kept : refused);
    }
    QVERIFY(kept > 0 && refused > kept);
    QVERIFY(!(*allowedAfter("SELECT COUNT(*) FROM cust"))[end]);  // cannot stop inside a name
    QVERIFY(allowedAfter("SELECT COUNT(*) FROM customer") == nullptr ||
            (*allowedAfter("SELECT COUNT(*) FROM customer"))[end]);
    if (const auto *free = allowedAfter("SELECT name")) {  // no name slot open: any next word may come
        for (int id = 0; id < tok->vocabSize(); ++id) {
            const std::string piece = tok->decode({id}, true);
            if (piece.size() >= 2 && piece[0] == ' ' &&
                std::all_of(piece.begin() + 1, piece.end(), [](unsigned char c) { return std::isalpha(c); }))
                QVERIFY2((*free)[id], piece.c_str());
        }
    }

    const Schema movies = loadSchemaFile(test::dataPath("schemas/movies.json"));
    SchemaConstraint cypher(Dialect::Cypher, movies, tok, {end});
    QVERIFY(cypher.namesOnlySchemaObjects("MATCH (p:Person)-[:ACTED_IN]->(m:Movie) RETURN p.name, m.title"));
    QVERIFY(!cypher.namesOnlySchemaObjects("MATCH (a:Album)-[:RECORDED_BY]->(b:Artist) RETURN a.title"));
    QVERIFY(!cypher.namesOnlySchemaObjects("MATCH (p:person) RETURN p.name"));  // labels are case-sensitive
    QVERIFY(cypher.namesOnlySchemaObjects("MATCH (p:Person {name: 'a.b'}) RETURN p.born"));
    QVERIFY(!cypher.namesOnlySchemaObjects("MATCH (p:Person) RETURN q.born"));  // q is bound nowhere
    QVERIFY(!cypher.namesOnlySchemaObjects("MATCH (p:Person) RETURN avg(q.born)"));  // an argument binds nothing
    QVERIFY(cypher.namesOnlySchemaObjects("MATCH (n:Movie) WITH avg(n.released) AS y MATCH (m:Movie) "
                                          "WHERE m.released > y RETURN m.title"));
    const auto *afterUnbound = cypher.allowedNext(tok->encode("MATCH (p:Person) RETURN q"));
    QVERIFY(afterUnbound && !(*afterUnbound)[static_cast<std::size_t>(tok->encode(".").front())]);
    SchemaConstraint ngql(Dialect::Ngql, movies, tok, {end});
    QVERIFY(ngql.namesOnlySchemaObjects("LOOKUP ON Movie YIELD id(vertex) AS vid | YIELD count(*) AS total | "
                                        "YIELD $-.total AS total"));  // a piped column is not a property
}

// The dialect grammars over a schema's names: what each engine reads, and only the schema's names in
// name positions (aliases, variables and output names are free).
void TestPrompt::queriesFollowTheirDialectGrammar() {
    const Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const Schema movies = loadSchemaFile(test::dataPath("schemas/movies.json"));
    const std::vector<std::pair<Dialect, std::string>> valid = {
        {Dialect::SQLite, "SELECT name FROM customer WHERE city = 'Berlin'"},
        {Dialect::SQLite, "select c.name, count(*) as n from customer as c join orders o on o.customer_id = "
                          "c.customer_id group by c.name having count(*) > 1 order by n desc, c.name limit 3;"},
        {Dialect::SQLite, "SELECT cust.name FROM customer cust WHERE cust.city = 'Oslo'"},  // any alias but a keyword
        {Dialect::SQLite, "SELECT name FROM customer WHERE customer_id NOT IN (SELECT customer_id FROM orders) "
                          "AND city LIKE 'B%' AND name IS NOT NULL"},
        {Dialect::MySQL, "SELECT `name` FROM customer WHERE city BETWEEN 'A' AND 'M' UNION SELECT name FROM customer"},
        // a WITH query reads the schema's tables (its own names are not tables to the grammar)
        {Dialect::PostgreSQL, "WITH c AS (SELECT * FROM customer) SELECT COUNT(DISTINCT city) FROM customer"},
        {Dialect::PostgreSQL, "SELECT name, CAST(customer_id AS TEXT), customer_id::float FROM customer EXCEPT "
                              "SELECT name, 'x', 1.5 FROM customer"},
        {Dialect::Cypher, "MATCH (p:Person)-[:ACTED_IN]->(m:Movie) WHERE m.released >= 2000 RETURN p.name, "
                          "count(m) AS films ORDER BY films DESC, p.name LIMIT 5"},
        {Dialect::Cypher, "MATCH (n:Movie) WITH avg(n.released) AS average MATCH (m:Movie) WHERE m.released > "
                          "average RETURN m.title"},
        {Dialect::Ngql, "MATCH (p:Person)-[:DIRECTED]->(m:Movie) RETURN p.Person.name AS name, count(m) AS count"},
        {Dialect::Ngql, "LOOKUP ON Movie WHERE Movie.released > 1999 YIELD properties(vertex).title AS title | "
                        "ORDER BY $-.title DESC | LIMIT 3"},
        {Dialect::Ngql, "GO FROM \"Keanu Reeves\" OVER ACTED_IN YIELD dst(edge) AS film"},
    };
    for (const auto &[dialect, query] : valid) {
        std::string why;
        QVERIFY2(grammarAccepts(dialect, dialectInfo(dialect).graph ? movies : shop, query, &why),
                 (query + " -> " + why).c_str());
    }
    const std::vector<std::pair<Dialect, std::string>> invalid = {
        {Dialect::SQLite, "SELECT COUNT(*) FROM album WHERE label = 'Bluebird'"},  // no such table
        {Dialect::SQLite, "SELECT population FROM customer"},                      // no such column
        {Dialect::SQLite, "SELECT name FROM customer WHERE"},                      // stops too early
        {Dialect::PostgreSQL, "SELECT name FROM \"Customer\""},  // PostgreSQL names are case-sensitive in quotes
        {Dialect::MySQL, "SELECT name FROM customer LIMIT"},
        {Dialect::Cypher, "MATCH (a:Album)-[:RECORDED_BY]->(b:Artist) RETURN a.title"},
        {Dialect::Cypher, "MATCH (p:Person) RETURN p.population"},
        {Dialect::Cypher, "MATCH (p:Person RETURN p.name"},
        {Dialect::Ngql, "LOOKUP ON Album YIELD properties(vertex).title AS title"},
    };
    for (const auto &[dialect, query] : invalid)
        QVERIFY2(!grammarAccepts(dialect, dialectInfo(dialect).graph ? movies : shop, query), query.c_str());
    std::string why;
    QVERIFY(!grammarAccepts(Dialect::SQLite, shop, "SELECT name FROM album", &why));
    QVERIFY2(why.find("at character 18") != std::string::npos, why.c_str());  // where "album" begins
}

// Decoding under the grammar: after each prefix only tokens that keep it a prefix of a query, the
// stop token only once it is a whole one, and the same answer for a prefix asked again after another
// (beams share one matcher, rolled back).
void TestPrompt::decodingFollowsTheGrammar() {
    const auto tok = Tokenizer::load(test::dataPath("engine/tokenizer"));
    const Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    const int end = tok->tokenId("<|im_end|>");
    GrammarConstraint grammar(Dialect::SQLite, shop, tok, {end});
    const auto allowedAfter = [&](const std::string &text) { return grammar.allowedNext(tok->encode(text)); };
    const auto allows = [&](const std::string &text, const std::string &next) {
        const auto ids = tok->encode(next);
        return ids.size() == 1 && allowedAfter(text)[static_cast<std::size_t>(ids.front())] != 0;
    };
    QVERIFY(allowedAfter("SELECT name FROM customer")[end]);
    QVERIFY(!allowedAfter("SELECT name FROM")[end]);
    QVERIFY(!allowedAfter("SELECT name FROM customer WHERE")[end]);
    QVERIFY(allows("SELECT name FROM customer", " WHERE"));
    QVERIFY(!allows("SELECT name FROM customer", ")"));
    QVERIFY(!allows("SELECT", "("));  // SELECT needs a space first
    // every allowed token after "FROM " starts a table of the schema (or a subquery), and some do
    const auto fromMask = allowedAfter("SELECT name FROM ");
    int kept = 0;
    for (int id = 0; id < tok->vocabSize(); ++id) {
        if (!fromMask[static_cast<std::size_t>(id)] || id == end) continue;
        std::string piece = tok->decode({id}, true);
        piece.erase(0, piece.find_first_not_of(" \t\n") == std::string::npos ? 0 : piece.find_first_not_of(" \t\n"));
        const bool startsTable = std::any_of(shop.tables.begin(), shop.tables.end(), [&](const Table &t) {
            return t.name.rfind(piece, 0) == 0 || piece == "(" || ("\"" + t.name).rfind(piece, 0) == 0 ||
                   ("`" + t.name).rfind(piece, 0) == 0 || ("[" + t.name).rfind(piece, 0) == 0 ||
                   std::all_of(piece.begin(), piece.end(), [](unsigned char c) { return std::isspace(c); });
        });
        QVERIFY2(startsTable, piece.c_str());
        ++kept;
    }
    QVERIFY(kept > 0);
    // never a control byte but tab and newline
    for (const char *prefix : {"SELECT name FROM customer LIMIT 1 OFFSET .", "SELECT ", ""}) {
        const auto &mask = allowedAfter(prefix);
        for (int id = 0; id < tok->vocabSize(); ++id) {
            if (!mask[static_cast<std::size_t>(id)] || id == end) continue;
            const std::string piece = tok->decode({id}, true);
            QVERIFY2(std::none_of(piece.begin(), piece.end(),
                                  [](unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f; }),
                     prefix);
        }
    }
    // a prefix off the grammar allows nothing but stopping
    const auto &off = allowedAfter("SELECT name FROM album");
    QCOMPARE(std::count(off.begin(), off.end(), std::uint8_t{1}), std::ptrdiff_t{1});
    QVERIFY(off[end]);
    // back to a prefix asked before: the same mask
    const auto again = allowedAfter("SELECT name FROM ");
    QVERIFY(again == fromMask);

    const Schema movies = loadSchemaFile(test::dataPath("schemas/movies.json"));
    GrammarConstraint cypher(Dialect::Cypher, movies, tok, {end});
    const auto labelMask = cypher.allowedNext(tok->encode("MATCH (p:"));
    for (int id = 0; id < tok->vocabSize(); ++id)
        if (labelMask[static_cast<std::size_t>(id)]) {
            const std::string piece = tok->decode({id}, true);
            QVERIFY2(std::string("Movie").rfind(piece, 0) == 0 || std::string("Person").rfind(piece, 0) == 0 ||
                         std::string("`Movie`").rfind(piece, 0) == 0 || std::string("`Person`").rfind(piece, 0) == 0 ||
                         piece.find_first_not_of(" \t\n") == std::string::npos,
                     piece.c_str());
        }
}

// Inside a string literal, only what the question, the evidence or the schema's examples hold.
void TestPrompt::decodingCopiesValues() {
    const auto tok = Tokenizer::load(test::dataPath("engine/tokenizer"));
    Schema shop = loadSchemaFile(test::dataPath("schemas/shop.json"));
    shop.tables.front().columns.front().examples = {"Zanzibar"};
    LiteralConstraint values(Dialect::SQLite, shop, "Which customers live in Berlin?", "city means the town", tok);
    QVERIFY(values.fits("Berl"));
    QVERIFY(values.fits("berlin"));    // letter case aside
    QVERIFY(values.fits("%Berlin%"));  // LIKE's wildcards aside
    QVERIFY(values.fits("%Y"));        // a strftime format holds no value
    QVERIFY(values.fits("Zanzibar"));  // an example value of the schema
    QVERIFY(values.fits("the town"));  // the evidence
    QVERIFY(!values.fits("Bernin"));   // half-read
    QVERIFY(!values.fits("Paris"));
    QVERIFY(!values.fits("Berlin? city"));  // never across two sources (the question, the evidence)
    QCOMPARE(values.allowedNext(tok->encode("SELECT name FROM customer WHERE city = ")), nullptr);  // no literal open
    const auto *inside = values.allowedNext(tok->encode("SELECT name FROM customer WHERE city = 'Ber"));
    QVERIFY(inside);
    // every allowed piece continues "Ber" towards a source's text (or closes the literal), and "lin" does
    int allowed = 0;
    for (int id = 0; id < tok->vocabSize(); ++id)
        if ((*inside)[static_cast<std::size_t>(id)]) {
            ++allowed;
            std::string piece = tok->decode({id}, true);
            piece.resize(std::min(piece.size(), piece.find('\'')));
            if (piece.find('%') != std::string::npos) continue;  // a wildcard is no text
            std::transform(piece.begin(), piece.end(), piece.begin(), [](unsigned char c) { return std::tolower(c); });
            QVERIFY2(std::string("which customers live in berlin?").find("ber" + piece) != std::string::npos,
                     piece.c_str());
        }
    QVERIFY(allowed > 0);
    for (const char *next : {"lin", "l", "'"})
        if (const auto ids = tok->encode(next); ids.size() == 1)
            QVERIFY2((*inside)[static_cast<std::size_t>(ids[0])], next);
    for (const char *next : {"n", "x"})
        if (const auto ids = tok->encode(next); ids.size() == 1)
            QVERIFY2(!(*inside)[static_cast<std::size_t>(ids[0])], next);
    // a quoted name is not a literal; a doubled quote stays inside one
    QCOMPARE(values.allowedNext(tok->encode("SELECT \"name")), nullptr);
    QVERIFY(values.allowedNext(tok->encode("SELECT 'it''s")));
}

void TestPrompt::budgetDropsExamplesThenLeastRelatedTables() {
    const auto tok = Tokenizer::load(test::dataPath("engine/tokenizer"));
    Schema s = loadSchemaFile(test::dataPath("schemas/shop.json"));
    s.tables.push_back(
        {"product", "", {{"product_id", "integer", "", true, {"10", "11"}}, {"title", "text", "", false, {"Kettle"}}}});
    const std::string question = "How many orders did each customer place?";
    const auto full = buildPrompt(*tok, Dialect::MySQL, question, s, "", 100000);
    QVERIFY(full.fits && full.note().empty());
    QCOMPARE(full.text,
             chatPrompt(userPrompt(Dialect::MySQL, question, formatSchemaForPrompt(s, SchemaFormat::Relational), "")));
    QCOMPARE(full.ids, tok->encode(full.text));

    const int size = static_cast<int>(full.ids.size());
    const auto noExamples = buildPrompt(*tok, Dialect::MySQL, question, s, "", size - 1);
    QVERIFY(noExamples.fits);
    QVERIFY(noExamples.droppedExamples);
    QVERIFY(noExamples.droppedTables.empty());
    QVERIFY(noExamples.text.find("Value examples") == std::string::npos);
    QVERIFY(static_cast<int>(noExamples.ids.size()) <= size - 1);

    const auto oneTableLess =
        buildPrompt(*tok, Dialect::MySQL, question, s, "", static_cast<int>(noExamples.ids.size()) - 1);
    QCOMPARE(oneTableLess.droppedTables, std::vector<std::string>{"product"});  // shares no word with the question
    QVERIFY(oneTableLess.text.find("# Table: product") == std::string::npos);
    QVERIFY(oneTableLess.text.find("# Table: orders") != std::string::npos);
    QCOMPARE(QString::fromStdString(oneTableLess.note()),
             QStringLiteral("value examples dropped; tables dropped: product"));

    const auto impossible = buildPrompt(*tok, Dialect::MySQL, question, s, "", 10);
    QVERIFY(!impossible.fits);
    QVERIFY(impossible.note().find("still over the token budget") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestPrompt)
#include "test_prompt.moc"
