// The training tab: a run's settings (method, data, the main hyperparameters with the spec's
// defaults, per-dialect limits), Start / Pause / Resume / Stop, and the live monitor. Runs through
// the engine facade, so training never blocks the window.
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

public Q_SLOTS:
    void start();
    void pause();
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
    QComboBox *method_;
    QDoubleSpinBox *lr_;
    QSpinBox *epochs_, *batch_, *rank_;
    QPushButton *start_, *pause_, *resume_;
    QLabel *status_;
    TrainingMonitor *monitor_;
};
