// The schema browser widget and its tree model, on the offscreen platform.
#include "test_support.h"

#include "schema_browser.h"
#include "schema_tree_model.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QStackedWidget>
#include <QTreeView>
#include <QtTest>

using namespace momq;

namespace {

std::vector<Schema> sampleSchemas() {
    return {loadSchemaFile(test::dataPath("schemas/shop.json")), loadSchemaFile(test::dataPath("schemas/movies.json"))};
}

QModelIndex child(const QAbstractItemModel *m, const QModelIndex &parent, const QString &name) {
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        if (i.data().toString() == name) return i;
    }
    return {};
}

QString cell(const QModelIndex &i, int column) { return i.siblingAtColumn(column).data().toString(); }

}  // namespace

class TestSchemaBrowser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelPassesTheModelTester();
    void relationalNodesShowTypesKeysAndExamples();
    void graphNodesShowLabelsRelationshipsAndRanges();
    void filterKeepsMatchesAndTheirParents();
    void emptyStatesSayWhatToDo();
    void currentDbIdFollowsTheSelection();
};

void TestSchemaBrowser::modelPassesTheModelTester() {
    SchemaTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSchemas(sampleSchemas());
    model.setSchemas({});
    model.setSchemas(sampleSchemas());
    SchemaBrowser browser;
    QAbstractItemModelTester proxyTester(browser.visibleModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.setSchemas(sampleSchemas());
    browser.setFilterText(QStringLiteral("title"));
    browser.setFilterText({});
}

void TestSchemaBrowser::relationalNodesShowTypesKeysAndExamples() {
    SchemaTreeModel model;
    model.setSchemas(sampleSchemas());
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex shop = child(&model, {}, QStringLiteral("shop"));
    QVERIFY(shop.isValid());
    QCOMPARE(cell(shop, SchemaTreeModel::TypeColumn), QStringLiteral("relational database"));
    QCOMPARE(cell(shop, SchemaTreeModel::DetailsColumn), QStringLiteral("Tables: 2"));
    const QModelIndex customer = child(&model, shop, QStringLiteral("customer"));
    QCOMPARE(model.rowCount(customer), 4);
    QCOMPARE(customer.data(Qt::ToolTipRole).toString(), QStringLiteral("People who buy"));
    const QModelIndex id = child(&model, customer, QStringLiteral("customer_id"));
    QCOMPARE(cell(id, SchemaTreeModel::TypeColumn), QStringLiteral("integer"));
    QCOMPARE(cell(id, SchemaTreeModel::KeyColumn), QStringLiteral("PK"));
    QCOMPARE(cell(id, SchemaTreeModel::DetailsColumn), QStringLiteral("1, 2, 3"));
    const QModelIndex fk = child(&model, child(&model, shop, QStringLiteral("orders")), QStringLiteral("customer_id"));
    QCOMPARE(cell(fk, SchemaTreeModel::KeyColumn), QStringLiteral("FK → customer.customer_id"));
    QCOMPARE(id.data(SchemaTreeModel::NodeKindRole).toInt(), int(SchemaTreeModel::NodeKind::Column));
}

void TestSchemaBrowser::graphNodesShowLabelsRelationshipsAndRanges() {
    SchemaTreeModel model;
    model.setSchemas(sampleSchemas());
    const QModelIndex movies = child(&model, {}, QStringLiteral("movies"));
    QCOMPARE(cell(movies, SchemaTreeModel::TypeColumn), QStringLiteral("property graph"));
    QCOMPARE(cell(movies, SchemaTreeModel::DetailsColumn), QStringLiteral("Node labels: 2, Relationship types: 3"));
    const QModelIndex movie = child(&model, movies, QStringLiteral("Movie"));
    QCOMPARE(cell(movie, SchemaTreeModel::TypeColumn), QStringLiteral("node label"));
    QCOMPARE(cell(child(&model, movie, QStringLiteral("released")), SchemaTreeModel::DetailsColumn),
             QStringLiteral("1975 … 2012"));
    QCOMPARE(cell(child(&model, movie, QStringLiteral("title")), SchemaTreeModel::DetailsColumn),
             QStringLiteral("The Matrix, Apollo 13"));
    const QModelIndex acted = child(&model, movies, QStringLiteral("ACTED_IN"));
    QCOMPARE(cell(acted, SchemaTreeModel::KeyColumn), QStringLiteral("Person → Movie"));
    QCOMPARE(model.rowCount(acted), 1);
    QCOMPARE(acted.data(SchemaTreeModel::DbIdRole).toString(), QStringLiteral("movies"));
}

void TestSchemaBrowser::filterKeepsMatchesAndTheirParents() {
    SchemaBrowser browser;
    browser.setSchemas(sampleSchemas());
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    auto *filter = browser.findChild<QLineEdit *>(QStringLiteral("schemaFilter"));
    QTest::keyClicks(filter, QStringLiteral("CITY"));  // case-insensitive, typed like a user
    const QAbstractItemModel *visible = browser.visibleModel();
    QCOMPARE(visible->rowCount(), 1);
    const QModelIndex shop = visible->index(0, 0);
    QCOMPARE(shop.data().toString(), QStringLiteral("shop"));
    QCOMPARE(visible->rowCount(shop), 1);
    const QModelIndex customer = visible->index(0, 0, shop);
    QCOMPARE(visible->rowCount(customer), 1);
    QCOMPARE(visible->index(0, 0, customer).data().toString(), QStringLiteral("city"));
    QVERIFY(browser.treeView()->isExpanded(customer));  // matches are shown, not hidden in collapsed nodes

    browser.setFilterText(QStringLiteral("Person"));  // matches the label, and relationship keys
    QCOMPARE(visible->rowCount(), 1);
    QCOMPARE(visible->index(0, 0).data().toString(), QStringLiteral("movies"));
    QCOMPARE(visible->rowCount(visible->index(0, 0)), 4);  // Person + ACTED_IN, DIRECTED, REVIEWED
    const QModelIndex person = child(visible, visible->index(0, 0), QStringLiteral("Person"));
    QCOMPARE(visible->rowCount(person), 2);  // a matching label keeps all its properties
    browser.setFilterText({});
    QCOMPARE(visible->rowCount(), 2);
}

void TestSchemaBrowser::emptyStatesSayWhatToDo() {
    SchemaBrowser browser;
    auto *stack = browser.findChild<QStackedWidget *>();
    auto *empty = browser.findChild<QLabel *>(QStringLiteral("schemaEmptyState"));
    QCOMPARE(stack->currentWidget(), empty);
    QVERIFY(empty->text().contains(QStringLiteral("Database menu")));
    browser.setSchemas(sampleSchemas());
    QCOMPARE(stack->currentWidget(), browser.treeView());
    browser.setFilterText(QStringLiteral("zzz-no-such-thing"));
    QCOMPARE(stack->currentWidget(), empty);
    QVERIFY(empty->text().contains(QStringLiteral("zzz-no-such-thing")));
}

void TestSchemaBrowser::currentDbIdFollowsTheSelection() {
    SchemaBrowser browser;
    browser.setSchemas(sampleSchemas());
    QSignalSpy spy(&browser, &SchemaBrowser::currentSchemaChanged);
    QCOMPARE(browser.currentDbId(), QString());
    const QAbstractItemModel *visible = browser.visibleModel();
    const QModelIndex movies = visible->index(1, 0);
    browser.treeView()->setCurrentIndex(visible->index(0, 0, movies));
    QCOMPARE(browser.currentDbId(), QStringLiteral("movies"));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("movies"));
}

QTEST_MAIN(TestSchemaBrowser)
#include "test_schema_browser.moc"
