#include "result_table_model.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace {

QVariant cellValue(const momq::Value &v) {
    switch (v.kind) {
    case momq::Value::Kind::Null: return {};
    case momq::Value::Kind::Integer: return QVariant::fromValue<qlonglong>(v.integer);
    case momq::Value::Kind::Real: return v.real;
    case momq::Value::Kind::Text: return QString::fromStdString(v.text);
    }
    return {};
}

// NULL < numbers < text; numbers by value, text by bytes.
bool lessThan(const momq::Value &a, const momq::Value &b) {
    using K = momq::Value::Kind;
    auto rank = [](K k) { return k == K::Null ? 0 : k == K::Text ? 2 : 1; };
    if (rank(a.kind) != rank(b.kind)) return rank(a.kind) < rank(b.kind);
    if (a.kind == K::Text) return a.text < b.text;
    if (a.kind == K::Null) return false;
    const double x = a.kind == K::Integer ? static_cast<double>(a.integer) : a.real;
    const double y = b.kind == K::Integer ? static_cast<double>(b.integer) : b.real;
    return x < y;
}

QString csvField(const QString &s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))) return s;
    QString quoted = s;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

}  // namespace

ResultTableModel::ResultTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ResultTableModel::setResult(momq::QueryResult result) {
    beginResetModel();
    result_ = std::move(result);
    page_ = 0;
    endResetModel();
    Q_EMIT pageChanged(page_, pageCount());
}

void ResultTableModel::clear() { setResult({}); }

void ResultTableModel::setPageSize(int rows) {
    beginResetModel();
    pageSize_ = std::max(1, rows);
    page_ = std::min(page_, pageCount() - 1);
    endResetModel();
    Q_EMIT pageChanged(page_, pageCount());
}

void ResultTableModel::setPage(int page) {
    const int clamped = std::clamp(page, 0, pageCount() - 1);
    if (clamped == page_) return;
    beginResetModel();
    page_ = clamped;
    endResetModel();
    Q_EMIT pageChanged(page_, pageCount());
}

int ResultTableModel::pageCount() const {
    const int rows = static_cast<int>(result_.rows.size());
    return std::max(1, (rows + pageSize_ - 1) / pageSize_);
}

int ResultTableModel::rowCount(const QModelIndex &parent) const {
    if (parent.isValid()) return 0;
    const int rows = static_cast<int>(result_.rows.size());
    return std::clamp(rows - page_ * pageSize_, 0, pageSize_);
}

int ResultTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : static_cast<int>(result_.columns.size());
}

QVariant ResultTableModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const auto &v =
        result_
            .rows[static_cast<std::size_t>(page_ * pageSize_ + index.row())][static_cast<std::size_t>(index.column())];
    // Shown exactly (a double's QVariant would show 6 significant digits); sorted and copied by value.
    if (role == Qt::DisplayRole)
        return v.kind == momq::Value::Kind::Null || v.kind == momq::Value::Kind::Real
                   ? QString::fromStdString(v.display())
                   : cellValue(v);
    if (role == Qt::EditRole) return cellValue(v);
    if (role == Qt::TextAlignmentRole && (v.kind == momq::Value::Kind::Integer || v.kind == momq::Value::Kind::Real))
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < columnCount()
                   ? QString::fromStdString(result_.columns[static_cast<std::size_t>(section)])
                   : QVariant();
    return page_ * pageSize_ + section + 1;
}

void ResultTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= columnCount()) return;
    Q_EMIT layoutAboutToBeChanged();
    std::stable_sort(result_.rows.begin(), result_.rows.end(), [&](const auto &a, const auto &b) {
        const auto &x = a[static_cast<std::size_t>(column)], &y = b[static_cast<std::size_t>(column)];
        return order == Qt::AscendingOrder ? lessThan(x, y) : lessThan(y, x);
    });
    Q_EMIT layoutChanged();
}

QString ResultTableModel::toCsv() const {
    QStringList lines, header;
    for (const auto &c : result_.columns) header << csvField(QString::fromStdString(c));
    lines << header.join(QLatin1Char(','));
    for (const auto &row : result_.rows) {
        QStringList fields;
        for (const auto &v : row)
            fields << (v.kind == momq::Value::Kind::Null ? QString() : csvField(QString::fromStdString(v.display())));
        lines << fields.join(QLatin1Char(','));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString ResultTableModel::toJson() const {
    QJsonArray rows;
    for (const auto &row : result_.rows) {
        QJsonObject o;
        for (std::size_t c = 0; c < row.size() && c < result_.columns.size(); ++c)
            o.insert(QString::fromStdString(result_.columns[c]), QJsonValue::fromVariant(cellValue(row[c])));
        rows.append(o);
    }
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Indented));
}
