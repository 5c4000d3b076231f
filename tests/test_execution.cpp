// Read-only query execution on real SQLite, PostgreSQL 15 and MariaDB (the db_servers fixture),
// the refusal of modifying statements, timeouts and row caps, and the relational EX comparison.
#include "test_support.h"

#include "momq/execution.h"
#include "momq/query_check.h"
#include "momq/introspect.h"

#include <QtTest>

#include <sstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace momq;

namespace {

QueryResult table(std::vector<std::vector<Value>> rows) {
    QueryResult r;
    r.rows = std::move(rows);
    if (!r.rows.empty()) r.columns.assign(r.rows[0].size(), "c");
    return r;
}

}  // namespace

class TestExecution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void relationalComparisonFollowsTheRules();
    void strictComparisonKeepsOrderAndTolerance();
    void runsOnEveryEngine_data();
    void runsOnEveryEngine();
    void refusesModifyingQueriesAndKeepsTheData_data();
    void refusesModifyingQueriesAndKeepsTheData();
    void postgresEnforcesReadOnlyItself();
    void timeoutsAndRowCaps_data();
    void timeoutsAndRowCaps();
    void unreachableServerIsAConnectionError();
    void falkordbRunsReadOnlyCypher();
    void graphComparisonFollowsTheRules();
    void falkordbSchemaIsIntrospected();
    void neo4jRequestIsAReadOnlyHttpCommit();
    void neo4jResponsesBecomeRowsOrErrors();
    void unreachableNeo4jIsAConnectionError();
    void serversCheckQueriesWithoutRunningThem();

private:
    QTemporaryDir dir_;
    ConnectionSettings sqlite_;
    ConnectionSettings settingsFor(const QString &engine) {
        return engine == QLatin1String("sqlite") ? sqlite_ : test::serverSettings(engine.toStdString());
    }
};

