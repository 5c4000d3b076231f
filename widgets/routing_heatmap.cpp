#include "routing_heatmap.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

RoutingHeatmap::RoutingHeatmap(QWidget *parent) : QWidget(parent) {
    viewBox_ = new QComboBox(this);
    spanBox_ = new QComboBox(this);
    tokenBox_ = new QSpinBox(this);
    tokenLabel_ = new QLabel(this);
    fixedBox_ = new QCheckBox(this);
    emptyLabel_ = new QLabel(this);
    emptyLabel_->setAlignment(Qt::AlignCenter);
    emptyLabel_->setWordWrap(true);
    plot_ = new QCustomPlot(this);
    map_ = new QCPColorMap(plot_->xAxis, plot_->yAxis);
    scale_ = new QCPColorScale(plot_);
    plot_->plotLayout()->addElement(0, 1, scale_);
    map_->setColorScale(scale_);
    map_->setGradient(QCPColorGradient::gpThermal);
    map_->setInterpolate(false);
    plot_->yAxis->setLabel(QStringLiteral("layer"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(viewBox_);
    controls->addWidget(spanBox_);
    controls->addWidget(tokenLabel_);
    controls->addWidget(tokenBox_);
    controls->addWidget(fixedBox_);
    controls->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(emptyLabel_);
    layout->addWidget(plot_, 1);
    retranslate();

    connect(viewBox_, &QComboBox::currentIndexChanged, this, [this](int i) { setView(static_cast<View>(i)); });
    connect(spanBox_, &QComboBox::currentIndexChanged, this, [this](int i) { setSpan(static_cast<Span>(i)); });
    connect(tokenBox_, &QSpinBox::valueChanged, this, [this](int t) { setToken(t); });
    connect(fixedBox_, &QCheckBox::toggled, this, [this](bool on) { setFixedRange(on); });
    viewBox_->setCurrentIndex(static_cast<int>(view_));
    rebuild();
}

void RoutingHeatmap::retranslate() {
    const QSignalBlocker a(viewBox_), b(spanBox_);
    const int view = viewBox_->currentIndex(), span = spanBox_->currentIndex();
    viewBox_->clear();
    viewBox_->addItems({tr("Dialect router (layer × dialect)"), tr("Dialect-weighted experts (layer × expert)"),
                        tr("One token's experts (layer × expert)")});
    spanBox_->clear();
    spanBox_->addItems(
        {tr("Average over prompt tokens"), tr("Average over output tokens"), tr("Average over all tokens")});
    viewBox_->setCurrentIndex(view < 0 ? static_cast<int>(view_) : view);
    spanBox_->setCurrentIndex(span < 0 ? static_cast<int>(span_) : span);
    tokenLabel_->setText(tr("Token:"));
    fixedBox_->setText(tr("Fixed range [0, 1]"));
    emptyLabel_->setText(tr("No routing yet: generate with a MoMQ adapter to see how each layer routes the tokens."));
}

void RoutingHeatmap::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void RoutingHeatmap::setTrace(momq::RoutingTrace trace, QStringList tokenTexts) {
    trace_ = std::move(trace);
    tokenTexts_ = std::move(tokenTexts);
    tokenBox_->setRange(0, std::max(0, trace_.tokens() - 1));
    rebuild();
}

void RoutingHeatmap::clear() { setTrace({}); }

void RoutingHeatmap::setView(View view) {
    view_ = view;
    const QSignalBlocker block(viewBox_);
    viewBox_->setCurrentIndex(static_cast<int>(view));
    rebuild();
}

void RoutingHeatmap::setSpan(Span span) {
    span_ = span;
    const QSignalBlocker block(spanBox_);
    spanBox_->setCurrentIndex(static_cast<int>(span));
    rebuild();
}

void RoutingHeatmap::setToken(int token) {
    token_ = token;
    const QSignalBlocker block(tokenBox_);
    tokenBox_->setValue(token);
    rebuild();
}

void RoutingHeatmap::setFixedRange(bool fixed) {
    fixedRange_ = fixed;
    const QSignalBlocker block(fixedBox_);
    fixedBox_->setChecked(fixed);
    rebuild();
}

void RoutingHeatmap::rebuild() {
    const bool any = hasTrace();
    emptyLabel_->setVisible(!any);
    plot_->setVisible(any);
    tokenBox_->setEnabled(view_ == View::TokenExperts);
    spanBox_->setEnabled(view_ != View::TokenExperts);
    values_.clear();
    labels_.clear();
    rows_ = columns_ = 0;
    if (!any) return;
    const auto &t = trace_;
    const int T = t.tokens();
    int first = 0, last = T;
    if (span_ == Span::Prompt) last = t.promptTokens;
    if (span_ == Span::Output) first = std::min(t.promptTokens, T);
    if (first >= last) first = 0, last = T;  // an empty span falls back to all tokens
    const int perGroup = t.dialectCount > 0 ? t.expertCount / std::max(1, t.dialectCount) : t.expertCount;
    rows_ = t.layers;
    if (view_ == View::DialectWeights) {
        columns_ = t.dialectCount;
        values_.assign(static_cast<std::size_t>(rows_ * columns_), 0.0f);
        if (!t.dialectProbs.empty())
            for (int l = 0; l < rows_; ++l)
                for (int tok = first; tok < last; ++tok)
                    for (int d = 0; d < columns_; ++d)
                        values_[static_cast<std::size_t>(l * columns_ + d)] +=
                            t.dialectProbs[static_cast<std::size_t>((l * T + tok) * t.dialectCount + d)] /
                            static_cast<float>(last - first);
        for (const auto &d : t.dialects) labels_ << QString::fromStdString(d);
    } else {
        columns_ = t.expertCount;
        if (view_ == View::WeightedExperts) {
            values_ = t.weightedExpertAverage(first, last);
        } else {
            const int tok = std::clamp(token_, 0, T - 1);
            values_.assign(static_cast<std::size_t>(rows_ * columns_), 0.0f);
            for (int l = 0; l < rows_; ++l)
                for (int e = 0; e < columns_; ++e)
                    values_[static_cast<std::size_t>(l * columns_ + e)] =
                        t.expertProbs[static_cast<std::size_t>((l * T + tok) * t.expertCount + e)];
        }
        for (int e = 0; e < columns_; ++e) {
            const int g = perGroup > 0 ? e / perGroup : 0;
            labels_ << (g < static_cast<int>(t.dialects.size())
                            ? QString::fromStdString(t.dialects[static_cast<std::size_t>(g)])
                            : tr("shared")) +
                           QLatin1Char('/') + QString::number(perGroup > 0 ? e % perGroup : e);
        }
    }
    map_->data()->setSize(columns_, rows_);
    map_->data()->setRange(QCPRange(0, columns_ - 1), QCPRange(0, rows_ - 1));
    for (int l = 0; l < rows_; ++l)
        for (int c = 0; c < columns_; ++c)
            map_->data()->setCell(c, l, values_[static_cast<std::size_t>(l * columns_ + c)]);
    if (fixedRange_)
        map_->setDataRange(QCPRange(0, 1));
    else
        map_->rescaleDataRange(true);
    // Group names under the first expert of each group; ticks every column for dialect weights.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = view_ == View::DialectWeights ? 1 : std::max(1, perGroup);
    for (int c = 0; c < columns_; c += step)
        ticker->addTick(c, view_ == View::DialectWeights ? labels_[c] : labels_[c].section(QLatin1Char('/'), 0, 0));
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setLabel(view_ == View::DialectWeights ? tr("dialect group") : tr("expert (grouped by dialect)"));
    if (view_ == View::TokenExperts && token_ < tokenTexts_.size())
        plot_->xAxis->setLabel(tr("experts for token “%1”").arg(tokenTexts_[token_]));
    plot_->rescaleAxes();
    plot_->xAxis->setRange(-0.5, columns_ - 0.5);
    plot_->yAxis->setRange(-0.5, rows_ - 0.5);
    plot_->replot();
}

bool RoutingHeatmap::exportPng(const QString &file) { return plot_->savePng(file, 900, 500); }
bool RoutingHeatmap::exportPdf(const QString &file) { return plot_->savePdf(file, 900, 500); }
