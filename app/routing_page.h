// The Routing tab: the heatmaps of the last generation, or of any item of a dataset — the model
// generates that item's query from its question and schema, and the routing of every prompt and
// output token through the layers is shown next to the item's gold query.
#pragma once

#include "momq/dataset.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class RoutingHeatmap;

class RoutingPage : public QWidget {
    Q_OBJECT
public:
    explicit RoutingPage(QWidget *parent = nullptr);

    RoutingHeatmap *heatmap() const { return heatmap_; }
    void setItems(std::vector<momq::DatasetItem> items, const QString &source);
    int itemCount() const { return static_cast<int>(items_.size()); }
    void requestTrace(int index);  // as choosing the item and pressing Trace
    // What the heatmaps show: the item (question, gold and generated query), or the generation.
    void showItemResult(const QString &generatedQuery);
    void showGeneration(const QString &question);
    void showMessage(const QString &message);
    QString captionText() const;

Q_SIGNALS:
    void traceRequested(const momq::DatasetItem &item);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    std::vector<momq::DatasetItem> items_;
    int traced_ = -1;
    QString source_;
    QLabel *itemLabel_, *caption_;
    QComboBox *item_;
    QPushButton *trace_;
    RoutingHeatmap *heatmap_;
};
