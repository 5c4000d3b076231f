// A tree over one project's schemas: schema -> table / node label / relationship type ->
// column / property, with type, key and details (examples, ranges, descriptions) as columns.
#pragma once

#include "momq/schema.h"

#include <QAbstractItemModel>

#include <memory>
#include <vector>

class SchemaTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, TypeColumn, KeyColumn, DetailsColumn, ColumnCount };
    enum class NodeKind { Schema, Table, Column, NodeLabel, Relationship, Property };
    enum Role { NodeKindRole = Qt::UserRole + 1, DbIdRole };

    explicit SchemaTreeModel(QObject *parent = nullptr);
    ~SchemaTreeModel() override;

    void setSchemas(const std::vector<momq::Schema> &schemas);
    int schemaCount() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    void rebuild();

    std::vector<momq::Schema> schemas_;
    std::unique_ptr<Node> root_;
};
