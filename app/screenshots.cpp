#include "screenshots.h"

#include "authoring_view.h"
#include "engine_facade.h"
#include "evaluation_view.h"
#include "main_window.h"
#include "routing_heatmap.h"
#include "training_monitor.h"
#include "training_page.h"

#include "momq/demo_project.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTabWidget>
#include <QTimer>

namespace {

struct Capture {
    MainWindow *window;
    QString dir;
    std::function<void(bool, const QString &)> done;
    QStringList written;

    bool grab(int tab, const QString &name) {
        window->tabs()->setCurrentIndex(tab);
        window->repaint();
        const QString file = dir + QLatin1Char('/') + name + QStringLiteral(".png");
        if (!window->grab().save(file)) return false;
        written << file;
        return true;
    }
};

// The demo run's metrics, so the training view shows real curves.
void showDemoRun(TrainingMonitor *monitor) {
    QFile file(QString::fromStdString(momq::findResourceDir()) + QStringLiteral("/demo/metrics.jsonl"));
    if (!file.open(QIODevice::ReadOnly)) return;
    for (const auto &line : file.readAll().split('\n')) {
        const auto o = QJsonDocument::fromJson(line).object();
        if (o.isEmpty()) continue;
        momq::TrainStep s;
        s.step = o.value(QStringLiteral("step")).toInteger();
        s.totalLoss = o.value(QStringLiteral("total")).toDouble();
        s.lmLoss = o.value(QStringLiteral("lm_loss")).toDouble();
        s.dialectRouterLoss = o.value(QStringLiteral("drl")).toDouble();
        s.balanceLoss = o.value(QStringLiteral("balance")).toDouble();
        s.learningRate = o.value(QStringLiteral("lr")).toDouble();
        s.gradientNorm = o.value(QStringLiteral("grad_norm")).toDouble();
        s.tokensPerSecond = o.value(QStringLiteral("tokens_per_s")).toDouble();
        for (const auto &v : o.value(QStringLiteral("routing_load")).toArray()) s.routingLoad.push_back(v.toDouble());
        s.totalSteps = s.step;  // the run is complete: every step is the last so far
        monitor->addStep(s);
    }
}

} // namespace

void captureScreenshots(MainWindow *window, const QString &dir, std::function<void(bool, const QString &)> done) {
    QDir().mkpath(dir);
    auto capture = std::make_shared<Capture>(Capture{window, dir, std::move(done), {}});
    auto *engine = window->engine();
    auto *authoring = window->authoringView();
    auto fail = [capture](const QString &why) { capture->done(false, why); };

    QObject::connect(engine, &EngineFacade::modelLoaded, window, [=] {
        authoring->setCurrentDatabase(QStringLiteral("basketball"));
        authoring->setQuestion(QStringLiteral("How many players are there?"));
        authoring->requestGeneration();
    }, Qt::SingleShotConnection);
    QObject::connect(engine, &EngineFacade::generationFinished, window, [=] {
        authoring->setCurrentDialect(QStringLiteral("sqlite"));
        authoring->requestRun();
        QTimer::singleShot(1500, window, [=] {  // the run's result arrives on its own; give it a moment
            bool ok = capture->grab(0, QStringLiteral("schemas")) && capture->grab(1, QStringLiteral("queries"));
            showDemoRun(window->trainingPage()->monitor());
            window->trainingPage()->monitor()->flush();
            ok = ok && capture->grab(2, QStringLiteral("training"));
            auto *routing = window->routingView();
            routing->setView(RoutingHeatmap::View::DialectWeights);
            ok = ok && capture->grab(3, QStringLiteral("routing-dialects"));
            routing->setView(RoutingHeatmap::View::WeightedExperts);
            ok = ok && capture->grab(3, QStringLiteral("routing-experts"));
            const QString report = QString::fromStdString(momq::findResourceDir()) + QStringLiteral("/demo/report.json");
            if (QFile::exists(report)) window->evaluationView()->loadReport(0, report);
            ok = ok && capture->grab(4, QStringLiteral("evaluation"));
            if (ok) capture->done(true, capture->written.join(QLatin1Char('\n')));
            else fail(QStringLiteral("cannot write the screenshots into ") + capture->dir);
        });
    }, Qt::SingleShotConnection);
    QObject::connect(engine, &EngineFacade::errorOccurred, window, [=](const QString &where, const QString &message) {
        if (where == QLatin1String("model")) fail(message);
    });
    window->resize(1280, 800);
    if (!window->openDemoProject()) fail(QStringLiteral("cannot open the demo project"));
}
