// A project's query history beside the authoring view: newest first, searchable by question or
// query text, favourites starred and filterable. It shows the entries it is given and emits what
// the user asks for; the program keeps them in the project store.
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QStandardItem;
class QStandardItemModel;
class QTableView;

class QueryHistoryView : public QWidget {
    Q_OBJECT
public:
    struct Entry {
        qint64 id = 0;
        QString createdAt, dbId, dialect, question, query;
        bool favourite = false;
    };
    enum Column { Favourite, Time, Database, Dialect, Question, Query, ColumnCount };

    explicit QueryHistoryView(QWidget *parent = nullptr);

    void setEntries(const QList<Entry> &entries);
    QStandardItemModel *model() const { return model_; }
    QString searchText() const;
    bool favouritesOnly() const;
    void setSearchText(const QString &text);
    void setFavouritesOnly(bool on);
    void setFavourite(int row, bool favourite);  // as clicking the star
    void activate(int row);                      // as double-clicking the row
    QString emptyText() const;

Q_SIGNALS:
    void filterChanged(const QString &text, bool favouritesOnly);
    void favouriteChanged(qint64 id, bool favourite);
    void entryActivated(const QString &dbId, const QString &dialect, const QString &question, const QString &query);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onItemChanged(QStandardItem *item);

    QList<Entry> entries_;
    bool filling_ = false;  // setEntries() is filling the model
    QLineEdit *search_;
    QCheckBox *favouritesOnly_;
    QStandardItemModel *model_;
    QTableView *table_;
    QLabel *empty_;
};
