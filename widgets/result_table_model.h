// Query results as a table model: one page of rows at a time, sorting over all rows (numbers as
// numbers, NULL first), and CSV/JSON export of every row.
#pragma once

#include "momq/execution.h"

#include <QAbstractTableModel>

class ResultTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ResultTableModel(QObject *parent = nullptr);

    void setResult(momq::QueryResult result);
    void clear();
    const momq::QueryResult &result() const { return result_; }

    void setPageSize(int rows);
    int pageSize() const { return pageSize_; }
    void setPage(int page);  // clamped to [0, pageCount)
    int page() const { return page_; }
    int pageCount() const;

    QString toCsv() const;   // RFC 4180: quoted when needed, header line first
    QString toJson() const;  // an array of objects keyed by column

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void pageChanged(int page, int pageCount);

private:
    momq::QueryResult result_;
    int pageSize_ = 100;
    int page_ = 0;
};
