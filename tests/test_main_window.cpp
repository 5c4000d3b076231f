// The desktop program's main window, driven like a user would on the offscreen platform: project
// files, schema import from a file and from a database (on a worker thread), errors, recent
// projects, the demo project and switching the interface language.
#include "test_support.h"

#include "language.h"
#include "engine_facade.h"
#include "authoring_view.h"
#include "main_window.h"
#include "result_table_model.h"
#include "schema_browser.h"
#include "schema_tree_model.h"

#include "momq/introspect.h"
#include "momq/store.h"

#include <nlohmann/json.hpp>

#include <QHeaderView>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTreeView>
#include <QtTest>

#include <sqlite3.h>

namespace {

QStringList topLevelNames(SchemaBrowser *b) {
    QStringList names;
    for (int r = 0; r < b->visibleModel()->rowCount(); ++r) names << b->visibleModel()->index(r, 0).data().toString();
    return names;
}

void makeSqlite(const std::string &path, const std::string &sql) {
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

void closeMessageBoxes(QWidget *w) {
    for (auto *box : w->findChildren<QMessageBox *>()) box->close();
    QCoreApplication::processEvents();
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void createProjectAndImportSchemaFile();
    void importFromDatabaseRunsOffTheUiThread();
    void refreshRereadsTheDatabase();
    void importFromPostgresql();
    void runningOnAServerAsksForThePasswordOnce();
    void badFilesAreReportedAndTheOpenProjectStays();
    void recentProjectsAreRemembered();
    void layoutIsRemembered();
    void demoProjectOpens();
    void languageSwitchesWhileRunning();
    void chineseTranslationIsComplete();

private:
    QTemporaryDir dir_;
    MainWindow *window_ = nullptr;
    QString project_;
};

void TestMainWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("MoMQ-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("momq-studio-test"));
    QSettings().clear();
    qputenv("XDG_DATA_HOME", dir_.filePath(QStringLiteral("xdg-data")).toUtf8());  // the demo project goes here
    window_ = new MainWindow;
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_));
}

void TestMainWindow::createProjectAndImportSchemaFile() {
    project_ = dir_.filePath(QStringLiteral("gui.momq"));
    QSignalSpy opened(window_, &MainWindow::projectOpened);
    QVERIFY(window_->createProject(project_));
    QCOMPARE(opened.count(), 1);
    QVERIFY(window_->windowTitle().startsWith(QStringLiteral("gui.momq")));
    QVERIFY(topLevelNames(window_->schemaBrowser()).isEmpty());

    QSignalSpy imported(window_, &MainWindow::schemaImported);
    QVERIFY(window_->importSchemaFile(QString::fromStdString(test::dataPath("schemas/movies.json"))));
    QCOMPARE(imported.at(0).at(0).toString(), QStringLiteral("movies"));
    QCOMPARE(topLevelNames(window_->schemaBrowser()), QStringList{QStringLiteral("movies")});
}

void TestMainWindow::importFromDatabaseRunsOffTheUiThread() {
    const std::string db = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    makeSqlite(db, test::readFile(test::dataPath("shop_sqlite.sql")));
    momq::ConnectionSettings settings;
    settings.path = db;
    QSignalSpy imported(window_, &MainWindow::schemaImported);
    window_->importFromDatabase(settings, QStringLiteral("shop file"), false);
    QVERIFY(window_->isImporting());  // returned at once; the work is on a worker thread
    QVERIFY(imported.wait(20000));
    QVERIFY(!window_->isImporting());
    QCOMPARE(topLevelNames(window_->schemaBrowser()), (QStringList{QStringLiteral("movies"), QStringLiteral("shop")}));

    auto store = momq::ProjectStore::open(project_.toStdString());
    QCOMPARE(store.connections().size(), size_t(1));
    QCOMPARE(store.connections()[0].name, std::string("shop file"));
    QCOMPARE(*store.schema("shop")->connectionId, store.connections()[0].id);

    // A database that cannot be read ends in an error, not in a schema.
    QSignalSpy errors(window_, &MainWindow::errorReported);
    settings.path = dir_.filePath(QStringLiteral("missing.sqlite")).toStdString();
    window_->importFromDatabase(settings, {}, false);
    QVERIFY(errors.wait(20000));
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("no such SQLite database file")));
    closeMessageBoxes(window_);
}

