// Connection settings and the command-line tool's secret sources.
#include "test_support.h"

#include "momq/connection.h"
#include "momq/error.h"
#include "momq/secrets.h"

#include <QtTest>

#include <sys/stat.h>

using namespace momq;

class TestConnection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void engineNamesRoundTrip();
    void unknownEngineIsRefused();
    void describeLeavesOutThePassword();
    void secretFromEnvironment();
    void secretFileMustBeOwnerOnly();
};

void TestConnection::engineNamesRoundTrip() {
    for (auto e : {DatabaseEngine::SQLite, DatabaseEngine::PostgreSQL, DatabaseEngine::MySQL, DatabaseEngine::FalkorDB})
        QCOMPARE(engineFromName(engineName(e)), e);
    QCOMPARE(engineFromName("mariadb"), DatabaseEngine::MySQL);
}

void TestConnection::unknownEngineIsRefused() {
    EXPECT_ERROR(FormatError, engineFromName("oracle"),
                 "unknown database engine \"oracle\" (expected sqlite, postgresql, mysql, falkordb or neo4j)");
}

void TestConnection::describeLeavesOutThePassword() {
    ConnectionSettings s;
    s.engine = DatabaseEngine::PostgreSQL;
    s.host = "db.example";
    s.port = 5433;
    s.database = "sales";
    s.user = "analyst";
    s.password = "hunter2";
    QCOMPARE(describeConnection(s), std::string("postgresql://analyst@db.example:5433/sales"));
    ConnectionSettings f;
    f.path = "/data/club.sqlite";
    QCOMPARE(describeConnection(f), std::string("sqlite:/data/club.sqlite"));
}

void TestConnection::secretFromEnvironment() {
    qputenv("MOMQ_TEST_SECRET", "from-env");
    QCOMPARE(readSecretFromEnvironment("MOMQ_TEST_SECRET"), std::string("from-env"));
    qunsetenv("MOMQ_TEST_SECRET");
    EXPECT_ERROR(Error, readSecretFromEnvironment("MOMQ_TEST_SECRET"),
                 "environment variable MOMQ_TEST_SECRET is not set");
}

void TestConnection::secretFileMustBeOwnerOnly() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("pw")).toStdString();
    test::writeFile(path, "from-file\n");
    ::chmod(path.c_str(), 0644);
    EXPECT_ERROR(Error, readSecretFromFile(path), "readable or writable by others (mode 644); run: chmod 600 " + path);
    ::chmod(path.c_str(), 0600);
    QCOMPARE(readSecretFromFile(path), std::string("from-file"));  // one trailing newline dropped
    EXPECT_ERROR(Error, readSecretFromFile(dir.path().toStdString()), "not a regular file");
    EXPECT_ERROR(Error, readSecretFromFile(path + ".missing"), "No such file or directory");
}

QTEST_GUILESS_MAIN(TestConnection)
#include "test_connection.moc"
