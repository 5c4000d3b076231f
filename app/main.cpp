// momq-studio: opens the project named on the command line, else the last one, else the
// embedded demo project.
#include "language.h"
#include "main_window.h"
#include "screenshots.h"

#include "momq/compute.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

int main(int argc, char **argv) {
    // Training and generation run side by side in this process: OpenMP threads must not spin long.
    momq::restartWithShortThreadSpins(argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MoMQ"));
    QApplication::setApplicationName(QStringLiteral("momq-studio"));
    QApplication::setApplicationDisplayName(QStringLiteral("MoMQ Studio"));
    QApplication::setApplicationVersion(QStringLiteral(MOMQ_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/momq-studio.png")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "MoMQ Studio: multi-dialect text-to-query"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open the embedded demo project."));
    QCommandLineOption language(QStringLiteral("language"),
                                QApplication::translate("main", "Interface language: en or zh_CN."),
                                QStringLiteral("code"));
    QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QApplication::translate("main", "Save a screenshot of every view into the folder, then quit."),
        QStringLiteral("folder"));
    QCommandLineOption devices(
        QStringLiteral("devices"),
        QApplication::translate("main", "Print the compute settings (libtorch, threads, CUDA) as JSON, then quit."));
    parser.addOption(screenshots);
    parser.addOption(devices);
    parser.addOption(demo);
    parser.addOption(language);
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "Project file to open."));
    parser.process(app);

    momq::configureCpuThreads(0);
    if (parser.isSet(devices)) {
        const auto info = momq::computeInfo();
        const QJsonObject report{{QStringLiteral("torch"), QString::fromStdString(info.torchVersion)},
                                 {QStringLiteral("cpu_cores"), info.cpuCores},
                                 {QStringLiteral("cpu_threads"), info.cpuThreads},
                                 {QStringLiteral("cuda_available"), info.cudaAvailable},
                                 {QStringLiteral("cuda_devices"), info.cudaDeviceCount},
                                 {QStringLiteral("openmp_wait_policy"), QString::fromStdString(info.openmpWaitPolicy)},
                                 {QStringLiteral("openmp_spin_count"), QString::fromStdString(info.openmpSpinCount)}};
        fputs(QJsonDocument(report).toJson().constData(), stdout);
        return 0;
    }
    QSettings settings;
    Language::apply(parser.isSet(language)
                        ? parser.value(language)
                        : settings.value(QStringLiteral("language"), QStringLiteral("en")).toString());

    MainWindow window;
    window.show();
    if (parser.isSet(screenshots)) {
        int status = 1;
        captureScreenshots(&window, parser.value(screenshots), [&](bool ok, const QString &message) {
            fprintf(ok ? stdout : stderr, "%s\n", qPrintable(message));
            status = ok ? 0 : 1;
            QApplication::quit();
        });
        app.exec();
        return status;
    }
    const QString last = settings.value(QStringLiteral("lastProject")).toString();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    else if (!parser.isSet(demo) && !last.isEmpty() && QFileInfo::exists(last))
        window.openProject(last);
    else
        window.openDemoProject();
    return app.exec();
}
