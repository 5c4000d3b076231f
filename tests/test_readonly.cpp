// Read-only holds against hostile queries on every engine: each case is refused (or fails) with
// one line, and the database's state — tables, rows, roles, sequences, large objects, settings,
// files, the server's liveness — is the same before and after. The state is read over separate
// administrative connections, never through the executor under test.
#include "test_support.h"

#include "momq/evaluation.h"
#include "momq/execution.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <libpq-fe.h>
#include <mysql.h>
#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <fstream>

using namespace momq;

namespace {

// Files an attack would write; none may exist afterwards.
const char *const kPwnedFiles[] = {"/tmp/momq-pwned-lo",   "/tmp/momq-pwned-copy", "/tmp/momq-pwned-out",
                                   "/tmp/momq-pwned-dump", "/tmp/momq-pwned.db",   "/tmp/momq-pwned-vacuum.db"};

std::string pwnedFiles() {
    std::string out;
    for (const char *f : kPwnedFiles)
        if (std::filesystem::exists(f)) out += std::string(f) + " ";
    return out;
}

std::string pgState(const ConnectionSettings &s) {
    const std::string conninfo = "host=" + s.host + " port=" + std::to_string(s.port) + " dbname=" + s.database +
                                 " user=" + s.user + " password=" + s.password;
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) return "server down: " + std::string(PQerrorMessage(conn.get()));
    std::string state;
    for (const char *q :
         {"SELECT string_agg(c::text, ';' ORDER BY c.customer_id) FROM customer c",
          "SELECT string_agg(o::text, ';' ORDER BY o.order_id) FROM orders o",
          "SELECT string_agg(p::text, ';' ORDER BY p.product_id) FROM product p",
          "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'",
          "SELECT string_agg(rolname || ':' || rolsuper, ',' ORDER BY rolname) FROM pg_roles",
          "SELECT last_value || ':' || is_called FROM order_number", "SELECT count(*) FROM pg_largeobject_metadata",
          "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'checkpointer'",
          "SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
          "SELECT setting FROM pg_settings WHERE name = 'max_connections'"}) {
        std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), q), &PQclear);
        state +=
            std::string(PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQntuples(r.get()) ? PQgetvalue(r.get(), 0, 0)
                                                                                         : "?") +
            "\n";
    }
    return state + pwnedFiles();
}

std::string mysqlState(const ConnectionSettings &s) {
    std::unique_ptr<MYSQL, decltype(&mysql_close)> db(mysql_init(nullptr), &mysql_close);
    if (!mysql_real_connect(db.get(), s.host.c_str(), s.user.c_str(), s.password.c_str(), s.database.c_str(), s.port,
                            nullptr, 0))
        return std::string("server down: ") + mysql_error(db.get());
    std::string state;
    for (const char *q : {"CHECKSUM TABLE customer, orders, product, order_line", "SHOW TABLES",
                          "SELECT GROUP_CONCAT(CONCAT(user, '@', host) ORDER BY user, host) FROM mysql.user",
                          "SELECT @@GLOBAL.max_connections", "SELECT IS_FREE_LOCK('momq')"}) {
        if (mysql_query(db.get(), q) != 0) return std::string("query failed: ") + mysql_error(db.get());
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(db.get()), &mysql_free_result);
        while (MYSQL_ROW row = mysql_fetch_row(res.get()))
            for (unsigned c = 0; c < mysql_num_fields(res.get()); ++c)
                state += std::string(row[c] ? row[c] : "NULL") + ",";
        state += "\n";
    }
    return state + pwnedFiles();
}

// Runs a hostile query through a fresh executor: it must be refused (or fail) in one line, the
// session must go on, and `state` must read the same before and after.
void expectRefusedAndUnchanged(const ConnectionSettings &settings, const QString &query,
                               const std::function<std::string()> &state, bool onlyRefusal = false) {
    const std::string before = state();
    {
        auto ex = openExecutor(settings);
        try {
            ex->run(query.toStdString());
            QFAIL("the query ran");
        } catch (const ExecutionError &e) {
            const bool refused = e.reason() == ExecutionError::Reason::Refused;
            QVERIFY2(refused || (!onlyRefusal && e.reason() == ExecutionError::Reason::Failed), e.what());
            QVERIFY2(!refused || std::string(e.what()).find('\n') == std::string::npos, e.what());  // one line
        }
        QCOMPARE(ex->run("SELECT count(*) FROM customer").rows[0][0].integer, std::int64_t(4));  // the session goes on
    }
    QCOMPARE(QString::fromStdString(state()), QString::fromStdString(before));
}

