// Schema introspection against real databases: an SQLite file, and the PostgreSQL 15 and MariaDB
// servers that the db_servers CTest fixture starts on loopback (tests/fixtures/db-servers.sh).
// All three hold the same "shop" database (tests/data/shop_*.sql).
#include "test_support.h"

#include "momq/error.h"
#include "momq/introspect.h"

#include "momq/query_check.h"

#include <QtTest>
#include <libpq-fe.h>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

using namespace momq;

namespace {

std::vector<std::string> columnNames(const Table &t) {
    std::vector<std::string> out;
    for (const auto &c : t.columns) out.push_back(c.name);
    return out;
}

// What every engine must report for the shop database.
void checkShop(const Schema &s, bool hasComments) {
    QCOMPARE(s.dbId, std::string("shop"));
    QCOMPARE(s.kind, SchemaKind::Relational);
    std::vector<std::string> tables;
    for (const auto &t : s.tables) tables.push_back(t.name);
    QCOMPARE(tables, (std::vector<std::string>{"customer", "order_line", "orders", "product"}));
    const Table &customer = *s.findTable("customer");
    QCOMPARE(columnNames(customer), (std::vector<std::string>{"customer_id", "name", "city"}));
    QVERIFY(customer.findColumn("customer_id")->primaryKey);
    QVERIFY(!customer.findColumn("name")->primaryKey);
    // NULLs are no examples; values come smallest first
    QCOMPARE(customer.findColumn("city")->examples, (std::vector<std::string>{"Berlin", "Hangzhou", "London"}));
    QCOMPARE(customer.findColumn("name")->examples, (std::vector<std::string>{"Ada", "Bo", "Chen"}));
    const Table &line = *s.findTable("order_line");
    QVERIFY(line.findColumn("order_id")->primaryKey && line.findColumn("product_id")->primaryKey);
    QVERIFY(!line.findColumn("quantity")->primaryKey);
    QCOMPARE(s.findTable("orders")->findColumn("ordered_on")->examples.front(), std::string("2024-01-05"));
    QCOMPARE(s.findTable("product")->findColumn("price")->examples.size(), size_t(3));
    QVERIFY(s.findTable("product")->findColumn("title")->type.find("64") != std::string::npos);

    QCOMPARE(s.foreignKeys.size(), size_t(3));
    QVERIFY((s.foreignKeys[0] == ForeignKey{"order_line", "order_id", "orders", "order_id"}));
    QVERIFY((s.foreignKeys[1] == ForeignKey{"order_line", "product_id", "product", "product_id"}));
    QVERIFY((s.foreignKeys[2] == ForeignKey{"orders", "customer_id", "customer", "customer_id"}));
    if (hasComments) {
        QCOMPARE(customer.description, std::string("People who buy"));
        QCOMPARE(customer.findColumn("city")->description, std::string("City of residence"));
    }
}

}  // namespace

class TestIntrospect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sqliteFile();
    void sqliteFileIsOnlyRead();
    void sqliteErrorsNameTheFile();
    void postgresql();
    void mariadb();
    void postgresqlReadsEverySchema();
    void examplesCanBeTurnedOff();
    void wrongPasswordIsAConnectionError_data();
    void wrongPasswordIsAConnectionError();
    void unreachableServerIsAConnectionError_data();
    void unreachableServerIsAConnectionError();

private:
    QTemporaryDir dir_;
    std::string sqlitePath_;
};