void TestMainWindow::refreshRereadsTheDatabase() {
    const std::string db = dir_.filePath(QStringLiteral("shop.sqlite")).toStdString();
    makeSqlite(db, "CREATE TABLE supplier(supplier_id INTEGER PRIMARY KEY, name TEXT)");
    SchemaBrowser *b = window_->schemaBrowser();
    const QModelIndex shop = b->visibleModel()->index(1, 0);
    b->treeView()->setCurrentIndex(b->visibleModel()->index(0, 0, shop));
    QCOMPARE(b->currentDbId(), QStringLiteral("shop"));
    QSignalSpy imported(window_, &MainWindow::schemaImported);
    window_->refreshCurrentSchema();
    QVERIFY(imported.wait(20000));
    auto store = momq::ProjectStore::open(project_.toStdString());
    QVERIFY(store.schema("shop")->schema.findTable("supplier") != nullptr);
    QCOMPARE(store.connections().size(), size_t(1));  // the same connection, refreshed

    // A schema from a file has no database to refresh from.
    QSignalSpy errors(window_, &MainWindow::errorReported);
    b->treeView()->setCurrentIndex(b->visibleModel()->index(0, 0));
    window_->refreshCurrentSchema();
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("was not imported from a database")));
    closeMessageBoxes(window_);
}

void TestMainWindow::importFromPostgresql() {
    const auto pg = test::serverSettings("postgresql");
    QSignalSpy imported(window_, &MainWindow::schemaImported);
    window_->importFromDatabase(pg, QStringLiteral("warehouse"), false);
    QVERIFY(imported.wait(20000));
    // the same db_id as the SQLite import: the PostgreSQL schema replaces it, with its comments
    auto store = momq::ProjectStore::open(project_.toStdString());
    const auto record = store.schema("shop");
    QVERIFY(record->source.rfind("postgresql://momq@127.0.0.1:", 0) == 0);
    QCOMPARE(record->schema.findTable("customer")->description, std::string("People who buy"));
    QCOMPARE(store.connections().size(), size_t(2));
    for (const auto &c : store.connections())
        if (c.name == "warehouse")
            QCOMPARE(c.secretKey, std::string("momq-studio/warehouse"));  // a key, never the password
    QVERIFY(test::readFile(project_.toStdString()).find(pg.password) == std::string::npos);
    SchemaBrowser *b = window_->schemaBrowser();
    b->setFilterText(QStringLiteral("city"));
    const QAbstractItemModel *m = b->visibleModel();
    const QModelIndex shop = m->index(0, 0);  // the only schema with a match
    const QModelIndex city = m->index(0, 0, m->index(0, 0, shop));
    const QString schemaName = shop.data().toString(), name = city.data().toString(),
                  comment = city.data(Qt::ToolTipRole).toString();
    b->setFilterText({});
    QCOMPARE(schemaName, QStringLiteral("shop"));
    QCOMPARE(name, QStringLiteral("city"));
    QCOMPARE(comment, QStringLiteral("City of residence"));  // PostgreSQL's column comment reaches the browser
}

// The PostgreSQL connection's password is not in the project; with no keychain holding it the user
// is asked once, and the query runs read-only on the real server.
void TestMainWindow::runningOnAServerAsksForThePasswordOnce() {
    const auto pg = test::serverSettings("postgresql");
    int asked = 0;
    QTimer answer;
    answer.setInterval(20);
    connect(&answer, &QTimer::timeout, this, [&] {
        if (auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
            ++asked;
            dialog->setTextValue(QString::fromStdString(pg.password));
            dialog->accept();
        }
    });
    answer.start();
    auto *view = window_->authoringView();
    view->setCurrentDatabase(QStringLiteral("shop"));
    QCOMPARE(view->currentDatabase(), QStringLiteral("shop"));
    for (int run = 0; run < 2; ++run) {
        view->finishDialect(QStringLiteral("postgresql"), QStringLiteral("SELECT count(*) AS n FROM customer"));
        view->setCurrentDialect(QStringLiteral("postgresql"));
        view->resultModel()->setResult({});
        view->requestRun();
        QTRY_VERIFY_WITH_TIMEOUT(
            view->resultModel()->rowCount() == 1 || view->statusText().contains(QLatin1String("rror")), 20000);
        QCOMPARE(view->statusText(), QStringLiteral("1 row."));
    }
    // the fixture's account is a superuser: the window says so, with the recipe for a reader
    QTRY_VERIFY(window_->statusBar()->currentMessage().contains(QLatin1String("is a superuser")));
    QVERIFY(window_->statusBar()->currentMessage().contains(QLatin1String("CREATE ROLE momq_reader")));
    QCOMPARE(asked, 1);  // kept for the session after the first time
    QCOMPARE(view->resultModel()->rowCount(), 1);
    view->finishDialect(QStringLiteral("postgresql"), QStringLiteral("DELETE FROM customer"));
    view->requestRun();
    QTRY_VERIFY_WITH_TIMEOUT(view->statusText() != QStringLiteral("Running…"), 20000);
    QVERIFY2(view->statusText().contains(QLatin1String("refused: ")), qPrintable(view->statusText()));
    QCOMPARE(view->resultModel()->rowCount(), 0);  // regression: the previous rows stayed after a refusal
}

