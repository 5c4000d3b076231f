// The schema browser: a filter box over a tree of the project's schemas (tables and columns,
// node labels, relationship types and properties), with an empty state that says what to do.
#pragma once

#include "momq/schema.h"

#include <QWidget>

#include <vector>

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTreeView;
class SchemaTreeModel;

class SchemaBrowser : public QWidget {
    Q_OBJECT
public:
    explicit SchemaBrowser(QWidget *parent = nullptr);

    void setSchemas(const std::vector<momq::Schema> &schemas);
    // Matches names, types, keys and examples, case-insensitively; keeps the parents of matches.
    void setFilterText(const QString &text);
    // db_id of the schema the current item belongs to; empty when nothing is selected.
    QString currentDbId() const;

    QTreeView *treeView() const { return tree_; }
    SchemaTreeModel *model() const { return model_; }
    QAbstractItemModel *visibleModel() const;

Q_SIGNALS:
    void currentSchemaChanged(const QString &dbId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateEmptyState();

    SchemaTreeModel *model_;
    QSortFilterProxyModel *proxy_;
    QLineEdit *filter_;
    QTreeView *tree_;
    QLabel *emptyState_;
    QStackedWidget *stack_;
    std::vector<momq::Schema> schemas_;
};
