// Live charts of a training run (QCustomPlot): total, LM, dialect-router and balance losses,
// learning rate, gradient norm, tokens/s and the dialect-router load per group, with a display-only
// smoothing slider, a log scale for losses, earlier runs overlaid, and a progress bar with the
// time left. Steps may arrive faster than the screen: replots are coalesced to at most 25 a second.
#pragma once

#include "momq/trainer.h"

#include <QElapsedTimer>
#include <QWidget>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QSlider;
class QTimer;

class TrainingMonitor : public QWidget {
    Q_OBJECT
public:
    explicit TrainingMonitor(QWidget *parent = nullptr);

    void addStep(const momq::TrainStep &step);
    void reset();
    void runEnded();  // no time left to show once a run is over
    QString etaText() const;
    // An earlier run's total loss, drawn dashed behind the current one; reset() keeps it.
    void addOverlay(const QString &name, const std::vector<momq::TrainStep> &steps);
    void setSmoothing(double factor);  // 0 (raw) .. 0.99
    void setLogScale(bool on);
    void flush();  // draws what is waiting now, instead of at the next timer tick

    int stepCount() const { return static_cast<int>(steps_.size()); }
    int replotCount() const { return replots_; }
    int overlayCount() const { return overlays_; }
    static constexpr int kMinReplotIntervalMs = 40;  // 25 replots a second at most
    QList<QCustomPlot *> plots() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void replot();
    void retranslate();

    std::vector<momq::TrainStep> steps_;
    bool running_ = false;  // steps arrived and the run has not ended: the time left is shown
    double smoothing_ = 0.0;
    bool dirty_ = false;
    int replots_ = 0;
    QTimer *timer_;
    QCustomPlot *losses_, *rate_, *norm_, *speed_, *load_;
    QSlider *smoothingSlider_;
    QCheckBox *logBox_;
    QProgressBar *progress_;
    QLabel *eta_, *smoothingLabel_, *emptyLabel_;
    int overlays_ = 0;
};
