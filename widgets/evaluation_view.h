// Evaluation: a form to run one (model and adapter, test items with their schemas, the databases,
// items per dialect, the report file) with its progress; the reports (the JSON of `momq eval
// --out`): the per-dialect EX / EXEC / strict EX table of one report or two side by side, and a
// drill-down per item — question, gold and predicted query, both result previews, the error — with
// the other report's prediction for the same item. Running is the program's job: the view asks
// for it and shows what comes back.
#pragma once

#include "momq/evaluation.h"

#include <optional>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    struct Run {
        QString modelDir, adapterDir, dataPath, schemaDir, databasesPath, reportPath;
        int perDialectLimit = 0;  // 0: every item
    };

    explicit EvaluationView(QWidget *parent = nullptr);

    void setRun(const Run &run);  // fills the form
    Run run() const;
    void requestRun();  // as pressing Run: runRequested, or a message saying what is missing
    void setRunProgress(int done, int total);
    // Opens the report in slot 0 when the run succeeded; else shows the message.
    void finishRun(bool ok, const QString &reportPathOrError);
    bool isRunning() const { return running_; }

    // slot 0: the report drilled into; slot 1: the one beside it. False (and a message on the view)
    // when the file is not a report.
    bool loadReport(int slot, const QString &path);
    QStandardItemModel *summaryModel() const { return summary_; }
    QStandardItemModel *itemModel() const { return items_; }
    void setStatusFilter(const QString &status);  // "" for every item
    void showItem(int row);
    QString detailText() const;
    QString message() const;

Q_SIGNALS:
    void runRequested(const EvaluationView::Run &run);
    void cancelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void setRunning(bool running);
    void rebuild();
    void retranslate();

    std::optional<momq::EvaluationReport> reports_[2];
    QString names_[2];
    QStandardItemModel *summary_, *items_;
    QTableView *summaryView_, *itemView_;
    QTextBrowser *detail_;
    QComboBox *filter_;
    QPushButton *open_[2];
    QLabel *message_;
    QFormLayout *form_;
    QLineEdit *model_, *adapter_, *data_, *schemas_, *databases_, *report_;
    QSpinBox *limit_;
    QPushButton *run_, *cancel_;
    QProgressBar *progress_;
    bool running_ = false;
};