void TestExecution::initTestCase() {
    sqlite_.path = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(sqlite_.path.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, test::readFile(test::dataPath("shop_sqlite.sql")).c_str(), nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
}

void TestExecution::relationalComparisonFollowsTheRules() {
    const auto gold = table({{Value::of(std::int64_t{1}), Value::of(std::string("Ada"))},
                             {Value::of(std::int64_t{3}), Value::of(std::string("Chen"))}});
    QVERIFY(relationalResultsMatch(gold, gold));
    // swapped columns and rows: still a match (column permutation, order ignored)
    QVERIFY(relationalResultsMatch(gold, table({{Value::of(std::string("Chen")), Value::of(std::int64_t{3})},
                                                {Value::of(std::string("Ada")), Value::of(std::int64_t{1})}})));
    // 1 == 1.0, as Python compares
    QVERIFY(relationalResultsMatch(gold, table({{Value::of(1.0), Value::of(std::string("Ada"))},
                                                {Value::of(3.0), Value::of(std::string("Chen"))}})));
    // '1' != 1
    QVERIFY(!relationalResultsMatch(gold, table({{Value::of(std::string("1")), Value::of(std::string("Ada"))},
                                                 {Value::of(std::string("3")), Value::of(std::string("Chen"))}})));
    // a changed filter: other rows
    QVERIFY(!relationalResultsMatch(gold, table({{Value::of(std::int64_t{1}), Value::of(std::string("Ada"))},
                                                 {Value::of(std::int64_t{2}), Value::of(std::string("Bo"))}})));
    // an extra duplicate row, and a missing column
    QVERIFY(!relationalResultsMatch(gold, table({{Value::of(std::int64_t{1}), Value::of(std::string("Ada"))},
                                                 {Value::of(std::int64_t{1}), Value::of(std::string("Ada"))},
                                                 {Value::of(std::int64_t{3}), Value::of(std::string("Chen"))}})));
    QVERIFY(!relationalResultsMatch(gold, table({{Value::of(std::int64_t{1})}, {Value::of(std::int64_t{3})}})));
    // the values of a column must stay in their rows: the same column multisets, rows paired otherwise
    QVERIFY(!relationalResultsMatch(gold, table({{Value::of(std::int64_t{3}), Value::of(std::string("Ada"))},
                                                 {Value::of(std::int64_t{1}), Value::of(std::string("Chen"))}})));
    QVERIFY(relationalResultsMatch(table({}), table({})));
    QVERIFY(excludedFromRelationalEx(table({})));
    QVERIFY(excludedFromRelationalEx(table({{Value::of(std::int64_t{1}), Value::null()}})));
    QVERIFY(!excludedFromRelationalEx(gold));
}

void TestExecution::strictComparisonKeepsOrderAndTolerance() {
    const auto gold =
        table({{Value::of(std::int64_t{1}), Value::of(0.1 + 0.2)}, {Value::of(std::int64_t{2}), Value::of(1e6)}});
    // float noise within 1e-6 relative passes here, never in plain EX
    const auto noisy =
        table({{Value::of(std::int64_t{1}), Value::of(0.3)}, {Value::of(std::int64_t{2}), Value::of(1e6 + 0.5)}});
    QVERIFY(relationalResultsMatchStrict(gold, noisy, true));
    QVERIFY(!relationalResultsMatch(gold, noisy));
    QVERIFY(!relationalResultsMatchStrict(
        gold, table({{Value::of(std::int64_t{1}), Value::of(0.3)}, {Value::of(std::int64_t{2}), Value::of(1e6 + 5.0)}}),
        true));
    // order counts when the gold query orders, not otherwise; columns may still be permuted
    const auto reversed =
        table({{Value::of(1e6), Value::of(std::int64_t{2})}, {Value::of(0.3), Value::of(std::int64_t{1})}});
    QVERIFY(!relationalResultsMatchStrict(gold, reversed, true));
    QVERIFY(relationalResultsMatchStrict(gold, reversed, false));
    QVERIFY(relationalResultsMatch(gold, table({{Value::of(std::int64_t{2}), Value::of(1e6)},
                                                {Value::of(std::int64_t{1}), Value::of(0.1 + 0.2)}})));
    // text stays exact and NULL matches only NULL
    QVERIFY(!relationalResultsMatchStrict(table({{Value::of(std::string("a"))}}),
                                          table({{Value::of(std::string("A"))}}), false));
    QVERIFY(!relationalResultsMatchStrict(table({{Value::null()}}), table({{Value::of(std::int64_t{0})}}), false));
    QVERIFY(relationalResultsMatchStrict(table({}), table({}), true));
}

void TestExecution::runsOnEveryEngine_data() {
    QTest::addColumn<QString>("engine");
    for (const char *e : {"sqlite", "postgresql", "mysql"}) QTest::newRow(e) << QString::fromLatin1(e);
}

void TestExecution::runsOnEveryEngine() {
    QFETCH(QString, engine);
    auto ex = openExecutor(settingsFor(engine));
    const auto r = ex->run("SELECT c.customer_id, c.name, c.city, p.price FROM customer c, product p "
                           "WHERE p.product_id = 12 ORDER BY c.customer_id");
    QCOMPARE(r.columns.size(), size_t(4));
    QCOMPARE(r.rows.size(), size_t(4));
    QCOMPARE(r.rows[0][0].kind, Value::Kind::Integer);
    QCOMPARE(r.rows[0][0].integer, std::int64_t(1));
    QCOMPARE(r.rows[0][1].text, std::string("Ada"));
    QCOMPARE(r.rows[1][2].kind, Value::Kind::Null);  // Bo has no city
    QVERIFY(r.rows[0][3] == Value::of(4.25));
    QVERIFY(!r.truncated);
    // the same answer on every engine compares equal, column order aside
    const auto sqliteAnswer =
        openExecutor(sqlite_)->run("SELECT name, customer_id FROM customer WHERE city IS NOT NULL");
    QVERIFY(
        relationalResultsMatch(ex->run("SELECT customer_id, name FROM customer WHERE city IS NOT NULL"), sqliteAnswer));
    try {
        ex->run("SELECT no_such_column FROM customer");
        QFAIL("a broken query ran");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Failed);
        QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("no_such_column")), e.what());
    }
    QCOMPARE(ex->run("SELECT COUNT(*) FROM orders").rows[0][0].integer,
             std::int64_t(3));  // the session survives errors
}

