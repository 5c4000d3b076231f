#include "authoring_view.h"

#include "query_highlighter.h"
#include "result_table_model.h"

#include "momq/dialect.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

const QStringList &AuthoringView::dialects() {
    static const QStringList all = [] {
        QStringList names;
        for (const auto &d : momq::dialects()) names << QString::fromLatin1(d.name);
        return names;
    }();
    return all;
}

AuthoringView::AuthoringView(QWidget *parent) : QWidget(parent) {
    database_ = new QComboBox(this);
    question_ = new QLineEdit(this);
    question_->setObjectName(QStringLiteral("question"));
    databaseLabel_ = new QLabel(this);
    questionLabel_ = new QLabel(this);
    modelLabel_ = new QLabel(this);
    modelLabel_->setWordWrap(true);
    generate_ = new QPushButton(this);
    cancel_ = new QPushButton(this);
    copy_ = new QPushButton(this);
    copyAll_ = new QPushButton(this);
    run_ = new QPushButton(this);
    previous_ = new QPushButton(QStringLiteral("‹"), this);
    next_ = new QPushButton(QStringLiteral("›"), this);
    exportButton_ = new QPushButton(this);
    page_ = new QLabel(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    check_ = new QLabel(this);
    check_->setObjectName(QStringLiteral("queryCheck"));
    check_->setWordWrap(true);
    check_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    tabs_ = new QTabWidget(this);
    table_ = new QTableView(this);
    results_ = new ResultTableModel(this);
    table_->setModel(results_);
    table_->setSortingEnabled(true);
    table_->horizontalHeader()->setStretchLastSection(true);

    auto *top = new QHBoxLayout;
    top->addWidget(databaseLabel_);
    top->addWidget(database_, 1);
    for (const auto &d : dialects()) {
        auto *box = new QCheckBox(d, this);
        box->setChecked(true);
        dialectBoxes_.insert(d, box);
        top->addWidget(box);
    }
    constrain_ = new QCheckBox(this);
    constrain_->setChecked(true);
    top->addWidget(constrain_);
    auto *ask = new QHBoxLayout;
    ask->addWidget(questionLabel_);
    ask->addWidget(question_, 1);
    ask->addWidget(generate_);
    ask->addWidget(cancel_);
    for (const auto &d : dialects()) editorFor(d);
    auto *editorButtons = new QHBoxLayout;
    editorButtons->addWidget(copy_);
    editorButtons->addWidget(copyAll_);
    editorButtons->addStretch();
    editorButtons->addWidget(run_);
    auto *editorPane = new QWidget(this);
    auto *editorLayout = new QVBoxLayout(editorPane);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(tabs_, 1);
    editorLayout->addWidget(check_);
    editorLayout->addLayout(editorButtons);
    auto *resultButtons = new QHBoxLayout;
    resultButtons->addWidget(previous_);
    resultButtons->addWidget(page_);
    resultButtons->addWidget(next_);
    resultButtons->addStretch();
    resultButtons->addWidget(exportButton_);
    auto *resultPane = new QWidget(this);
    auto *resultLayout = new QVBoxLayout(resultPane);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addWidget(table_, 1);
    resultLayout->addLayout(resultButtons);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("editorResultsSplitter"));
    splitter->addWidget(editorPane);
    splitter->addWidget(resultPane);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(ask);
    layout->addWidget(modelLabel_);
    layout->addWidget(splitter, 1);
    layout->addWidget(status_);

    // Shortcuts: Ctrl+Return generates, Ctrl+Shift+C copies the current query, Ctrl+R runs it.
    // QShortcut objects, not the buttons' own shortcuts: setText() in retranslate() clears those.
    for (const auto &[keys, button] : {std::pair{QKeySequence(Qt::CTRL | Qt::Key_Return), generate_},
                                       std::pair{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), copy_},
                                       std::pair{QKeySequence(Qt::CTRL | Qt::Key_R), run_}}) {
        auto *shortcut = new QShortcut(keys, this);
        connect(shortcut, &QShortcut::activated, button, [button = button] {
            if (button->isEnabled()) button->click();
        });
    }
    connect(tabs_, &QTabWidget::currentChanged, this, &AuthoringView::showCurrentCheck);
    connect(question_, &QLineEdit::returnPressed, this, &AuthoringView::requestGeneration);
    connect(generate_, &QPushButton::clicked, this, &AuthoringView::requestGeneration);
    connect(cancel_, &QPushButton::clicked, this, &AuthoringView::cancelRequested);
    connect(copy_, &QPushButton::clicked, this, &AuthoringView::copyCurrent);
    connect(copyAll_, &QPushButton::clicked, this, &AuthoringView::copyAll);
    connect(run_, &QPushButton::clicked, this, &AuthoringView::requestRun);
    connect(previous_, &QPushButton::clicked, this, [this] { results_->setPage(results_->page() - 1); });
    connect(next_, &QPushButton::clicked, this, [this] { results_->setPage(results_->page() + 1); });
    connect(results_, &ResultTableModel::pageChanged, this, [this](int p, int n) {
        page_->setText(tr("Page %1 of %2").arg(p + 1).arg(n));
        previous_->setEnabled(p > 0);
        next_->setEnabled(p + 1 < n);
    });
    connect(exportButton_, &QPushButton::clicked, this, [this] {
        QString filter;
        const QString file = QFileDialog::getSaveFileName(this, tr("Export Results"), QString(),
                                                          tr("CSV (*.csv);;JSON (*.json)"), &filter);
        if (file.isEmpty()) return;
        const QString path = exportPath(file, filter);
        if (!exportResults(path)) showError(tr("Cannot write %1").arg(path));
    });
    connect(database_, &QComboBox::currentTextChanged, this, &AuthoringView::databaseChanged);
    retranslate();
    setModelReady(false, QString());
    finishGeneration(false);
    Q_EMIT results_->pageChanged(0, 1);
}

