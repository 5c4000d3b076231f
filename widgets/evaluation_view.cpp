#include "evaluation_view.h"

#include "path_field.h"

#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QFormLayout>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

EvaluationView::EvaluationView(QWidget *parent) : QWidget(parent) {
    summary_ = new QStandardItemModel(this);
    items_ = new QStandardItemModel(this);
    summaryView_ = new QTableView(this);
    summaryView_->setModel(summary_);
    summaryView_->horizontalHeader()->setStretchLastSection(true);
    itemView_ = new QTableView(this);
    itemView_->setModel(items_);
    itemView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    itemView_->horizontalHeader()->setStretchLastSection(true);
    detail_ = new QTextBrowser(this);
    filter_ = new QComboBox(this);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    for (int slot = 0; slot < 2; ++slot) {
        open_[slot] = new QPushButton(this);
        buttons->addWidget(open_[slot]);
        connect(open_[slot], &QPushButton::clicked, this, [this, slot] {
            const QString file =
                QFileDialog::getOpenFileName(this, tr("Open Evaluation Report"), QString(), tr("Reports (*.json)"));
            if (!file.isEmpty()) loadReport(slot, file);
        });
    }
    buttons->addWidget(filter_);
    buttons->addStretch();
    model_ = new QLineEdit(this);
    adapter_ = new QLineEdit(this);
    data_ = new QLineEdit(this);
    schemas_ = new QLineEdit(this);
    databases_ = new QLineEdit(this);
    report_ = new QLineEdit(this);
    addBrowseAction(model_, PathKind::Folder);
    addBrowseAction(adapter_, PathKind::Folder);
    addBrowseAction(data_, PathKind::OpenFile, tr("Items (*.jsonl);;All files (*)"));
    addBrowseAction(schemas_, PathKind::Folder);
    addBrowseAction(databases_, PathKind::OpenFile, tr("Database config (*.json);;All files (*)"));
    addBrowseAction(report_, PathKind::SaveFile, tr("Reports (*.json)"));
    limit_ = new QSpinBox(this);
    limit_->setRange(0, 1000000);
    limit_->setValue(20);
    run_ = new QPushButton(this);
    cancel_ = new QPushButton(this);
    progress_ = new QProgressBar(this);
    form_ = new QFormLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{model_, adapter_, data_, schemas_, databases_, limit_, report_})
        form_->addRow(new QLabel(this), w);
    auto *runButtons = new QHBoxLayout;
    runButtons->addWidget(run_);
    runButtons->addWidget(cancel_);
    runButtons->addWidget(progress_, 1);
    auto *runPanel = new QVBoxLayout;
    runPanel->addLayout(form_);
    runPanel->addLayout(runButtons);
    connect(run_, &QPushButton::clicked, this, &EvaluationView::requestRun);
    connect(cancel_, &QPushButton::clicked, this, &EvaluationView::cancelRequested);

    auto *lower = new QSplitter(this);
    lower->setObjectName(QStringLiteral("evaluationItemsSplitter"));
    lower->addWidget(itemView_);
    lower->addWidget(detail_);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("evaluationSplitter"));
    splitter->addWidget(summaryView_);
    splitter->addWidget(lower);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(runPanel);
    layout->addLayout(buttons);
    layout->addWidget(message_);
    layout->addWidget(splitter, 1);
    connect(filter_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    connect(itemView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showItem(current.row()); });
    retranslate();
    setRunning(false);
    rebuild();
}

void EvaluationView::retranslate() {
    const QStringList labels = {tr("Model folder"),  tr("Adapter folder (optional)"), tr("Test items (JSONL)"),
                                tr("Schema folder"), tr("Database config (JSON)"),    tr("Items per dialect (0: all)"),
                                tr("Report file")};
    for (int i = 0; i < labels.size(); ++i)
        static_cast<QLabel *>(form_->itemAt(i, QFormLayout::LabelRole)->widget())->setText(labels[i]);
    run_->setText(tr("Run evaluation"));
    run_->setToolTip(
        tr("Generate a query for every chosen item, run it and the gold query on the databases, and score them"));
    cancel_->setText(tr("Cancel"));
    open_[0]->setText(tr("Open report…"));
    open_[1]->setText(tr("Compare with…"));
    const QSignalBlocker block(filter_);
    const QString current = filter_->currentData().toString();
    filter_->clear();
    filter_->addItem(tr("All items"), QString());
    for (const char *status : {"match", "mismatch", "prediction_failed", "exact_match", "no_exact_match",
                               "gold_excluded", "gold_failed", "result_too_large"})
        filter_->addItem(QString::fromLatin1(status), QString::fromLatin1(status));
    filter_->setCurrentIndex(std::max(0, filter_->findData(current)));
    rebuild();
}

void EvaluationView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

bool EvaluationView::loadReport(int slot, const QString &path) {
    try {
        reports_[slot] = momq::EvaluationReport::load(path.toStdString());
    } catch (const std::exception &e) {
        message_->setText(QString::fromStdString(e.what()));
        return false;
    }
    names_[slot] = QFileInfo(path).fileName();
    message_->clear();
    rebuild();
    return true;
}

void EvaluationView::setRun(const Run &run) {
    model_->setText(run.modelDir);
    adapter_->setText(run.adapterDir);
    data_->setText(run.dataPath);
    schemas_->setText(run.schemaDir);
    databases_->setText(run.databasesPath);
    report_->setText(run.reportPath);
    limit_->setValue(run.perDialectLimit);
}