void TestIntrospect::initTestCase() {
    sqlitePath_ = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(sqlitePath_.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, test::readFile(test::dataPath("shop_sqlite.sql")).c_str(), nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
}

void TestIntrospect::sqliteFile() {
    ConnectionSettings c;
    c.path = sqlitePath_;
    const Schema s = introspectDatabase(c);
    checkShop(s, false);
    QCOMPARE(s.findTable("customer")->findColumn("customer_id")->type, std::string("INTEGER"));
}

void TestIntrospect::sqliteFileIsOnlyRead() {
    const std::string before = test::readFile(sqlitePath_);
    ConnectionSettings c;
    c.path = sqlitePath_;
    introspectDatabase(c);
    QCOMPARE(test::readFile(sqlitePath_), before);
}

void TestIntrospect::sqliteErrorsNameTheFile() {
    ConnectionSettings c;
    c.path = dir_.filePath(QStringLiteral("missing.sqlite")).toStdString();
    EXPECT_ERROR(ConnectionError, introspectDatabase(c), c.path + ": no such SQLite database file");
    c.path = dir_.filePath(QStringLiteral("text.sqlite")).toStdString();
    test::writeFile(c.path, std::string(4096, 'x'));
    EXPECT_ERROR(FormatError, introspectDatabase(c), "not an SQLite database");
}

void TestIntrospect::postgresql() {
    const Schema s = introspectDatabase(test::serverSettings("postgresql"));
    checkShop(s, true);
    QCOMPARE(s.findTable("product")->findColumn("title")->type, std::string("character varying(64)"));
    // numeric values are ordered as numbers, not as text
    QCOMPARE(s.findTable("product")->findColumn("price")->examples,
             (std::vector<std::string>{"4.25", "12.00", "25.50"}));
}

// Regression: only `public` was read, so a database whose tables live in another schema (sql-eval's
// ewallet, schema consumer_div) imported as 0 tables. Every non-system schema is read now, names
// outside `public` qualified as a query writes them, foreign keys across schemas included.
void TestIntrospect::postgresqlReadsEverySchema() {
    auto admin = test::serverSettings("postgresql");
    const auto run = [&](const std::string &database, const std::string &sql) {
        const std::string conninfo = "host=" + admin.host + " port=" + std::to_string(admin.port) +
                                     " dbname=" + database + " user=" + admin.user + " password=" + admin.password;
        std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(conninfo.c_str()), &PQfinish);
        QVERIFY2(PQstatus(conn.get()) == CONNECTION_OK, PQerrorMessage(conn.get()));
        std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), &PQclear);
        QVERIFY2(PQresultStatus(r.get()) == PGRES_COMMAND_OK, PQerrorMessage(conn.get()));
    };
    run("postgres", "DROP DATABASE IF EXISTS wallet");
    run("postgres", "CREATE DATABASE wallet");
    run("wallet", "CREATE SCHEMA consumer_div; "
                  "CREATE TABLE consumer_div.users (uid integer PRIMARY KEY, username text); "
                  "CREATE TABLE consumer_div.wallet_transactions (txid integer PRIMARY KEY, "
                  "  sender_id integer REFERENCES consumer_div.users(uid), amount numeric); "
                  "CREATE TABLE notes (id integer PRIMARY KEY, author integer REFERENCES consumer_div.users(uid)); "
                  "INSERT INTO consumer_div.users VALUES (1, 'ada');");
    admin.database = "wallet";
    const Schema s = introspectDatabase(admin);
    std::vector<std::string> names;
    for (const auto &t : s.tables) names.push_back(t.name);
    std::string listed;
    for (const auto &n : names) listed += n + " ";
    QVERIFY2(names == (std::vector<std::string>{"consumer_div.users", "consumer_div.wallet_transactions", "notes"}),
             listed.c_str());
    QCOMPARE(s.findTable("consumer_div.users")->findColumn("username")->examples, std::vector<std::string>{"ada"});
    QCOMPARE(s.foreignKeys.size(), size_t(2));
    QCOMPARE(s.foreignKeys[0].fromTable, std::string("consumer_div.wallet_transactions"));
    QCOMPARE(s.foreignKeys[0].toTable, std::string("consumer_div.users"));
    QCOMPARE(s.foreignKeys[1].fromTable, std::string("notes"));
    QCOMPARE(s.foreignKeys[1].toTable, std::string("consumer_div.users"));
    // one schema when asked
    IntrospectOptions only;
    only.pgSchema = "consumer_div";
    QCOMPARE(introspectDatabase(admin, only).tables.size(), size_t(2));
    // the offline check reads a qualified name as introspection names it
    QCOMPARE(checkQuery(Dialect::PostgreSQL, "SELECT username FROM consumer_div.users", s).verdict,
             QueryCheck::Verdict::Valid);
    QCOMPARE(checkQuery(Dialect::PostgreSQL, "SELECT 1 FROM consumer_div.nobody", s).verdict,
             QueryCheck::Verdict::Invalid);
}

void TestIntrospect::mariadb() {
    const Schema s = introspectDatabase(test::serverSettings("mysql"));
    checkShop(s, true);
    QCOMPARE(s.findTable("product")->findColumn("price")->type, std::string("decimal(8,2)"));
    QCOMPARE(s.findTable("product")->findColumn("price")->examples,
             (std::vector<std::string>{"4.25", "12.00", "25.50"}));
}

void TestIntrospect::examplesCanBeTurnedOff() {
    IntrospectOptions o;
    o.exampleCount = 0;
    o.dbId = "renamed";
    const Schema s = introspectDatabase(test::serverSettings("postgresql"), o);
    QCOMPARE(s.dbId, std::string("renamed"));
    for (const auto &t : s.tables)
        for (const auto &c : t.columns) QVERIFY(c.examples.empty());
}

void TestIntrospect::wrongPasswordIsAConnectionError_data() {
    QTest::addColumn<QString>("engine");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("postgresql") << "postgresql"
                                << "password authentication failed";
    QTest::newRow("mysql") << "mysql"
                           << "Access denied";
}

void TestIntrospect::wrongPasswordIsAConnectionError() {
    QFETCH(QString, engine);
    QFETCH(QString, fragment);
    auto c = test::serverSettings(engine.toLatin1().constData());
    c.password = "wrong";
    const std::string message = test::messageOf<ConnectionError>([&] { introspectDatabase(c); });
    QVERIFY2(message.find(fragment.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(message.find(describeConnection(c)) != std::string::npos, message.c_str());
    QVERIFY(message.find("wrong") == std::string::npos);  // the password itself is never echoed
}

void TestIntrospect::unreachableServerIsAConnectionError_data() { wrongPasswordIsAConnectionError_data(); }

void TestIntrospect::unreachableServerIsAConnectionError() {
    QFETCH(QString, engine);
    auto c = test::serverSettings(engine.toLatin1().constData());
    c.port = 1;  // nothing listens on port 1
    const std::string message = test::messageOf<ConnectionError>([&] { introspectDatabase(c); });
    QVERIFY2(message.find("cannot connect") != std::string::npos, message.c_str());
    QVERIFY2(message.find("127.0.0.1:1/shop") != std::string::npos, message.c_str());
}

QTEST_GUILESS_MAIN(TestIntrospect)
#include "test_introspect.moc"
