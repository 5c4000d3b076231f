#include "training_monitor.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

namespace {

// The losses graph order; the first overlays_ graphs after these are earlier runs.
enum LossGraph { Total, Lm, Drl, Balance, LossGraphs };

QCustomPlot *makePlot(QWidget *parent) {
    auto *p = new QCustomPlot(parent);
    p->setMinimumSize(260, 160);
    p->setNoAntialiasingOnDrag(true);
    return p;
}

std::vector<double> smoothed(const std::vector<double> &v, double factor) {
    std::vector<double> out(v.size());
    double s = 0;
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = s = i == 0 ? v[i] : factor * s + (1 - factor) * v[i];
    return out;
}

QString duration(double seconds) {
    const auto s = static_cast<long>(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600, 2, 10, QLatin1Char('0'))
        .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

}  // namespace

TrainingMonitor::TrainingMonitor(QWidget *parent) : QWidget(parent) {
    losses_ = makePlot(this);
    rate_ = makePlot(this);
    norm_ = makePlot(this);
    speed_ = makePlot(this);
    load_ = makePlot(this);
    const QList<QColor> colours = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                   QColor(0xd6, 0x27, 0x28)};
    for (int g = 0; g < LossGraphs; ++g) losses_->addGraph()->setPen(QPen(colours[g], 1.5));
    losses_->legend->setVisible(true);
    for (auto *p : {rate_, norm_, speed_}) p->addGraph()->setPen(QPen(colours[0], 1.5));
    new QCPBars(load_->xAxis, load_->yAxis);

    smoothingSlider_ = new QSlider(Qt::Horizontal, this);
    smoothingSlider_->setRange(0, 99);
    smoothingLabel_ = new QLabel(this);
    logBox_ = new QCheckBox(this);
    progress_ = new QProgressBar(this);
    eta_ = new QLabel(this);
    emptyLabel_ = new QLabel(this);
    emptyLabel_->setAlignment(Qt::AlignCenter);

    auto *controls = new QHBoxLayout;
    controls->addWidget(smoothingLabel_);
    controls->addWidget(smoothingSlider_, 1);
    controls->addWidget(logBox_);
    controls->addWidget(progress_, 2);
    controls->addWidget(eta_);
    auto *grid = new QGridLayout;
    grid->addWidget(losses_, 0, 0, 1, 2);
    grid->addWidget(rate_, 1, 0);
    grid->addWidget(norm_, 1, 1);
    grid->addWidget(speed_, 2, 0);
    grid->addWidget(load_, 2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(emptyLabel_);
    layout->addLayout(grid, 1);

    timer_ = new QTimer(this);
    timer_->setInterval(kMinReplotIntervalMs);
    connect(timer_, &QTimer::timeout, this, [this] {
        if (dirty_)
            replot();
        else
            timer_->stop();
    });
    connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    connect(logBox_, &QCheckBox::toggled, this, &TrainingMonitor::setLogScale);
    retranslate();
    replot();
}

QList<QCustomPlot *> TrainingMonitor::plots() const { return {losses_, rate_, norm_, speed_, load_}; }

void TrainingMonitor::retranslate() {
    losses_->graph(Total)->setName(tr("total loss"));
    losses_->graph(Lm)->setName(tr("LM loss"));
    losses_->graph(Drl)->setName(tr("dialect router loss"));
    losses_->graph(Balance)->setName(tr("balance loss"));
    losses_->xAxis->setLabel(tr("step"));
    rate_->yAxis->setLabel(tr("learning rate"));
    norm_->yAxis->setLabel(tr("gradient norm"));
    speed_->yAxis->setLabel(tr("tokens/s"));
    load_->yAxis->setLabel(tr("router load per dialect group"));
    smoothingLabel_->setText(tr("Smoothing"));
    logBox_->setText(tr("Log scale"));
    emptyLabel_->setText(tr("No run yet: configure one and press Start; its curves appear here as it trains."));
    if (running_ && !steps_.empty()) eta_->setText(tr("%1 left").arg(duration(steps_.back().secondsLeft)));
}

void TrainingMonitor::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void TrainingMonitor::addStep(const momq::TrainStep &step) {
    steps_.push_back(step);
    running_ = true;
    progress_->setRange(0, static_cast<int>(step.totalSteps));
    progress_->setValue(static_cast<int>(step.step));
    eta_->setText(tr("%1 left").arg(duration(step.secondsLeft)));
    dirty_ = true;
    if (!timer_->isActive()) {  // the first step of a burst draws at once; the rest wait for the timer
        replot();
        timer_->start();
    }
}

void TrainingMonitor::flush() {
    if (dirty_) replot();
}

void TrainingMonitor::reset() {
    steps_.clear();
    for (int g = 0; g < LossGraphs; ++g) losses_->graph(g)->data()->clear();  // overlays stay
    progress_->reset();
    runEnded();
    replot();
}

void TrainingMonitor::runEnded() {
    running_ = false;
    eta_->clear();
}

QString TrainingMonitor::etaText() const { return eta_->text(); }

void TrainingMonitor::addOverlay(const QString &name, const std::vector<momq::TrainStep> &steps) {
    auto *g = losses_->addGraph();
    g->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    g->setName(name);
    for (const auto &s : steps) g->addData(static_cast<double>(s.step), s.totalLoss);
    ++overlays_;
    dirty_ = true;
    replot();
}

void TrainingMonitor::setSmoothing(double factor) {
    smoothing_ = std::clamp(factor, 0.0, 0.99);
    const QSignalBlocker block(smoothingSlider_);
    smoothingSlider_->setValue(static_cast<int>(smoothing_ * 100));
    replot();
}

void TrainingMonitor::setLogScale(bool on) {
    const QSignalBlocker block(logBox_);
    logBox_->setChecked(on);
    losses_->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        losses_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        losses_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    replot();
}

void TrainingMonitor::replot() {
    dirty_ = false;
    ++replots_;
    emptyLabel_->setVisible(steps_.empty() && overlays_ == 0);
    QVector<double> x;
    std::vector<double> total, lm, drl, bal, lr, norm, speed;
    for (const auto &s : steps_) {
        x << static_cast<double>(s.step);
        total.push_back(s.totalLoss);
        lm.push_back(s.lmLoss);
        drl.push_back(s.dialectRouterLoss);
        bal.push_back(s.balanceLoss);
        lr.push_back(s.learningRate);
        norm.push_back(s.gradientNorm);
        speed.push_back(s.tokensPerSecond);
    }
    auto set = [&](QCPGraph *g, const std::vector<double> &v, bool smooth) {
        const auto shown = smooth ? smoothed(v, smoothing_) : v;
        g->setData(x, QVector<double>(shown.begin(), shown.end()), true);
    };
    set(losses_->graph(Total), total, true);
    set(losses_->graph(Lm), lm, true);
    set(losses_->graph(Drl), drl, true);
    set(losses_->graph(Balance), bal, true);
    set(rate_->graph(0), lr, false);
    set(norm_->graph(0), norm, true);
    set(speed_->graph(0), speed, true);
    auto *bars = qobject_cast<QCPBars *>(load_->plottable(0));
    bars->data()->clear();
    if (!steps_.empty())
        for (std::size_t g = 0; g < steps_.back().routingLoad.size(); ++g)
            bars->addData(static_cast<double>(g), steps_.back().routingLoad[g]);
    for (auto *p : plots()) {
        p->rescaleAxes();
        p->replot(QCustomPlot::rpQueuedReplot);
    }
}