QString AuthoringView::exportPath(const QString &chosen, const QString &filter) {
    if (!QFileInfo(chosen).suffix().isEmpty()) return chosen;
    return chosen + (filter.contains(QLatin1String("*.json")) ? QStringLiteral(".json") : QStringLiteral(".csv"));
}

QPlainTextEdit *AuthoringView::editorFor(const QString &dialect) {
    if (auto *e = editors_.value(dialect)) return e;
    auto *editor = new QPlainTextEdit(this);
    editor->setObjectName(QStringLiteral("editor-") + dialect);
    editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new QueryHighlighter(momq::parseDialect(dialect.toStdString()), editor->document());
    editors_.insert(dialect, editor);
    tabs_->addTab(editor, dialect);
    return editor;
}

void AuthoringView::retranslate() {
    databaseLabel_->setText(tr("Database:"));
    questionLabel_->setText(tr("Question:"));
    question_->setPlaceholderText(tr("Ask in English or Chinese, e.g. “Which players are older than 30?”"));
    generate_->setText(tr("Generate"));
    generate_->setToolTip(tr("Generate a query in every ticked dialect (Ctrl+Return)"));
    cancel_->setText(tr("Cancel"));
    constrain_->setText(tr("Valid queries only"));
    constrain_->setToolTip(tr("Let the model write only queries of the dialect's grammar that name the schema's "
                              "tables, columns, labels, relationship types and properties"));
    copy_->setText(tr("Copy"));
    copy_->setToolTip(tr("Copy this dialect's query (Ctrl+Shift+C)"));
    copyAll_->setText(tr("Copy all"));
    run_->setText(tr("Run"));
    run_->setToolTip(tr("Run this query read-only on the database's connection (Ctrl+R)"));
    exportButton_->setText(tr("Export…"));
    if (!modelReady_) modelLabel_->setText(tr("No model loaded yet: queries cannot be generated until one is."));
}

void AuthoringView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void AuthoringView::setDatabases(const QStringList &dbIds) {
    const QString current = database_->currentText();
    database_->clear();
    database_->addItems(dbIds);
    if (dbIds.contains(current)) database_->setCurrentText(current);
}

QString AuthoringView::currentDatabase() const { return database_->currentText(); }
void AuthoringView::setCurrentDatabase(const QString &dbId) { database_->setCurrentText(dbId); }
void AuthoringView::setQuestion(const QString &question) { question_->setText(question); }
QString AuthoringView::question() const { return question_->text(); }

bool AuthoringView::constrainToSchema() const { return constrain_->isChecked(); }
void AuthoringView::setConstrainToSchema(bool on) { constrain_->setChecked(on); }

void AuthoringView::setDialectChecked(const QString &dialect, bool checked) {
    if (auto *box = dialectBoxes_.value(dialect)) box->setChecked(checked);
}

QStringList AuthoringView::checkedDialects() const {
    QStringList out;
    for (const auto &d : dialects())
        if (dialectBoxes_.value(d)->isChecked()) out << d;
    return out;
}

void AuthoringView::setModelReady(bool ready, const QString &description) {
    modelReady_ = ready;
    if (ready)
        modelLabel_->setText(tr("Model: %1").arg(description));
    else
        retranslate();
    generate_->setEnabled(ready && !generating_);
}

QString AuthoringView::query(const QString &dialect) const {
    auto *e = editors_.value(dialect);
    return e ? e->toPlainText() : QString();
}

QString AuthoringView::currentDialect() const { return tabs_->tabText(tabs_->currentIndex()); }

