// Evaluation reports (the JSON of `momq eval --out`): the per-dialect EX / EXEC / strict EX table
// of one report or two side by side, and a drill-down per item — question, gold and predicted
// query, both result previews, the error — with the other report's prediction for the same item.
#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

class EvaluationView : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationView(QWidget *parent = nullptr);

    // slot 0: the report drilled into; slot 1: the one beside it. False (and a message on the view)
    // when the file is not a report.
    bool loadReport(int slot, const QString &path);
    QStandardItemModel *summaryModel() const { return summary_; }
    QStandardItemModel *itemModel() const { return items_; }
    void setStatusFilter(const QString &status);  // "" for every item
    void showItem(int row);
    QString detailText() const;
    QString message() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void retranslate();

    QJsonObject reports_[2];
    QString names_[2];
    QStandardItemModel *summary_, *items_;
    QTableView *summaryView_, *itemView_;
    QTextBrowser *detail_;
    QComboBox *filter_;
    QPushButton *open_[2];
    QLabel *message_;
};