void TestExecution::refusesModifyingQueriesAndKeepsTheData_data() { runsOnEveryEngine_data(); }

void TestExecution::refusesModifyingQueriesAndKeepsTheData() {
    QFETCH(QString, engine);
    auto ex = openExecutor(settingsFor(engine));
    try {
        ex->run("DELETE FROM customer");
        QFAIL("a DELETE ran");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Refused);
        QVERIFY2(std::string(e.what()).rfind("refused: ", 0) == 0, e.what());
    }
    QCOMPARE(ex->run("SELECT COUNT(*) FROM customer").rows[0][0].integer, std::int64_t(4));
}

void TestExecution::postgresEnforcesReadOnlyItself() {
    // No keyword gives this one away; pg_proc says nextval is volatile.
    auto ex = openExecutor(test::serverSettings("postgresql"));
    EXPECT_ERROR(ExecutionError, ex->run("SELECT nextval('order_number')"),
                 "refused: the function nextval is volatile");
    // the fixture's account is a superuser: said once, with the recipe for a SELECT-only account
    QVERIFY(ex->accountWarning().find("is a superuser") != std::string::npos);
    QVERIFY(ex->accountWarning().find("queries run as pg_read_all_data") != std::string::npos);
    QCOMPARE(ex->run("SELECT current_user").rows[0][0].text, std::string("pg_read_all_data"));
}

void TestExecution::timeoutsAndRowCaps_data() {
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("slow");
    QTest::newRow("sqlite") << "sqlite"
                            << "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";
    QTest::newRow("postgresql")
        << "postgresql"
        << "SELECT count(*) FROM generate_series(1, 10000000000)";  // pg_sleep is refused: volatile
    QTest::newRow("mysql") << "mysql"
                           << "SELECT BENCHMARK(2000000000, MD5('momq'))";
}

void TestExecution::timeoutsAndRowCaps() {
    QFETCH(QString, engine);
    QFETCH(QString, slow);
    ExecutionOptions o;
    o.timeoutMs = 300;
    o.rowCap = 2;
    auto ex = openExecutor(settingsFor(engine), o);
    QElapsedTimer timer;
    timer.start();
    try {
        ex->run(slow.toStdString());
        QFAIL("the slow query finished");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Timeout);
    }
    QVERIFY(timer.elapsed() < 4000);
    const auto capped = ex->run("SELECT customer_id FROM customer");
    QCOMPARE(capped.rows.size(), size_t(2));
    QVERIFY(capped.truncated);
}

void TestExecution::unreachableServerIsAConnectionError() {
    for (const char *engine : {"postgresql", "mysql"}) {
        auto s = test::serverSettings(engine);
        s.port = 1;
        try {
            openExecutor(s);
            QFAIL("connected to port 1");
        } catch (const ExecutionError &e) {
            QCOMPARE(e.reason(), ExecutionError::Reason::Connection);
            QVERIFY(std::string(e.what()).find("cannot connect") != std::string::npos);
        }
    }
}

ConnectionSettings falkordb(const std::string &graph) {
    auto c = test::serverSettings("falkordb");
    c.database = graph;
    return c;
}

