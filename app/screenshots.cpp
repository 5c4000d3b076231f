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
    for (auto step : momq::readTrainingMetrics(momq::findResourceDir() + "/demo/metrics.jsonl")) {
        step.totalSteps = step.step;  // the run is complete: every step is the last so far
        monitor->addStep(step);
    }
}

}  // namespace

void captureScreenshots(MainWindow *window, const QString &dir, std::function<void(bool, const QString &)> done) {
    QDir().mkpath(dir);
    auto capture = std::make_shared<Capture>(Capture{window, dir, std::move(done), {}});
    auto *engine = window->engine();
    auto *authoring = window->authoringView();
    auto fail = [capture](const QString &why) { capture->done(false, why); };

    QObject::connect(
        engine, &EngineFacade::modelLoaded, window,
        [=] {
            authoring->setCurrentDatabase(QStringLiteral("basketball"));
            authoring->setQuestion(QStringLiteral("How many players are there?"));
            authoring->requestGeneration();
        },
        Qt::SingleShotConnection);
    QObject::connect(
        engine, &EngineFacade::generationFinished, window,
        [=] {
            authoring->setCurrentDialect(QStringLiteral("sqlite"));
            authoring->requestRun();
            QTimer::singleShot(1500, window, [=] {  // the run's result arrives on its own; give it a moment
                bool ok = capture->grab(0, QStringLiteral("schemas")) && capture->grab(1, QStringLiteral("queries"));
                try {
                    showDemoRun(window->trainingPage()->monitor());
                } catch (const std::exception &e) {
                    fail(QString::fromStdString(e.what()));
                    return;
                }
                window->trainingPage()->monitor()->flush();
                ok = ok && capture->grab(2, QStringLiteral("training"));
                auto *routing = window->routingView();
                routing->setView(RoutingHeatmap::View::DialectWeights);
                ok = ok && capture->grab(3, QStringLiteral("routing-dialects"));
                routing->setView(RoutingHeatmap::View::WeightedExperts);
                ok = ok && capture->grab(3, QStringLiteral("routing-experts"));
                const QString report =
                    QString::fromStdString(momq::findResourceDir()) + QStringLiteral("/demo/report.json");
                if (QFile::exists(report)) window->evaluationView()->loadReport(0, report);
                ok = ok && capture->grab(4, QStringLiteral("evaluation"));
                if (ok)
                    capture->done(true, capture->written.join(QLatin1Char('\n')));
                else
                    fail(QStringLiteral("cannot write the screenshots into ") + capture->dir);
            });
        },
        Qt::SingleShotConnection);
    QObject::connect(engine, &EngineFacade::errorOccurred, window, [=](const QString &where, const QString &message) {
        if (where == QLatin1String("model")) fail(message);
    });
    window->resize(1280, 800);
    if (!window->openDemoProject()) fail(QStringLiteral("cannot open the demo project"));
}