std::string fileBytes(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

class TestReadOnly : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void postgresRefusesAndNothingChanges_data();
    void postgresRefusesAndNothingChanges();
    void mariadbRefusesAndNothingChanges_data();
    void mariadbRefusesAndNothingChanges();
    void sqliteRefusesAndNothingChanges_data();
    void sqliteRefusesAndNothingChanges();
    void falkordbRefusesAndNothingChanges();
    void readQueriesStillRun();
    void deadlinesHoldWhateverTheQuerySays_data();
    void deadlinesHoldWhateverTheQuerySays();
    void serverErrorTextIsValidUtf8();

private:
    QTemporaryDir dir_;
    std::string sqlitePath_;
};

void TestReadOnly::initTestCase() {
    for (const char *f : kPwnedFiles) std::filesystem::remove(f);
    // A user function that deletes: calling it from a SELECT must change nothing.
    const auto pg = test::serverSettings("postgresql");
    const std::string conninfo = "host=" + pg.host + " port=" + std::to_string(pg.port) + " dbname=" + pg.database +
                                 " user=" + pg.user + " password=" + pg.password;
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
    QCOMPARE(PQstatus(conn.get()), CONNECTION_OK);
    for (const char *sql :
         {"CREATE OR REPLACE FUNCTION wipe() RETURNS int LANGUAGE sql AS 'DELETE FROM order_line; SELECT 1'",
          "CREATE OR REPLACE FUNCTION sneaky() RETURNS int STABLE LANGUAGE plpgsql AS "
          "$$ BEGIN EXECUTE 'DEL' || 'ETE FROM order_line'; RETURN 1; END $$"})
        PQclear(PQexec(conn.get(), sql));
    sqlitePath_ = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(sqlitePath_.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, test::readFile(test::dataPath("shop_sqlite.sql")).c_str(), nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
}

void TestReadOnly::postgresRefusesAndNothingChanges_data() {
    QTest::addColumn<QString>("query");
    auto row = [](const char *name, const char *query) { QTest::newRow(name) << QString::fromUtf8(query); };
    // several statements, transaction control
    row("commit then write", "SELECT 1; COMMIT; BEGIN READ WRITE; CREATE ROLE evil SUPERUSER LOGIN; COMMIT");
    row("second statement", "SELECT 1; DELETE FROM customer");
    row("commit", "COMMIT");
    row("begin read write", "BEGIN READ WRITE");
    row("savepoint", "SAVEPOINT s");
    row("prepare", "PREPARE p AS DELETE FROM customer");
    // procedural code
    row("do block", "DO $$ BEGIN EXECUTE 'DEL' || 'ETE FROM customer'; END $$");
    row("call", "CALL wipe()");
    row("user function that deletes", "SELECT wipe()");
    row("stable function that deletes", "SELECT sneaky()");
    // side-effect functions, sequences, large objects, other sessions
    row("terminate backend", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()");
    row("cancel backend", "SELECT pg_cancel_backend(pid) FROM pg_stat_activity");
    row("nextval", "SELECT nextval('order_number')");
    row("setval qualified", "SELECT pg_catalog.setval('order_number', 100)");
    row("lo_export", "SELECT lo_export(lo_creat(-1), '/tmp/momq-pwned-lo')");
    row("lo_unlink", "SELECT lo_unlink(oid) FROM pg_largeobject_metadata");
    row("advisory lock", "SELECT pg_advisory_lock(1)");
    row("reload conf", "SELECT pg_reload_conf()");
    row("read file", "SELECT pg_read_file('/etc/passwd')");
    // files and programs
    row("copy to program", "COPY (SELECT 1) TO PROGRAM 'touch /tmp/momq-pwned-copy'");
    row("copy to file", "COPY customer TO '/tmp/momq-pwned-out'");
    // settings and roles
    row("set_config timeout", "SELECT set_config('statement_timeout', '0', false)");
    row("set", "SET statement_timeout = 0");
    row("reset role", "RESET ROLE");
    row("set role", "SET ROLE momq");
    row("alter system", "ALTER SYSTEM SET max_connections = 3");
    // writes in disguise
    row("cte delete", "WITH d AS (DELETE FROM customer RETURNING *) SELECT * FROM d");
    row("select into", "SELECT * INTO evil FROM customer");
    row("for update", "SELECT * FROM customer FOR UPDATE");
    row("for share in subquery", "SELECT * FROM (SELECT * FROM customer FOR SHARE) x");
    row("explain analyze", "EXPLAIN ANALYZE DELETE FROM customer");
    row("explain analyze option", "EXPLAIN (ANALYZE, COSTS OFF) SELECT wipe()");
    row("explain of delete", "EXPLAIN DELETE FROM customer");
    row("comment first", "/* read */ DELETE FROM customer");
    row("mixed case", "dElEtE FROM customer");
    row("unicode space", "SELECT 1;\u00a0DELETE FROM customer");
    row("truncate", "TRUNCATE customer");
    row("lock table", "LOCK TABLE customer");
    row("vacuum", "VACUUM customer");
    row("checkpoint", "CHECKPOINT");
    row("notify", "NOTIFY momq");
    row("grant", "GRANT ALL ON customer TO PUBLIC");
    row("comment on", "COMMENT ON TABLE customer IS 'pwned'");
    row("create", "CREATE TABLE evil (x int)");
}

void TestReadOnly::postgresRefusesAndNothingChanges() {
    QFETCH(QString, query);
    const auto settings = test::serverSettings("postgresql");
    expectRefusedAndUnchanged(settings, query, [&] { return pgState(settings); });
}

void TestReadOnly::mariadbRefusesAndNothingChanges_data() {
    QTest::addColumn<QString>("query");
    auto row = [](const char *name, const char *query) { QTest::newRow(name) << QString::fromUtf8(query); };
    row("rename", "RENAME TABLE customer TO c2");
    row("into outfile", "SELECT * FROM customer INTO OUTFILE '/tmp/momq-pwned-out'");
    row("into dumpfile", "SELECT 'x' INTO DUMPFILE '/tmp/momq-pwned-dump'");
    row("into variable", "SELECT 1 INTO @x");
    row("optimize", "OPTIMIZE TABLE customer");
    row("shutdown", "SHUTDOWN");
    row("executable comment sets", "/*!SET STATEMENT max_statement_time=0 FOR*/ SELECT 1");
    row("versioned executable comment", "/*!50000 DELETE FROM customer */");
    row("mariadb executable comment", "/*M!100000 DROP TABLE customer */");
    row("second statement", "SELECT 1; DELETE FROM customer");
    row("comment between", "DELETE/**/FROM customer");
    row("line comment first", "-- read\nDELETE FROM customer");
    row("hash comment first", "# read\nUPDATE customer SET name = 'x'");
    row("get lock", "SELECT GET_LOCK('momq', 1)");
    row("load file", "SELECT LOAD_FILE('/etc/passwd')");
    row("assignment", "SELECT @a := 1");
    row("for update", "SELECT * FROM customer FOR UPDATE");
    row("lock in share mode", "SELECT * FROM customer LOCK IN SHARE MODE");
    row("handler", "HANDLER customer OPEN");
    row("do", "DO GET_LOCK('momq', 1)");
    row("lock tables", "LOCK TABLES customer WRITE");
    row("flush", "FLUSH TABLES");
    row("kill", "KILL 1");
    row("set global", "SET GLOBAL max_connections = 3");
    row("grant", "GRANT ALL ON *.* TO 'evil'@'%' IDENTIFIED BY 'x'");
    row("create user", "CREATE USER evil IDENTIFIED BY 'x'");
    row("load data", "LOAD DATA INFILE '/etc/passwd' INTO TABLE customer");
    row("prepare", "PREPARE s FROM 'DELETE FROM customer'");
    row("explain delete", "EXPLAIN DELETE FROM customer");
    row("analyze delete", "ANALYZE DELETE FROM customer");
    row("truncate", "TRUNCATE customer");
    row("alter", "ALTER TABLE customer ADD COLUMN x int");
    row("fullwidth letters", "ＤＥＬＥＴＥ FROM customer");
    row("xa", "XA START 'x'");
}

void TestReadOnly::mariadbRefusesAndNothingChanges() {
    QFETCH(QString, query);
    const auto settings = test::serverSettings("mysql");
    expectRefusedAndUnchanged(settings, query, [&] { return mysqlState(settings); });
    // the fixture's account holds everything: said on connecting
    QVERIFY(openExecutor(settings)->accountWarning().find("ALL PRIVILEGES") != std::string::npos);
}

void TestReadOnly::sqliteRefusesAndNothingChanges_data() {
    QTest::addColumn<QString>("query");
    auto row = [](const char *name, const char *query) { QTest::newRow(name) << QString::fromUtf8(query); };
    row("attach", "ATTACH DATABASE '/tmp/momq-pwned.db' AS x");
    row("vacuum into", "VACUUM INTO '/tmp/momq-pwned-vacuum.db'");
    row("journal mode", "PRAGMA journal_mode = WAL");
    row("writable schema", "PRAGMA writable_schema = 1");
    row("user version", "PRAGMA user_version = 5");
    row("load extension", "SELECT load_extension('/tmp/x')");
    row("delete", "DELETE FROM customer");
    row("second statement", "SELECT 1; DELETE FROM customer");
    row("cte delete", "WITH x AS (SELECT 1) DELETE FROM customer");
    row("create", "CREATE TABLE evil (x)");
    row("begin", "BEGIN IMMEDIATE");
}

void TestReadOnly::sqliteRefusesAndNothingChanges() {
    QFETCH(QString, query);
    ConnectionSettings settings;
    settings.path = sqlitePath_;
    const auto folder = dir_.path().toStdString();
    expectRefusedAndUnchanged(
        settings, query,
        [&] {  // the file's bytes, what else is in its folder (a journal, a copy), and the files an attack writes
            std::string state = fileBytes(sqlitePath_);
            for (const auto &entry : std::filesystem::directory_iterator(folder)) state += entry.path().string() + ";";
            return state + pwnedFiles();
        },
        true);
}

void TestReadOnly::falkordbRefusesAndNothingChanges() {
    auto settings = test::serverSettings("falkordb");
    settings.database = "movies_readonly";
    loadGraph(settings, test::nonEmptyLines(test::dataPath("movies.cypher")), true);
    auto ex = openExecutor(settings);
    auto count = [&] {
        const auto r = ex->run("MATCH (n) OPTIONAL MATCH (n)-[e]->() RETURN count(DISTINCT n), count(e)");
        return r.rows[0][0].display() + "/" + r.rows[0][1].display();
    };
    const std::string before = count();
    for (const char *q :
         {"CREATE (:Evil)", "MATCH (n) DETACH DELETE n", "MATCH (n) SET n.pwned = 1", "MERGE (:Evil {x: 1})",
          "MATCH (n) REMOVE n.name", "CALL db.idx.fulltext.createNodeIndex('Person', 'name')",
          "CREATE INDEX FOR (p:Person) ON (p.born)"}) {
        try {
            ex->run(q);
            QFAIL(q);
        } catch (const ExecutionError &e) {
            QVERIFY2(e.reason() == ExecutionError::Reason::Refused || e.reason() == ExecutionError::Reason::Failed,
                     e.what());
        }
    }
    QCOMPARE(count(), before);
}

// The allow-lists leave ordinary reading alone.
void TestReadOnly::readQueriesStillRun() {
    ConnectionSettings sqlite;
    sqlite.path = sqlitePath_;
    const std::pair<ConnectionSettings, std::vector<const char *>> cases[] = {
        {test::serverSettings("postgresql"),
         {"SELECT name FROM customer WHERE city = 'Berlin'",
          "WITH c AS (SELECT * FROM customer) SELECT count(*) FROM c", "SELECT 'DELETE FROM customer' AS text",
          "VALUES (1), (2)", "EXPLAIN SELECT * FROM customer",
          "SELECT upper(name), now() IS NOT NULL, random() < 2 FROM customer",
          "SELECT name FROM customer UNION SELECT title FROM product"}},
        {test::serverSettings("mysql"),
         {"SELECT name FROM customer WHERE city = 'Berlin'",
          "WITH c AS (SELECT * FROM customer) SELECT COUNT(*) FROM c", "SELECT 'INTO OUTFILE' AS text", "SHOW TABLES",
          "DESCRIBE customer", "EXPLAIN SELECT * FROM customer",
          "(SELECT name FROM customer) UNION (SELECT title FROM product)",
          "SELECT `name` FROM customer -- trailing comment"}},
        {sqlite,
         {"SELECT name FROM customer WHERE city = 'Berlin'", "SELECT * FROM pragma_table_info('customer')",
          "PRAGMA table_info(customer)", "SELECT 1; -- a comment after the statement"}}};
    for (const auto &[settings, queries] : cases) {
        auto ex = openExecutor(settings);
        for (const char *q : queries) {
            try {
                ex->run(q);
            } catch (const ExecutionError &e) {
                QFAIL(qPrintable(QStringLiteral("%1 on %2: %3")
                                     .arg(QString::fromUtf8(q), QString::fromLatin1(engineName(settings.engine)),
                                          QString::fromUtf8(e.what()))));
            }
        }
    }
}

void TestReadOnly::deadlinesHoldWhateverTheQuerySays_data() {
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("query");
    QTest::newRow("postgresql") << "postgresql"
                                << "SELECT count(*) FROM generate_series(1, 100000000000)";
    QTest::newRow("mariadb sleep") << "mysql"
                                   << "SELECT SLEEP(20)";
    QTest::newRow("mariadb executable comment") << "mysql"
                                                << "SELECT /*!100000 SLEEP(20), */ 1";
    // (UNWIND range(1, 1000000000) also ends at the deadline for the client, but FalkorDB 4 goes on
    // building the list on the server, past any TIMEOUT or QUERY_MEM_CAPACITY: not run here.)
    QTest::newRow("falkordb") << "falkordb"
                              << "UNWIND range(1, 30000) AS a UNWIND range(1, 30000) AS b RETURN count(*)";
}

void TestReadOnly::deadlinesHoldWhateverTheQuerySays() {
    QFETCH(QString, engine);
    QFETCH(QString, query);
    auto settings = test::serverSettings(engine.toStdString());
    if (engine == QLatin1String("falkordb")) settings.database = "movies_readonly";
    ExecutionOptions o;
    o.timeoutMs = 1000;
    auto ex = openExecutor(settings, o);
    QElapsedTimer timer;
    timer.start();
    try {
        ex->run(query.toStdString());
        QFAIL("the query finished");
    } catch (const ExecutionError &e) {
        QVERIFY2(e.reason() == ExecutionError::Reason::Timeout, e.what());
    }
    QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));  // within 1.5 times the limit
    QCOMPARE(ex->run(engine == QLatin1String("falkordb") ? "RETURN 1" : "SELECT 1").rows.size(),
             size_t(1));  // usable again
}

void TestReadOnly::serverErrorTextIsValidUtf8() {
    auto settings = test::serverSettings("falkordb");
    settings.database = "movies_readonly";
    auto ex = openExecutor(settings);
    try {
        ex->run("MATCH (n) RETURN 名字");
        QFAIL("an unknown variable ran");
    } catch (const ExecutionError &e) {
        const std::string message = e.what();
        QVERIFY(!message.empty());
        QCOMPARE(nlohmann::json(message).dump().empty(), false);  // would throw on invalid UTF-8
    }
    // a server message cut inside a character (FalkorDB does this) becomes valid text
    const ExecutionError cut(ExecutionError::Reason::Failed, std::string("unknown variable \xe5\x90"));
    QCOMPARE(std::string(cut.what()), std::string("unknown variable \xEF\xBF\xBD"));
    EvaluationReport report;
    report.items.push_back(
        {"q1", "cypher", "movies", "q", "gold", "pred", ItemStatus::PredictionFailed, "rows \xff here", "", "", ""});
    QVERIFY(EvaluationReport::fromJson(report.toJson(), "report").items[0].error == "rows \xEF\xBF\xBD here");
}

QTEST_GUILESS_MAIN(TestReadOnly)
#include "test_readonly.moc"