EvaluationView::Run EvaluationView::run() const {
    return {
        model_->text().trimmed(),     adapter_->text().trimmed(), data_->text().trimmed(), schemas_->text().trimmed(),
        databases_->text().trimmed(), report_->text().trimmed(),  limit_->value()};
}

void EvaluationView::requestRun() {
    if (running_) return;
    const Run r = run();
    const std::pair<QString, QString> needed[] = {{r.modelDir, tr("Model folder")},
                                                  {r.dataPath, tr("Test items (JSONL)")},
                                                  {r.schemaDir, tr("Schema folder")},
                                                  {r.databasesPath, tr("Database config (JSON)")},
                                                  {r.reportPath, tr("Report file")}};
    for (const auto &[value, name] : needed)
        if (value.isEmpty()) {
            message_->setText(tr("Fill in \"%1\" to run an evaluation.").arg(name));
            return;
        }
    setRunning(true);
    progress_->setRange(0, 0);  // busy until the first item is done
    message_->setText(tr("Loading the model…"));
    Q_EMIT runRequested(r);
}

void EvaluationView::setRunProgress(int done, int total) {
    progress_->setRange(0, total);
    progress_->setValue(done);
    message_->setText(done < total ? tr("Generating: %1 of %2 items").arg(done).arg(total)
                                   : tr("Scoring %1 items on the databases…").arg(total));
}

void EvaluationView::finishRun(bool ok, const QString &reportPathOrError) {
    setRunning(false);
    if (!ok) {
        message_->setText(tr("The evaluation did not finish: %1").arg(reportPathOrError));
        return;
    }
    if (loadReport(0, reportPathOrError)) message_->setText(tr("Evaluation written to %1").arg(reportPathOrError));
}

void EvaluationView::setRunning(bool running) {
    running_ = running;
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    progress_->setVisible(running);
}

void EvaluationView::setStatusFilter(const QString &status) {
    filter_->setCurrentIndex(std::max(0, filter_->findData(status)));
}

void EvaluationView::rebuild() {
    summary_->clear();
    items_->clear();
    detail_->clear();
    if (!reports_[0]) {
        message_->setText(
            message_->text().isEmpty()
                ? tr("No report yet: run an evaluation above (or `momq eval … --out REPORT.json`), or open a report.")
                : message_->text());
        return;
    }
    QStringList header = {tr("dialect")};
    const int reportCount = reports_[1] ? 2 : 1;
    for (int s = 0; s < reportCount; ++s)
        header << tr("EX (%1)").arg(names_[s]) << tr("EXEC (%1)").arg(names_[s]) << tr("strict EX (%1)").arg(names_[s])
               << tr("scored by");
    summary_->setHorizontalHeaderLabels(header);
    auto percent = [](double v) { return new QStandardItem(QString::number(v, 'f', 2)); };
    for (const auto &entry : reports_[0]->dialects) {
        const std::string &dialect = entry.first;
        QList<QStandardItem *> row{new QStandardItem(QString::fromStdString(dialect))};
        for (int s = 0; s < reportCount; ++s) {
            const auto found = reports_[s]->dialects.find(dialect);
            const momq::DialectScore d = found == reports_[s]->dialects.end() ? momq::DialectScore{} : found->second;
            const bool executed = d.method == "execution";
            row << percent(d.ex()) << (executed ? percent(d.exec()) : new QStandardItem(tr("n/a")))
                << (executed ? percent(d.exStrict()) : new QStandardItem(tr("n/a")))
                << new QStandardItem(QString::fromStdString(d.method));
        }
        summary_->appendRow(row);
    }
    summaryView_->resizeColumnsToContents();
    items_->setHorizontalHeaderLabels({tr("item"), tr("dialect"), tr("status"), tr("question")});
    const QString wanted = filter_->currentData().toString();
    for (const auto &item : reports_[0]->items) {
        const QString status = QString::fromLatin1(momq::itemStatusName(item.status));
        if (!wanted.isEmpty() && status != wanted) continue;
        items_->appendRow({new QStandardItem(QString::fromStdString(item.itemId)),
                           new QStandardItem(QString::fromStdString(item.dialect)), new QStandardItem(status),
                           new QStandardItem(QString::fromStdString(item.question))});
    }
}

void EvaluationView::showItem(int row) {
    if (row < 0 || row >= items_->rowCount()) return;
    const std::string id = items_->item(row, 0)->text().toStdString();
    auto find = [&](int slot) -> const momq::ItemOutcome * {
        if (!reports_[slot]) return nullptr;
        for (const auto &item : reports_[slot]->items)
            if (item.itemId == id) return &item;
        return nullptr;
    };
    const auto *a = find(0), *b = find(1);
    if (!a) return;
    auto html = [](const std::string &text) { return QString::fromStdString(text).toHtmlEscaped(); };
    auto prediction = [&](int slot, const momq::ItemOutcome &o) {
        return QStringLiteral("<p><b>%1 — %2</b><pre>%3</pre><pre>%4</pre>%5</p>")
            .arg(tr("Prediction (%1)").arg(names_[slot].toHtmlEscaped()),
                 QString::fromLatin1(momq::itemStatusName(o.status)), html(o.prediction), html(o.predictionPreview),
                 html(o.error));
    };
    QString text = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(html(id), html(a->question));
    text += QStringLiteral("<p><b>%1</b><pre>%2</pre><pre>%3</pre></p>")
                .arg(tr("Gold"), html(a->gold), html(a->goldPreview));
    text += prediction(0, *a);
    if (b) text += prediction(1, *b);
    detail_->setHtml(text);
}

QString EvaluationView::detailText() const { return detail_->toPlainText(); }
QString EvaluationView::message() const { return message_->text(); }
