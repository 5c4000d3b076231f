#include "schema_browser.h"

#include "schema_tree_model.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

SchemaBrowser::SchemaBrowser(QWidget *parent)
    : QWidget(parent), model_(new SchemaTreeModel(this)), proxy_(new QSortFilterProxyModel(this)),
      filter_(new QLineEdit(this)), tree_(new QTreeView(this)), emptyState_(new QLabel(this)),
      stack_(new QStackedWidget(this)) {
    proxy_->setSourceModel(model_);
    proxy_->setRecursiveFilteringEnabled(true);
    proxy_->setAutoAcceptChildRows(true);  // a matching table shows all its columns
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setFilterKeyColumn(-1);

    filter_->setObjectName(QStringLiteral("schemaFilter"));
    filter_->setClearButtonEnabled(true);
    tree_->setObjectName(QStringLiteral("schemaTree"));
    tree_->setModel(proxy_);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setSectionResizeMode(QHeaderView::Interactive);
    tree_->header()->setStretchLastSection(true);
    emptyState_->setObjectName(QStringLiteral("schemaEmptyState"));
    emptyState_->setAlignment(Qt::AlignCenter);
    emptyState_->setWordWrap(true);

    stack_->addWidget(tree_);
    stack_->addWidget(emptyState_);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_);
    layout->addWidget(stack_);

    connect(filter_, &QLineEdit::textChanged, this, &SchemaBrowser::setFilterText);
    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this] { Q_EMIT currentSchemaChanged(currentDbId()); });
    retranslate();
    updateEmptyState();
}

void SchemaBrowser::setSchemas(const std::vector<momq::Schema> &schemas) {
    schemas_ = schemas;
    model_->setSchemas(schemas_);
    for (int c = 0; c < SchemaTreeModel::DetailsColumn; ++c) tree_->resizeColumnToContents(c);
    updateEmptyState();
}

void SchemaBrowser::setFilterText(const QString &text) {
    if (filter_->text() != text) filter_->setText(text);  // re-enters through textChanged
    proxy_->setFilterFixedString(text);
    if (text.isEmpty())
        tree_->collapseAll();
    else
        tree_->expandAll();  // show where the matches are
    updateEmptyState();
}

QString SchemaBrowser::currentDbId() const { return tree_->currentIndex().data(SchemaTreeModel::DbIdRole).toString(); }

QAbstractItemModel *SchemaBrowser::visibleModel() const { return proxy_; }

void SchemaBrowser::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        model_->setSchemas(schemas_);  // rebuilds the translated type names
    }
    QWidget::changeEvent(event);
}

void SchemaBrowser::retranslate() {
    filter_->setPlaceholderText(tr("Filter tables, columns, labels, properties…"));
    updateEmptyState();
}

void SchemaBrowser::updateEmptyState() {
    if (model_->schemaCount() == 0) {
        emptyState_->setText(tr("No schemas in this project yet.\n\nImport one from a database or from a "
                                "JSON file with the Database menu."));
        stack_->setCurrentWidget(emptyState_);
    } else if (proxy_->rowCount() == 0) {
        emptyState_->setText(tr("Nothing matches “%1”.").arg(filter_->text()));
        stack_->setCurrentWidget(emptyState_);
    } else {
        stack_->setCurrentWidget(tree_);
    }
}
