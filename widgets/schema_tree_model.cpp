#include "schema_tree_model.h"

#include <QCoreApplication>
#include <QStringList>

struct SchemaTreeModel::Node {
    NodeKind kind = NodeKind::Schema;
    QString cells[ColumnCount];
    QString toolTip;
    QString dbId;
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;

    Node *add(NodeKind k, QString name, QString type, QString key, QString details, QString tip = {}) {
        auto child = std::make_unique<Node>();
        child->kind = k;
        child->cells[NameColumn] = std::move(name);
        child->cells[TypeColumn] = std::move(type);
        child->cells[KeyColumn] = std::move(key);
        child->cells[DetailsColumn] = std::move(details);
        child->toolTip = std::move(tip);
        child->dbId = dbId;
        child->parent = this;
        child->row = static_cast<int>(children.size());
        children.push_back(std::move(child));
        return children.back().get();
    }
};

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

QString joinExamples(const std::vector<std::string> &examples) {
    QStringList list;
    for (const auto &e : examples) list << q(e);
    return list.join(QStringLiteral(", "));
}

QString propertyDetails(const momq::Property &p) {
    if (p.min && p.max) return SchemaTreeModel::tr("%1 … %2").arg(q(*p.min), q(*p.max));
    return joinExamples(p.examples);
}

}  // namespace

SchemaTreeModel::SchemaTreeModel(QObject *parent) : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}
SchemaTreeModel::~SchemaTreeModel() = default;

void SchemaTreeModel::setSchemas(const std::vector<momq::Schema> &schemas) {
    beginResetModel();
    schemas_ = schemas;
    rebuild();
    endResetModel();
}

int SchemaTreeModel::schemaCount() const { return static_cast<int>(schemas_.size()); }

void SchemaTreeModel::rebuild() {
    root_ = std::make_unique<Node>();
    for (const auto &s : schemas_) {
        root_->dbId = q(s.dbId);
        if (s.kind == momq::SchemaKind::Relational) {
            Node *schemaNode = root_->add(NodeKind::Schema, q(s.dbId), tr("relational database"), {},
                                          tr("Tables: %1").arg(s.tables.size()), q(s.description));
            for (const auto &t : s.tables) {
                Node *tableNode =
                    schemaNode->add(NodeKind::Table, q(t.name), tr("table"), {}, q(t.description), q(t.description));
                for (const auto &c : t.columns) {
                    QStringList keys;
                    if (c.primaryKey) keys << tr("PK");
                    for (const auto &fk : s.foreignKeys)
                        if (fk.fromTable == t.name && fk.fromColumn == c.name)
                            keys << tr("FK → %1.%2").arg(q(fk.toTable), q(fk.toColumn));
                    tableNode->add(NodeKind::Column, q(c.name), q(c.type), keys.join(QStringLiteral(", ")),
                                   joinExamples(c.examples), q(c.description));
                }
            }
        } else {
            Node *schemaNode = root_->add(NodeKind::Schema, q(s.dbId), tr("property graph"), {},
                                          tr("%1, %2").arg(tr("Node labels: %1").arg(s.nodes.size()),
                                                           tr("Relationship types: %1").arg(s.relationships.size())),
                                          q(s.description));
            for (const auto &n : s.nodes) {
                Node *labelNode = schemaNode->add(NodeKind::NodeLabel, q(n.label), tr("node label"), {}, {});
                for (const auto &p : n.properties)
                    labelNode->add(NodeKind::Property, q(p.name), q(p.type), {}, propertyDetails(p));
            }
            for (const auto &r : s.relationships) {
                Node *relNode = schemaNode->add(NodeKind::Relationship, q(r.type), tr("relationship"),
                                                tr("%1 → %2").arg(q(r.fromLabel), q(r.toLabel)), {});
                for (const auto &p : r.properties)
                    relNode->add(NodeKind::Property, q(p.name), q(p.type), {}, propertyDetails(p));
            }
        }
    }
}

SchemaTreeModel::Node *SchemaTreeModel::nodeOf(const QModelIndex &index) const {
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : root_.get();
}

QModelIndex SchemaTreeModel::index(int row, int column, const QModelIndex &parent) const {
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0)) return {};
    Node *p = nodeOf(parent);
    if (row < 0 || row >= static_cast<int>(p->children.size())) return {};
    return createIndex(row, column, p->children[row].get());
}

QModelIndex SchemaTreeModel::parent(const QModelIndex &child) const {
    if (!child.isValid()) return {};
    Node *p = nodeOf(child)->parent;
    if (!p || p == root_.get()) return {};
    return createIndex(p->row, 0, p);
}

int SchemaTreeModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid() && parent.column() != 0) return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int SchemaTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant SchemaTreeModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid()) return {};
    const Node *n = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole: return n->cells[index.column()];
    case Qt::ToolTipRole: return n->toolTip.isEmpty() ? QVariant() : QVariant(n->toolTip);
    case NodeKindRole: return static_cast<int>(n->kind);
    case DbIdRole: return n->dbId;
    default: return {};
    }
}

QVariant SchemaTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Name");
    case TypeColumn: return tr("Type");
    case KeyColumn: return tr("Key");
    case DetailsColumn: return tr("Examples / details");
    default: return {};
    }
}