void TestExecution::falkordbRunsReadOnlyCypher() {
    const auto settings = falkordb("movies_exec");
    const auto statements = test::nonEmptyLines(test::dataPath("movies.cypher"));
    loadGraph(settings, statements);
    auto ex = openExecutor(settings);
    auto r =
        ex->run("MATCH (p:Person)-[:ACTED_IN]->(m:Movie {title: 'The Matrix'}) RETURN p.name, p.born ORDER BY p.born");
    QCOMPARE(r.columns, (std::vector<std::string>{"p.name", "p.born"}));
    QCOMPARE(r.rows.size(), size_t(2));
    QCOMPARE(r.rows[0][0].text, std::string("Keanu Reeves"));
    QVERIFY(r.rows[0][1] == Value::of(std::int64_t{1964}));  // numbers compare as floats: 1964 == 1964.0
    r = ex->run("MATCH (m:Movie) WHERE m.title = 'Cloud Atlas' RETURN m.tagline, [1, 2]");
    QCOMPARE(r.rows[0][0].kind, Value::Kind::Null);
    QCOMPARE(r.rows[0][1].text, std::string("[1, 2]"));
    for (const char *write : {"CREATE (:Person {name: 'x'})", "MATCH (p:Person) SET p.born = 0"}) {
        try {
            ex->run(write);
            QFAIL("a write ran");
        } catch (const ExecutionError &e) {
            QCOMPARE(e.reason(), ExecutionError::Reason::Refused);
        }
    }
    QCOMPARE(ex->run("MATCH (p:Person) RETURN count(p)").rows[0][0].real, 4.0);
    ExecutionOptions quick;
    quick.timeoutMs = 200;
    try {
        openExecutor(settings, quick)->run("UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b RETURN count(*)");
        QFAIL("the slow query finished");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Timeout);
    }
    try {
        ex->run("MATCH (p:Person RETURN p");
        QFAIL("a syntax error ran");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Failed);
    }
}

void TestExecution::graphComparisonFollowsTheRules() {
    const auto gold = table(
        {{Value::of(std::string("Keanu")), Value::of(1964.0)}, {Value::of(std::string("Carrie")), Value::of(1967.0)}});
    const auto swapped = table(
        {{Value::of(std::string("Carrie")), Value::of(1967.0)}, {Value::of(std::string("Keanu")), Value::of(1964.0)}});
    QVERIFY(graphResultsMatch(gold, gold, true));
    QVERIFY(graphResultsMatch(gold, swapped, false));  // rows paired freely without ORDER BY
    QVERIFY(!graphResultsMatch(gold, swapped, true));  // kept in order with it
    // column order and names do not count, nor repeated values inside a row
    QVERIFY(graphResultsMatch(gold,
                              table({{Value::of(1964.0), Value::of(std::string("Keanu")), Value::of(1964.0)},
                                     {Value::of(1967.0), Value::of(std::string("Carrie"))}}),
                              true));
    QVERIFY(!graphResultsMatch(gold, table({{Value::of(std::string("Keanu")), Value::of(1964.0)}}), false));
    QVERIFY(graphResultsMatch(table({}), table({}), false));
    QVERIFY(ordersRows("MATCH (n) RETURN n ORDER BY n.x", "MATCH (n) RETURN n"));
    QVERIFY(!ordersRows("MATCH (n) RETURN n", "MATCH (n) RETURN n"));
    // Regression: a substring test for "order by" missed other white space and counted inner ORDER BYs.
    QVERIFY(ordersRows("MATCH (n) RETURN n", "match (n) return n order  by n.x"));
    QVERIFY(ordersOutermostResult("SELECT a FROM t ORDER\nBY a"));
    QVERIFY(ordersOutermostResult("SELECT a FROM t ORDER /* why */ BY a"));
    QVERIFY(ordersOutermostResult("SELECT a FROM t ORDER -- why\n BY a"));
    QVERIFY(ordersOutermostResult("SELECT a FROM t UNION SELECT b FROM u order by 1"));
    QVERIFY(ordersOutermostResult("GO FROM \"p1\" OVER follow YIELD dst(edge) AS d | ORDER BY $-.d"));
    QVERIFY(!ordersOutermostResult("SELECT a FROM (SELECT a FROM t ORDER BY a LIMIT 3) s"));
    QVERIFY(!ordersOutermostResult("SELECT a, rank() OVER (ORDER BY b) FROM t"));
    QVERIFY(!ordersOutermostResult("SELECT 'order by' FROM t WHERE \"order by\" = 1 -- order by\n"));
    QVERIFY(!ordersOutermostResult("SELECT a FROM t WHERE b = 'it''s ORDER BY' /* ORDER BY */"));
    QVERIFY(!ordersOutermostResult("SELECT `order`, by FROM t"));
    QVERIFY(!ordersOutermostResult("SELECT order_total, by_hand FROM t"));
}

