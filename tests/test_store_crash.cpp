// Crash safety of the project store: a child process writes in a loop and is killed with SIGKILL
// at random moments; every time, the store must reopen intact with every committed dataset whole
// and no partial one.
#include "test_support.h"

#include "momq/store.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>

#include <set>

using namespace momq;

class TestStoreCrash : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sigkillAtRandomPointsLosesNoCommittedRow();
};

void TestStoreCrash::sigkillAtRandomPointsLosesNoCommittedRow() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("crash.momq")).toStdString();
    ProjectStore::create(path);
    std::set<std::string> committed;
    QRandomGenerator rng(20261122);  // fixed seed: a failure can be replayed

    for (int round = 0; round < 12; ++round) {
        QProcess writer;
        writer.start(QStringLiteral(MOMQ_CRASH_WRITER), {QString::fromStdString(path)});
        QVERIFY2(writer.waitForStarted(10000), "writer did not start");
        // Let it commit at least once, then kill it somewhere in its loop.
        QVERIFY2(writer.waitForReadyRead(20000), qPrintable(writer.readAllStandardError()));
        QTest::qWait(static_cast<int>(rng.bounded(5, 120)));
        writer.kill();  // SIGKILL
        QVERIFY(writer.waitForFinished(10000));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        for (const QByteArray &line : writer.readAllStandardOutput().split('\n'))
            if (!line.isEmpty()) committed.insert("batch-" + line.toStdString());

        auto store = ProjectStore::open(path);
        QCOMPARE(store.integrityCheck(), std::string("ok"));
        std::set<std::string> present;
        for (const auto &d : store.datasets()) {
            QCOMPARE(d.itemCount, std::int64_t(50));  // all of a transaction or none of it
            present.insert(d.name);
        }
        for (const auto &name : committed)
            QVERIFY2(present.count(name),
                     qPrintable(
                         QStringLiteral("committed %1 lost in round %2").arg(QString::fromStdString(name)).arg(round)));
        // At most one more than reported: killed between COMMIT and printf.
        QVERIFY(present.size() <= committed.size() + 1);
        committed = present;
    }
    QVERIFY(committed.size() >= 12);
}

QTEST_GUILESS_MAIN(TestStoreCrash)
#include "test_store_crash.moc"
