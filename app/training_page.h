// The training tab: a run's settings (method, data, the main hyperparameters with the spec's
// defaults, per-dialect limits), Start / Pause / Resume / Stop, the live monitor, and earlier runs
// to overlay. Runs through the engine facade, so training never blocks the window.
#pragma once

#include "momq/trainer.h"

#include <QWidget>

class EngineFacade;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class TrainingMonitor;

class TrainingPage : public QWidget {
    Q_OBJECT
public:
    TrainingPage(EngineFacade *engine, QWidget *parent = nullptr);

    momq::TrainOptions options() const;  // from the form
    void setModelDir(const QString &dir);
    void setData(const QString &itemsJsonl, const QString &schemaDir);
    void setOutDir(const QString &dir);
    TrainingMonitor *monitor() const { return monitor_; }

    // Earlier runs to compare with: a name and the run's metrics.jsonl.
    struct EarlierRun {
        QString name, metricsPath;
    };
    void setEarlierRuns(const QList<EarlierRun> &runs);
    int earlierRunCount() const;
    // Draws that run's total loss behind the live one; false (said in the status) when its metrics
    // cannot be read.
    bool overlayEarlierRun(int index);
    QString statusText() const;
    bool canResume() const;

Q_SIGNALS:
    void runStarted(const momq::TrainOptions &options, bool resumed);
    // paused: stopped early with Pause (Resume continues it); stopped: ended for good with Stop.
    void runEnded(bool paused, bool stopped);

public Q_SLOTS:
    void start();
    void pause();
    void stop();
    void resume();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void setRunning(bool running);
    void launch(bool resume);

    EngineFacade *engine_;
    QFormLayout *form_;
    QLineEdit *model_, *data_, *schemas_, *out_, *limits_;
    QComboBox *method_, *earlier_;
    QDoubleSpinBox *lr_;
    QSpinBox *epochs_, *batch_, *rank_;
    QPushButton *start_, *pause_, *resume_, *stop_, *overlay_;
    bool stopping_ = false;
    QList<EarlierRun> earlierRuns_;
    QLabel *status_;
    TrainingMonitor *monitor_;
};
