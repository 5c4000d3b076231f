// The routing inspector (the paper's Figure 4, and more): QCustomPlot colour maps of a MoMQ
// routing trace — dialect-router weight (layer x dialect group), dialect-weighted expert weight
// (layer x expert, groups separated and labelled), or one token's routing through the layers —
// averaged over prompt, output or all tokens, on a colour scale that can be fixed to [0, 1], and
// exported to PNG or PDF.
#pragma once

#include "momq/adapter.h"

#include <QWidget>

class QComboBox;
class QCheckBox;
class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QLabel;
class QSpinBox;

class RoutingHeatmap : public QWidget {
    Q_OBJECT
public:
    enum class View { DialectWeights, WeightedExperts, TokenExperts };
    enum class Span { Prompt, Output, All };

    explicit RoutingHeatmap(QWidget *parent = nullptr);

    void setTrace(momq::RoutingTrace trace, QStringList tokenTexts = {});
    void clear();
    void setView(View view);
    void setSpan(Span span);
    void setToken(int token);
    void setFixedRange(bool fixed);

    // The matrix on display, layers x columns, and its column labels (for tests and export).
    const std::vector<float> &values() const { return values_; }
    int rows() const { return rows_; }
    int columns() const { return columns_; }
    QStringList columnLabels() const { return labels_; }
    bool hasTrace() const { return trace_.layers > 0; }

    bool exportPng(const QString &file);
    bool exportPdf(const QString &file);
    QCustomPlot *plot() const { return plot_; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void retranslate();

    momq::RoutingTrace trace_;
    QStringList tokenTexts_;
    View view_ = View::WeightedExperts;
    Span span_ = Span::All;
    int token_ = 0;
    bool fixedRange_ = false;
    std::vector<float> values_;
    int rows_ = 0, columns_ = 0;
    QStringList labels_;

    QComboBox *viewBox_, *spanBox_;
    QSpinBox *tokenBox_;
    QLabel *tokenLabel_, *emptyLabel_;
    QCheckBox *fixedBox_;
    QCustomPlot *plot_;
    QCPColorMap *map_;
    QCPColorScale *scale_;
};
