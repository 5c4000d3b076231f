// Query authoring: pick a database, type a question (English or Chinese), tick dialects and
// generate — one editable, highlighted editor tab per dialect that fills as tokens stream in —
// copy one query or all of them as a commented block, and run the current one read-only into a
// paged, sortable results grid that exports CSV or JSON. The view only emits requests and shows
// what it is given; the program connects it to the engine.
#pragma once

#include "momq/execution.h"

#include <QMap>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class ResultTableModel;

class AuthoringView : public QWidget {
    Q_OBJECT
public:
    static const QStringList &dialects();  // mysql, postgresql, sqlite, cypher, ngql

    explicit AuthoringView(QWidget *parent = nullptr);

    void setDatabases(const QStringList &dbIds);
    QString currentDatabase() const;
    void setCurrentDatabase(const QString &dbId);
    void setQuestion(const QString &question);
    QString question() const;
    void setDialectChecked(const QString &dialect, bool checked);
    QStringList checkedDialects() const;
    // "Keep names to the schema": decoding may only name the schema's tables, columns, labels and
    // relationship types (on by default).
    bool constrainToSchema() const;
    void setConstrainToSchema(bool on);
    void setModelReady(bool ready, const QString &description);

    QString query(const QString &dialect) const;  // the editor's text
    QString currentDialect() const;
    void setCurrentDialect(const QString &dialect);
    QString allQueriesBlock() const;  // "-- mysql\n<query>\n\n-- cypher\n..." (// for graph dialects)
    ResultTableModel *resultModel() const { return results_; }
    QString statusText() const;
    QString checkText(const QString &dialect) const;
    bool isModelReady() const { return modelReady_; }  // the view has heard that a model is loaded

public Q_SLOTS:
    void requestGeneration();
    void beginGeneration(const QStringList &dialects);
    void appendToken(const QString &dialect, const QString &text);
    void finishDialect(const QString &dialect, const QString &query);
    // The generated query's check, shown under the editor while its dialect is current.
    void showCheck(const QString &dialect, const QString &summary, bool valid);
    void finishGeneration(bool cancelled);
    void copyCurrent();
    void copyAll();
    void requestRun();
    void showResult(const momq::QueryResult &result);
    void showError(const QString &message);
    bool exportResults(const QString &file);
    // The file an export writes: the chosen name, given the selected filter's suffix when it has none.
    static QString exportPath(const QString &chosen, const QString &filter);  // .csv or .json by suffix

Q_SIGNALS:
    void generateRequested(const QString &question, const QString &dbId, const QStringList &dialects);
    void cancelRequested();
    void runRequested(const QString &dbId, const QString &dialect, const QString &query);
    void databaseChanged(const QString &dbId);

protected:
    void changeEvent(QEvent *event) override;

private:
    QPlainTextEdit *editorFor(const QString &dialect);
    void showCurrentCheck();
    void retranslate();

    QComboBox *database_;
    QLineEdit *question_;
    QMap<QString, QCheckBox *> dialectBoxes_;
    QCheckBox *constrain_;
    QPushButton *generate_, *cancel_, *copy_, *copyAll_, *run_, *previous_, *next_, *exportButton_;
    QTabWidget *tabs_;
    QMap<QString, QPlainTextEdit *> editors_;
    QMap<QString, std::pair<QString, bool>> checks_;  // dialect -> summary, valid
    QTableView *table_;
    ResultTableModel *results_;
    QLabel *check_;
    QLabel *status_, *page_, *modelLabel_, *questionLabel_, *databaseLabel_;
    bool modelReady_ = false;
    bool generating_ = false;
};
