#include "training_page.h"

#include "engine_facade.h"
#include "path_field.h"
#include "training_monitor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

TrainingPage::TrainingPage(EngineFacade *engine, QWidget *parent) : QWidget(parent), engine_(engine) {
    const momq::TrainOptions defaults;
    model_ = new QLineEdit(this);
    data_ = new QLineEdit(this);
    schemas_ = new QLineEdit(this);
    out_ = new QLineEdit(this);
    limits_ = new QLineEdit(this);
    addBrowseAction(model_, PathKind::Folder);
    addBrowseAction(data_, PathKind::OpenFile, tr("Items (*.jsonl);;All files (*)"));
    addBrowseAction(schemas_, PathKind::Folder);
    addBrowseAction(out_, PathKind::Folder);
    method_ = new QComboBox(this);
    method_->addItems(
        {QStringLiteral("momq"), QStringLiteral("lora"), QStringLiteral("full"), QStringLiteral("single-dialect")});
    lr_ = new QDoubleSpinBox(this);
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 1.0);
    lr_->setSingleStep(1e-5);
    lr_->setValue(defaults.learningRate);
    epochs_ = new QSpinBox(this);
    epochs_->setRange(1, 100);
    epochs_->setValue(defaults.epochs);
    batch_ = new QSpinBox(this);
    batch_->setRange(1, 512);
    batch_->setValue(defaults.batchSize);
    rank_ = new QSpinBox(this);
    rank_->setRange(1, 256);
    rank_->setValue(defaults.adapter.rank);
    start_ = new QPushButton(this);
    pause_ = new QPushButton(this);
    stop_ = new QPushButton(this);
    resume_ = new QPushButton(this);
    earlier_ = new QComboBox(this);
    overlay_ = new QPushButton(this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    monitor_ = new TrainingMonitor(this);

    form_ = new QFormLayout;
    for (QWidget *w :
         std::initializer_list<QWidget *>{method_, model_, data_, schemas_, out_, limits_, lr_, epochs_, batch_, rank_})
        form_->addRow(QString(), w);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(pause_);
    buttons->addWidget(stop_);
    buttons->addWidget(resume_);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addLayout(form_);
    leftLayout->addLayout(buttons);
    auto *compare = new QHBoxLayout;
    compare->addWidget(earlier_, 1);
    compare->addWidget(overlay_);
    leftLayout->addLayout(compare);
    leftLayout->addWidget(status_);
    leftLayout->addStretch();
    auto *splitter = new QSplitter(this);
    splitter->setObjectName(QStringLiteral("trainingSplitter"));
    splitter->addWidget(left);
    splitter->addWidget(monitor_);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(start_, &QPushButton::clicked, this, &TrainingPage::start);
    connect(pause_, &QPushButton::clicked, this, &TrainingPage::pause);
    connect(stop_, &QPushButton::clicked, this, &TrainingPage::stop);
    connect(resume_, &QPushButton::clicked, this, &TrainingPage::resume);
    connect(overlay_, &QPushButton::clicked, this, [this] { overlayEarlierRun(earlier_->currentIndex()); });
    connect(engine_, &EngineFacade::trainingStep, monitor_, &TrainingMonitor::addStep);
    connect(engine_, &EngineFacade::trainingFinished, this, [this](bool stoppedEarly, const QString &message) {
        setRunning(false);
        const bool stopped = stopping_;
        stopping_ = false;
        resume_->setEnabled(stoppedEarly && !stopped);
        monitor_->runEnded();
        status_->setText(!stoppedEarly ? message
                         : stopped     ? tr("Stopped %1.").arg(message)
                                       : tr("Paused %1; Resume continues the run.").arg(message));
        Q_EMIT runEnded(stoppedEarly && !stopped, stopped);
    });
    retranslate();
    setRunning(false);
    resume_->setEnabled(false);
}