void TestMainWindow::badFilesAreReportedAndTheOpenProjectStays() {
    QSignalSpy errors(window_, &MainWindow::errorReported);
    const QString text = dir_.filePath(QStringLiteral("notes.momq"));
    test::writeFile(text.toStdString(), "just text");
    QVERIFY(!window_->openProject(text));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.at(0).at(0).toString().contains(QStringLiteral("not a MoMQ project file")));
    QVERIFY(!window_->findChildren<QMessageBox *>().isEmpty());  // shown to the user, without blocking
    closeMessageBoxes(window_);
    QCOMPARE(window_->projectPath(), project_);
    QCOMPARE(test::readFile(text.toStdString()), std::string("just text"));

    const QString badSchema = dir_.filePath(QStringLiteral("bad.json"));
    test::writeFile(badSchema.toStdString(), R"({"db_id":"x","kind":"graph","nodes":[{"properties":[]}]})");
    QVERIFY(!window_->importSchemaFile(badSchema));
    QVERIFY(errors.at(1).at(0).toString().contains(QStringLiteral("nodes[0].label: missing required field")));
    closeMessageBoxes(window_);
    QCOMPARE(topLevelNames(window_->schemaBrowser()).size(), 2);
}

void TestMainWindow::recentProjectsAreRemembered() {
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    QCOMPARE(recent.value(0), project_);
    auto *menu = window_->findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(menu);
    QCOMPARE(menu->actions().value(0)->text(), QDir::toNativeSeparators(project_));
}

// Window size and the panes' split come back in the next window (QSettings).
void TestMainWindow::layoutIsRemembered() {
    QList<int> sizes;
    {
        MainWindow first;
        first.resize(1100, 760);
        first.show();
        auto *split = first.findChild<QSplitter *>(QStringLiteral("queriesSplitter"));
        QVERIFY(split);
        split->setSizes({700, 300});
        sizes = split->sizes();
        first.close();
    }
    MainWindow second;
    second.show();
    QCOMPARE(second.size(), QSize(1100, 760));
    QCOMPARE(second.findChild<QSplitter *>(QStringLiteral("queriesSplitter"))->sizes(), sizes);
}

void TestMainWindow::demoProjectOpens() {
    QVERIFY(window_->openDemoProject());
    QVERIFY(window_->projectPath().startsWith(dir_.filePath(QStringLiteral("xdg-data/MoMQ/momq-studio/demo"))));
    const auto names = topLevelNames(window_->schemaBrowser());
    QCOMPARE(names.size(), 15);
    for (const char *db :
         {"basketballplayer", "club", "movies", "basketball", "basketball_graph", "hospital", "retail_graph"})
        QVERIFY2(names.contains(QLatin1String(db)), db);
    // the demo model loads on a worker thread, and the query view offers each domain once
    QTRY_VERIFY_WITH_TIMEOUT(window_->engine()->hasModel(), 30000);
    QVERIFY(window_->openProject(project_));
}

void TestMainWindow::languageSwitchesWhileRunning() {
    QCOMPARE(window_->menuBar()->actions().value(0)->text(), QStringLiteral("&Project"));
    window_->setLanguage(QStringLiteral("zh_CN"));
    // LanguageChange reaches the widgets through posted events
    QTRY_COMPARE(window_->menuBar()->actions().value(0)->text(), QStringLiteral("项目(&P)"));
    QCOMPARE(window_->schemaBrowser()->treeView()->model()->headerData(0, Qt::Horizontal).toString(),
             QStringLiteral("名称"));
    QCOMPARE(window_->schemaBrowser()->visibleModel()->index(0, SchemaTreeModel::TypeColumn).data().toString(),
             QStringLiteral("属性图"));
    QCOMPARE(QSettings().value(QStringLiteral("language")).toString(), QStringLiteral("zh_CN"));
    window_->setLanguage(QStringLiteral("en"));
    QTRY_COMPARE(window_->menuBar()->actions().value(0)->text(), QStringLiteral("&Project"));
    QCOMPARE(window_->schemaBrowser()->treeView()->model()->headerData(0, Qt::Horizontal).toString(),
             QStringLiteral("Name"));
}

void TestMainWindow::chineseTranslationIsComplete() {
    const QString ts = QString::fromStdString(test::readFile(MOMQ_SOURCE_DIR "/translations/momq_zh_CN.ts"));
    QVERIFY(ts.count(QStringLiteral("<message")) >= 70);
    QCOMPARE(ts.count(QStringLiteral("type=\"unfinished\"")), 0);
    QCOMPARE(ts.count(QStringLiteral("<translation></translation>")), 0);
}

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