void AuthoringView::setCurrentDialect(const QString &dialect) {
    if (auto *e = editors_.value(dialect)) tabs_->setCurrentWidget(e);
}

QString AuthoringView::allQueriesBlock() const {
    QStringList parts;
    for (const auto &d : dialects()) {
        const QString q = query(d).trimmed();
        if (q.isEmpty()) continue;
        const QString comment =
            momq::dialectInfo(momq::parseDialect(d.toStdString())).graph ? QStringLiteral("//") : QStringLiteral("--");
        parts << comment + QLatin1Char(' ') + d + QLatin1Char('\n') + q;
    }
    return parts.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
}

QString AuthoringView::statusText() const { return status_->text(); }

void AuthoringView::requestGeneration() {
    if (generating_) return;
    if (!modelReady_) {
        showError(tr("No model is loaded yet: wait until it is, or open a project that has one."));
        return;
    }
    if (question_->text().trimmed().isEmpty()) {
        showError(tr("Type a question first."));
        return;
    }
    if (database_->currentText().isEmpty()) {
        showError(tr("This project has no database schema yet: import one from the Database menu."));
        return;
    }
    const auto chosen = checkedDialects();
    if (chosen.isEmpty()) {
        showError(tr("Tick at least one dialect."));
        return;
    }
    Q_EMIT generateRequested(question_->text().trimmed(), database_->currentText(), chosen);
}

void AuthoringView::beginGeneration(const QStringList &chosen) {
    generating_ = true;
    generate_->setEnabled(false);
    cancel_->setEnabled(true);
    for (const auto &d : chosen) {
        editorFor(d)->clear();
        checks_.remove(d);
    }
    showCurrentCheck();
    if (!chosen.isEmpty()) setCurrentDialect(chosen.first());
    status_->setText(tr("Generating…"));
}

void AuthoringView::appendToken(const QString &dialect, const QString &text) {
    auto *e = editorFor(dialect);
    if (tabs_->currentWidget() != e && e->toPlainText().isEmpty()) setCurrentDialect(dialect);
    e->moveCursor(QTextCursor::End);
    e->insertPlainText(text);
}

void AuthoringView::finishDialect(const QString &dialect, const QString &query) {
    editorFor(dialect)->setPlainText(query);
}

void AuthoringView::showCheck(const QString &dialect, const QString &summary, bool valid) {
    checks_[dialect] = {summary, valid};
    showCurrentCheck();
}

QString AuthoringView::checkText(const QString &dialect) const { return checks_.value(dialect).first; }

void AuthoringView::showCurrentCheck() {
    const auto check = checks_.value(currentDialect());
    check_->setText(check.first);
    // an invalid query stands out; the palette's own text colour otherwise (dark mode included)
    check_->setStyleSheet(check.second || check.first.isEmpty() ? QString() : QStringLiteral("color: #c0392b;"));
}

void AuthoringView::finishGeneration(bool cancelled) {
    generating_ = false;
    generate_->setEnabled(modelReady_);
    cancel_->setEnabled(false);
    if (cancelled)
        status_->setText(tr("Generation cancelled."));
    else if (status_->text() == tr("Generating…"))
        status_->setText(tr("Done."));
}

void AuthoringView::copyCurrent() {
    QApplication::clipboard()->setText(query(currentDialect()));
    status_->setText(tr("Copied the %1 query.").arg(currentDialect()));
}

void AuthoringView::copyAll() {
    QApplication::clipboard()->setText(allQueriesBlock());
    status_->setText(tr("Copied all queries."));
}

void AuthoringView::requestRun() {
    const QString q = query(currentDialect()).trimmed();
    if (q.isEmpty()) {
        showError(tr("Nothing to run: the %1 editor is empty.").arg(currentDialect()));
        return;
    }
    status_->setText(tr("Running…"));
    results_->clear();  // a refusal or an error must not leave the previous query's rows on show
    Q_EMIT runRequested(database_->currentText(), currentDialect(), q);
}

void AuthoringView::showResult(const momq::QueryResult &result) {
    results_->setResult(result);
    const auto rows = static_cast<qsizetype>(result.rows.size());
    if (result.truncated)
        status_->setText(tr("%1 rows (cut at the row limit).").arg(rows));
    else
        status_->setText(rows == 1 ? tr("1 row.") : tr("%1 rows.").arg(rows));
}

void AuthoringView::showError(const QString &message) { status_->setText(message); }

bool AuthoringView::exportResults(const QString &file) {
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    out.write(
        (file.endsWith(QLatin1String(".json"), Qt::CaseInsensitive) ? results_->toJson() : results_->toCsv()).toUtf8());
    return true;
}