void TestExecution::falkordbSchemaIsIntrospected() {
    const auto settings = falkordb("movies_schema");
    const auto statements = test::nonEmptyLines(test::dataPath("movies.cypher"));
    loadGraph(settings, statements);
    const auto s = introspectDatabase(settings, {"movies", 2});
    QCOMPARE(s.kind, SchemaKind::Graph);
    QCOMPARE(s.nodes.size(), size_t(2));
    QCOMPARE(s.nodes[0].label, std::string("Movie"));
    QCOMPARE(s.nodes[1].label, std::string("Person"));
    const auto &movie = s.nodes[0].properties;
    QCOMPARE(movie.size(), size_t(3));
    QCOMPARE(movie[0].name, std::string("released"));
    QCOMPARE(movie[0].type, std::string("INTEGER"));
    QCOMPARE(*movie[0].min, std::string("1995"));
    QCOMPARE(*movie[0].max, std::string("2012"));
    QCOMPARE(movie[2].name, std::string("title"));
    QCOMPARE(movie[2].examples, (std::vector<std::string>{"Apollo 13", "Cloud Atlas"}));
    QCOMPARE(s.relationships.size(), size_t(2));
    QCOMPARE(s.relationships[0].type, std::string("ACTED_IN"));
    QCOMPARE(s.relationships[0].fromLabel, std::string("Person"));
    QCOMPARE(s.relationships[0].toLabel, std::string("Movie"));
    QCOMPARE(s.relationships[0].properties.at(0).type, std::string("LIST"));
    const auto prompt = formatSchemaForPrompt(s, SchemaFormat::Cypher);
    QVERIFY2(prompt.find("(:Person)-[:DIRECTED]->(:Movie)") != std::string::npos, prompt.c_str());
    QVERIFY(prompt.find("- `born`: INTEGER Min: 1956, Max: 1967") != std::string::npos);
}

// Neo4j cannot be installed here: the request we would send and the parsing of documented
// responses are checked, and a port where nothing listens gives a connection error through libcurl.
void TestExecution::neo4jRequestIsAReadOnlyHttpCommit() {
    ConnectionSettings s;
    s.engine = DatabaseEngine::Neo4j;
    s.host = "db.local";
    s.user = "reader";
    s.password = "pw";
    auto r = neo4jRequest(s, "MATCH (p:Person) WHERE p.name = \"Ann\" RETURN p.born");
    QCOMPARE(r.url, std::string("http://db.local:7474/db/neo4j/tx/commit"));
    QVERIFY(std::find(r.headers.begin(), r.headers.end(), "Access-Mode: READ") != r.headers.end());
    QVERIFY(std::find(r.headers.begin(), r.headers.end(), "Content-Type: application/json") != r.headers.end());
    QCOMPARE(r.user, std::string("reader"));
    QCOMPARE(r.password, std::string("pw"));
    const auto body = nlohmann::json::parse(r.body);
    QCOMPARE(body["statements"].size(), std::size_t(1));
    QCOMPARE(body["statements"][0]["statement"].get<std::string>(),
             std::string("MATCH (p:Person) WHERE p.name = \"Ann\" RETURN p.born"));
    QCOMPARE(body["statements"][0]["resultDataContents"][0].get<std::string>(), std::string("row"));
    s.port = 7575;
    s.database = "movies";
    QCOMPARE(neo4jRequest(s, "RETURN 1").url, std::string("http://db.local:7575/db/movies/tx/commit"));
}