void TrainingPage::retranslate() {
    const QStringList labels = {
        tr("Method"),     tr("Base model folder"),  tr("Training items (JSONL)"), tr("Schema folder"),
        tr("Run folder"), tr("Per-dialect limits"), tr("Learning rate"),          tr("Epochs"),
        tr("Batch size"), tr("LoRA / expert rank")};
    for (int i = 0; i < labels.size(); ++i)
        if (auto *item = form_->itemAt(i, QFormLayout::LabelRole))
            static_cast<QLabel *>(item->widget())->setText(labels[i]);
        else
            form_->setWidget(i, QFormLayout::LabelRole, new QLabel(labels[i], this));
    limits_->setPlaceholderText(tr("e.g. mysql=3000,postgresql=128 (empty: all items)"));
    start_->setText(tr("Start"));
    pause_->setText(tr("Pause"));
    pause_->setToolTip(tr("Stop after this step with a checkpoint; Resume continues the run"));
    stop_->setText(tr("Stop"));
    stop_->setToolTip(tr("End the run after this step; its adapter so far is kept"));
    resume_->setText(tr("Resume"));
    overlay_->setText(tr("Overlay"));
    overlay_->setToolTip(tr("Draw this earlier run's total loss behind the current run"));
    setEarlierRuns(earlierRuns_);  // the empty-list entry is translated text
}

void TrainingPage::setEarlierRuns(const QList<EarlierRun> &runs) {
    earlierRuns_ = runs;
    earlier_->clear();
    for (const auto &run : runs) earlier_->addItem(run.name);
    if (runs.isEmpty()) earlier_->addItem(tr("(no earlier runs in this project)"));
    earlier_->setEnabled(!runs.isEmpty());
    overlay_->setEnabled(!runs.isEmpty());
}

int TrainingPage::earlierRunCount() const { return earlierRuns_.size(); }

bool TrainingPage::overlayEarlierRun(int index) {
    if (index < 0 || index >= earlierRuns_.size()) return false;
    const auto &run = earlierRuns_[index];
    try {
        monitor_->addOverlay(run.name, momq::readTrainingMetrics(run.metricsPath.toStdString()));
        return true;
    } catch (const std::exception &e) {
        status_->setText(tr("Cannot overlay %1: %2").arg(run.name, QString::fromStdString(e.what())));
        return false;
    }
}

QString TrainingPage::statusText() const { return status_->text(); }
bool TrainingPage::canResume() const { return resume_->isEnabled(); }

void TrainingPage::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

momq::TrainOptions TrainingPage::options() const {
    momq::TrainOptions o;
    o.adapter.method = momq::trainMethodFromName(method_->currentText().toStdString());
    if (o.adapter.method == momq::TrainMethod::Lora || o.adapter.method == momq::TrainMethod::SingleDialect)
        o.adapter.targets = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    o.modelDir = model_->text().toStdString();
    o.dataPath = data_->text().toStdString();
    o.schemaDir = schemas_->text().toStdString();
    o.outDir = out_->text().toStdString();
    if (!limits_->text().trimmed().isEmpty())
        o.perDialectLimit = momq::parseDialectLimits(limits_->text().trimmed().toStdString());
    o.learningRate = lr_->value();
    o.epochs = epochs_->value();
    o.batchSize = batch_->value();
    o.adapter.rank = rank_->value();
    o.adapter.alpha = 2.0 * rank_->value();
    return o;
}

void TrainingPage::setModelDir(const QString &dir) { model_->setText(dir); }
void TrainingPage::setData(const QString &itemsJsonl, const QString &schemaDir) {
    data_->setText(itemsJsonl);
    schemas_->setText(schemaDir);
}
void TrainingPage::setOutDir(const QString &dir) { out_->setText(dir); }

void TrainingPage::setRunning(bool running) {
    start_->setEnabled(!running);
    pause_->setEnabled(running);
    stop_->setEnabled(running);
    resume_->setEnabled(!running && resume_->isEnabled());
}

void TrainingPage::launch(bool resume) {
    try {
        auto o = options();
        o.resume = resume;
        if (!resume) monitor_->reset();
        setRunning(true);
        status_->setText(resume ? tr("Resuming from the last checkpoint…") : tr("Training…"));
        if (engine_->startTraining(o))
            Q_EMIT runStarted(o, resume);
        else
            setRunning(false);
    } catch (const std::exception &e) {
        setRunning(false);
        status_->setText(QString::fromStdString(e.what()));
    }
}

void TrainingPage::start() { launch(false); }
void TrainingPage::resume() { launch(true); }
void TrainingPage::pause() {
    status_->setText(tr("Pausing after this step…"));
    engine_->stopTraining();
}

void TrainingPage::stop() {
    stopping_ = true;
    status_->setText(tr("Stopping after this step…"));
    engine_->stopTraining();
}
