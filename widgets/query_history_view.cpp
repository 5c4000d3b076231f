#include "query_history_view.h"

#include <QCheckBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

QueryHistoryView::QueryHistoryView(QWidget *parent) : QWidget(parent) {
    search_ = new QLineEdit(this);
    search_->setClearButtonEnabled(true);
    favouritesOnly_ = new QCheckBox(this);
    model_ = new QStandardItemModel(0, ColumnCount, this);
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    empty_ = new QLabel(this);
    empty_->setWordWrap(true);
    empty_->setAlignment(Qt::AlignCenter);

    auto *filters = new QHBoxLayout;
    filters->addWidget(search_, 1);
    filters->addWidget(favouritesOnly_);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(table_, 1);
    layout->addWidget(empty_);

    auto emitFilter = [this] { Q_EMIT filterChanged(searchText(), favouritesOnly()); };
    connect(search_, &QLineEdit::textChanged, this, emitFilter);
    connect(favouritesOnly_, &QCheckBox::toggled, this, emitFilter);
    connect(model_, &QStandardItemModel::itemChanged, this, &QueryHistoryView::onItemChanged);
    connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex &index) { activate(index.row()); });
    retranslate();
    setEntries({});
}

void QueryHistoryView::retranslate() {
    search_->setPlaceholderText(tr("Search questions and queries"));
    favouritesOnly_->setText(tr("Favourites only"));
    model_->setHorizontalHeaderLabels(
        {tr("★"), tr("Time"), tr("Database"), tr("Dialect"), tr("Question"), tr("Query")});
    table_->setToolTip(tr("Double-click an entry to open it in the editor; tick the star to keep it as a favourite."));
    empty_->setText(emptyText());
}

void QueryHistoryView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

QString QueryHistoryView::emptyText() const {
    if (!entries_.isEmpty()) return {};
    if (!searchText().isEmpty() || favouritesOnly()) return tr("Nothing in the history matches.");
    return tr("No queries yet: every query you generate is kept here.");
}

void QueryHistoryView::setEntries(const QList<Entry> &entries) {
    entries_ = entries;
    // Filling the star column is not the user ticking it. (The model's signals must still reach
    // the view and its headers: blocking them left the table showing no rows.)
    filling_ = true;
    model_->removeRows(0, model_->rowCount());
    for (const auto &e : entries) {
        auto *star = new QStandardItem;
        star->setCheckable(true);
        star->setCheckState(e.favourite ? Qt::Checked : Qt::Unchecked);
        star->setEditable(false);
        QList<QStandardItem *> row{star};
        for (const QString &text : {e.createdAt, e.dbId, e.dialect, e.question, e.query}) {
            auto *item = new QStandardItem(QString(text).replace(QLatin1Char('\n'), QLatin1Char(' ')));
            item->setToolTip(text);
            item->setEditable(false);
            row << item;
        }
        model_->appendRow(row);
    }
    filling_ = false;
    table_->resizeColumnsToContents();
    empty_->setText(emptyText());
    empty_->setVisible(entries.isEmpty());
}

QString QueryHistoryView::searchText() const { return search_->text().trimmed(); }
bool QueryHistoryView::favouritesOnly() const { return favouritesOnly_->isChecked(); }
void QueryHistoryView::setSearchText(const QString &text) { search_->setText(text); }
void QueryHistoryView::setFavouritesOnly(bool on) { favouritesOnly_->setChecked(on); }

void QueryHistoryView::setFavourite(int row, bool favourite) {
    if (auto *star = model_->item(row, Favourite)) star->setCheckState(favourite ? Qt::Checked : Qt::Unchecked);
}

void QueryHistoryView::onItemChanged(QStandardItem *item) {
    if (filling_ || item->column() != Favourite || item->row() >= entries_.size()) return;
    auto &entry = entries_[item->row()];
    const bool favourite = item->checkState() == Qt::Checked;
    if (entry.favourite == favourite) return;
    entry.favourite = favourite;
    Q_EMIT favouriteChanged(entry.id, favourite);
}

void QueryHistoryView::activate(int row) {
    if (row < 0 || row >= entries_.size()) return;
    const auto &e = entries_[row];
    Q_EMIT entryActivated(e.dbId, e.dialect, e.question, e.query);
}