void TestExecution::neo4jResponsesBecomeRowsOrErrors() {
    const auto r = parseNeo4jResponse(
        R"({"results":[{"columns":["name","born","score","tags"],"data":[{"row":["Ann",1970,2.5,["a"]]},{"row":["Bo",null,1,[]]}]}],"errors":[]})",
        10);
    QCOMPARE(r.columns, (std::vector<std::string>{"name", "born", "score", "tags"}));
    QCOMPARE(r.rows.size(), std::size_t(2));
    QVERIFY(r.rows[0][0] == Value::of(std::string("Ann")));
    QVERIFY(r.rows[0][1] == Value::of(std::int64_t(1970)));
    QVERIFY(r.rows[0][2] == Value::of(2.5));
    QVERIFY(r.rows[0][3] == Value::of(std::string("[\"a\"]")));
    QCOMPARE(r.rows[1][1].kind, Value::Kind::Null);
    const auto capped = parseNeo4jResponse(
        R"({"results":[{"columns":["n"],"data":[{"row":[1]},{"row":[2]},{"row":[3]}]}],"errors":[]})", 2);
    QCOMPARE(capped.rows.size(), std::size_t(2));
    QVERIFY(capped.truncated);
    EXPECT_ERROR(
        ExecutionError,
        parseNeo4jResponse(
            R"({"results":[],"errors":[{"code":"Neo.ClientError.Statement.SyntaxError","message":"Invalid input 'X'"}]})",
            10),
        "Neo.ClientError.Statement.SyntaxError: Invalid input 'X'");
    EXPECT_ERROR(FormatError, parseNeo4jResponse("<html>502</html>", 10), "Neo4j response: not valid JSON");
    EXPECT_ERROR(FormatError, parseNeo4jResponse(R"({"data":[]})", 10), "expected \"results\" and \"errors\"");
}

void TestExecution::unreachableNeo4jIsAConnectionError() {
    ConnectionSettings s;
    s.engine = DatabaseEngine::Neo4j;
    s.port = 1;
    auto executor = openExecutor(s);
    try {
        executor->run("MATCH (n) RETURN count(n)");
        QFAIL("no error");
    } catch (const ExecutionError &e) {
        QCOMPARE(e.reason(), ExecutionError::Reason::Connection);
        QVERIFY2(std::string(e.what()).find("neo4j://localhost:1") != std::string::npos, e.what());
    }
}

// Issue 16's checks after generation where no offline parser exists: MariaDB prepares the query on
// the server (names resolved, nothing run), FalkorDB explains it; SQLite and PostgreSQL stay offline.
void TestExecution::serversCheckQueriesWithoutRunningThem() {
    Schema none;
    auto mysql = openExecutor(settingsFor(QStringLiteral("mysql")));
    auto check = checkQuery(Dialect::MySQL, "SELECT name FROM customer WHERE city = 'Berlin'", none, mysql.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Valid);
    QCOMPARE(check.checkedBy, std::string("MariaDB PREPARE"));
    check = checkQuery(Dialect::MySQL, "SELECT nickname FROM customer", none, mysql.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Invalid);
    QVERIFY2(check.message.find("nickname") != std::string::npos, check.message.c_str());
    check = checkQuery(Dialect::MySQL, "SELECT name FROM customer WHERE", none, mysql.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Invalid);
    QVERIFY2(check.message.find("syntax") != std::string::npos, check.message.c_str());
    check = checkQuery(Dialect::MySQL, "DELETE FROM customer", none, mysql.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Invalid);
    QVERIFY2(check.message.rfind("refused: ", 0) == 0, check.message.c_str());
    QCOMPARE(mysql->run("SELECT COUNT(*) FROM customer").rows[0][0], Value::of(std::int64_t{4}));  // nothing ran
    // without a connection the grammar decides, and says where the query stops being MySQL
    check = checkQuery(Dialect::MySQL, "SELEC 1", none);
    QCOMPARE(check.verdict, QueryCheck::Verdict::Invalid);
    QCOMPARE(check.checkedBy, std::string("MySQL grammar (XGrammar)"));
    QVERIFY2(check.message.find("at character 6") != std::string::npos, check.message.c_str());

    const auto settings = falkordb("movies_check");
    loadGraph(settings, test::nonEmptyLines(test::dataPath("movies.cypher")), true);
    auto graph = openExecutor(settings);
    check = checkQuery(Dialect::Cypher, "MATCH (m:Movie) RETURN m.title", none, graph.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Valid);
    QCOMPARE(check.checkedBy, std::string("FalkorDB GRAPH.EXPLAIN"));
    check = checkQuery(Dialect::Cypher, "MATCH (m:Movie RETURN m.title", none, graph.get());
    QCOMPARE(check.verdict, QueryCheck::Verdict::Invalid);
    QVERIFY(!check.message.empty());
}

QTEST_GUILESS_MAIN(TestExecution)
#include "test_execution.moc"
