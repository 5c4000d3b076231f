#include "main_window.h"

#include "authoring_view.h"
#include "engine_facade.h"
#include "evaluation_view.h"
#include "import_database_dialog.h"
#include "query_history_view.h"
#include "language.h"
#include "schema_browser.h"
#include "routing_heatmap.h"
#include "routing_page.h"
#include "secret_keychain.h"
#include "training_monitor.h"
#include "training_page.h"

#include "momq/dataset.h"
#include "momq/demo_project.h"
#include "momq/evaluation.h"
#include "momq/files.h"
#include "momq/introspect.h"
#include "momq/dialect.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>

#include <memory>
#include <variant>

namespace {
constexpr int kMaxRecent = 8;
QString q(const std::string &s) { return QString::fromStdString(s); }
}  // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent), browser_(new SchemaBrowser(this)), keychain_(new SecretKeychain(this)),
      engine_(new EngineFacade(this)), tabs_(new QTabWidget(this)), authoring_(new AuthoringView(this)),
      history_(new QueryHistoryView(this)), training_(new TrainingPage(engine_, this)), routing_(new RoutingPage(this)),
      evaluation_(new EvaluationView(this)) {
    setObjectName(QStringLiteral("mainWindow"));
    tabs_->addTab(browser_, QString());
    auto *queries = new QSplitter(this);
    queries->setObjectName(QStringLiteral("queriesSplitter"));
    queries->addWidget(authoring_);
    queries->addWidget(history_);
    queries->setStretchFactor(0, 3);
    queries->setStretchFactor(1, 2);
    tabs_->addTab(queries, QString());
    tabs_->addTab(training_, QString());
    tabs_->addTab(routing_, QString());
    tabs_->addTab(evaluation_, QString());
    setCentralWidget(tabs_);
    connectEngine();
    createMenus();
    retranslate();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    for (auto *splitter : findChildren<QSplitter *>())  // the panes' sizes, by the splitters' names
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(
                settings.value(QStringLiteral("window/splitters/") + splitter->objectName()).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) resize(1000, 700);

    connect(keychain_, &SecretKeychain::stored, this, [this](const QString &, bool ok, const QString &error) {
        if (!ok)
            statusBar()->showMessage(tr("No system keychain available (%1): MoMQ Studio will ask for this "
                                        "password each time it is needed.")
                                         .arg(error),
                                     10000);
    });
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus() {
    projectMenu_ = menuBar()->addMenu(QString());
    newAction_ = projectMenu_->addAction(QString(), QKeySequence::New, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("New Project"), QDir::homePath(), tr("MoMQ projects (*.momq)"));
        if (!path.isEmpty())
            createProject(path.endsWith(QLatin1String(".momq")) ? path : path + QStringLiteral(".momq"));
    });
    openAction_ = projectMenu_->addAction(QString(), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QDir::homePath(),
                                                          tr("MoMQ projects (*.momq);;All files (*)"));
        if (!path.isEmpty()) openProject(path);
    });
    recentMenu_ = projectMenu_->addMenu(QString());
    recentMenu_->setObjectName(QStringLiteral("recentMenu"));
    demoAction_ = projectMenu_->addAction(QString(), this, [this] { openDemoProject(); });
    projectMenu_->addSeparator();
    quitAction_ = projectMenu_->addAction(QString(), QKeySequence::Quit, this, &QWidget::close);

    databaseMenu_ = menuBar()->addMenu(QString());
    importDbAction_ = databaseMenu_->addAction(QString(), this, [this] {
        ImportDatabaseDialog dialog(this);
        if (dialog.exec() == QDialog::Accepted)
            importFromDatabase(dialog.settings(), dialog.connectionName(), dialog.rememberPassword());
    });
    importDbAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    importJsonAction_ = databaseMenu_->addAction(QString(), this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Import Schema File"), QDir::homePath(), tr("Schema files (*.json)"));
        if (!file.isEmpty()) importSchemaFile(file);
    });
    refreshAction_ = databaseMenu_->addAction(QString(), this, &MainWindow::refreshCurrentSchema);
    refreshAction_->setShortcut(
        QKeySequence(Qt::Key_F5));  // not QKeySequence::Refresh: that is Ctrl+R too here, which runs a query

    settingsMenu_ = menuBar()->addMenu(QString());
    languageMenu_ = settingsMenu_->addMenu(QString());
    auto *languages = new QActionGroup(this);
    for (const QString &code : Language::available()) {
        QAction *a = languageMenu_->addAction(Language::displayName(code), this, [this, code] { setLanguage(code); });
        a->setCheckable(true);
        a->setChecked(code == Language::current());
        a->setData(code);
        languages->addAction(a);
    }

    helpMenu_ = menuBar()->addMenu(QString());
    aboutAction_ = helpMenu_->addAction(QString(), this, [this] {
        QMessageBox::about(this, tr("About MoMQ Studio"),
                           tr("<b>MoMQ Studio</b> %1<br>Turns questions and database schemas into queries in "
                              "several dialects (MySQL, PostgreSQL, Cypher, nGQL) with a Mixture-of-Experts "
                              "model (MoMQ).")
                               .arg(QStringLiteral(MOMQ_VERSION)));
    });
    setImporting(false);
    rebuildRecentMenu();
}

void MainWindow::retranslate() {
    projectMenu_->setTitle(tr("&Project"));
    newAction_->setText(tr("&New Project…"));
    openAction_->setText(tr("&Open Project…"));
    recentMenu_->setTitle(tr("Open &Recent"));
    demoAction_->setText(tr("Open &Demo Project"));
    quitAction_->setText(tr("&Quit"));
    databaseMenu_->setTitle(tr("&Database"));
    importDbAction_->setText(tr("Import Schema from &Database…"));
    importJsonAction_->setText(tr("Import Schema from &JSON File…"));
    refreshAction_->setText(tr("&Refresh Schema from Its Database"));
    settingsMenu_->setTitle(tr("&Settings"));
    languageMenu_->setTitle(tr("&Language"));
    helpMenu_->setTitle(tr("&Help"));
    aboutAction_->setText(tr("&About MoMQ Studio"));
    rebuildRecentMenu();
    tabs_->setTabText(0, tr("Schemas"));
    tabs_->setTabText(1, tr("Queries"));
    tabs_->setTabText(2, tr("Training"));
    tabs_->setTabText(3, tr("Routing"));
    tabs_->setTabText(4, tr("Evaluation"));
    setWindowTitle(store_ ? tr("%1 — MoMQ Studio").arg(QFileInfo(projectPath()).fileName()) : tr("MoMQ Studio"));
}

void MainWindow::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    for (auto *splitter : findChildren<QSplitter *>())
        if (!splitter->objectName().isEmpty())
            settings.setValue(QStringLiteral("window/splitters/") + splitter->objectName(), splitter->saveState());
    event->accept();
}

QString MainWindow::projectPath() const { return store_ ? q(store_->path()) : QString(); }

void MainWindow::reportError(const QString &message) {
    Q_EMIT errorReported(message);
    auto *box = new QMessageBox(QMessageBox::Critical, tr("MoMQ Studio"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();  // window-modal, never blocks the event loop
}

void MainWindow::useStore(momq::ProjectStore store) {
    store_ = std::move(store);
    const QString path = projectPath();
    rememberRecent(path);
    QSettings().setValue(QStringLiteral("lastProject"), path);
    reloadSchemas();
    loadProjectModel();
    listEarlierRuns();
    suggestTrainingRun();
    suggestEvaluation();
    refreshHistory();
    listRoutingItems();
    retranslate();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    Q_EMIT projectOpened(path);
}

bool MainWindow::openProject(const QString &path) {
    try {
        useStore(momq::ProjectStore::open(path.toStdString()));
        return true;
    } catch (const std::exception &e) {
        reportError(tr("Cannot open the project: %1").arg(q(e.what())));
        return false;
    }
}

bool MainWindow::createProject(const QString &path) {
    try {
        useStore(momq::ProjectStore::create(path.toStdString()));
        return true;
    } catch (const std::exception &e) {
        reportError(tr("Cannot create the project: %1").arg(q(e.what())));
        return false;
    }
}

bool MainWindow::openDemoProject() {
    try {
        useStore(momq::openDemoProject(momq::defaultDemoProjectDir(), momq::findResourceDir()));
        return true;
    } catch (const std::exception &e) {
        reportError(tr("Cannot open the demo project: %1").arg(q(e.what())));
        return false;
    }
}

void MainWindow::reloadSchemas() {
    std::vector<momq::Schema> schemas;
    if (store_)
        for (auto &record : store_->schemas()) schemas.push_back(std::move(record.schema));
    // The authoring view lists databases once: a domain's graph form "<db>_graph" goes with "<db>".
    QStringList dbIds;
    for (const auto &s : schemas) dbIds << q(s.dbId);
    QStringList shown;
    for (const auto &id : dbIds)
        if (!(id.endsWith(QLatin1String("_graph")) && dbIds.contains(id.chopped(6)))) shown << id;
    authoring_->setDatabases(shown);
    browser_->setSchemas(schemas);
}

void MainWindow::connectEngine() {
    connect(authoring_, &AuthoringView::generateRequested, this, &MainWindow::generateQueries);
    connect(authoring_, &AuthoringView::cancelRequested, engine_, &EngineFacade::cancelGeneration);
    connect(authoring_, &AuthoringView::runRequested, this, &MainWindow::runQuery);
    connect(engine_, &EngineFacade::modelLoaded, this, [this](const QString &description) {
        authoring_->setModelReady(true, description);
        statusBar()->showMessage(tr("Model loaded: %1").arg(description), 5000);
    });
    connect(engine_, &EngineFacade::tokenGenerated, this,
            [this](int request, const QString &dialect, const QString &text) {
                if (request == generationRequest_) authoring_->appendToken(dialect, text);
            });
    connect(engine_, &EngineFacade::dialectGenerated, this,
            [this](int request, const QString &dialect, const QString &query, const momq::RoutingTrace &trace,
                   const QStringList &tokens) {
                if (request == routingRequest_) {
                    routing_->heatmap()->setTrace(trace, tokens);
                    routing_->showItemResult(query);
                    return;
                }
                if (request != generationRequest_) return;
                authoring_->finishDialect(dialect, query);
                if (trace.layers > 0) {
                    routing_->heatmap()->setTrace(trace, tokens);
                    routing_->showGeneration(authoring_->question());
                }
                if (store_) {
                    momq::GeneratedQuery record;
                    record.dbId = authoring_->currentDatabase().toStdString();
                    record.dialect = dialect.toStdString();
                    record.question = authoring_->question().toStdString();
                    record.query = query.toStdString();
                    try {
                        store_->addGeneratedQuery(record);  // the history, kept in the project
                        refreshHistory();
                    } catch (const std::exception &e) {
                        statusBar()->showMessage(tr("Cannot save the query history: %1").arg(q(e.what())), 5000);
                    }
                }
            });
    connect(engine_, &EngineFacade::queryChecked, this,
            [this](int request, const QString &dialect, const QString &summary, bool valid) {
                if (request == generationRequest_) authoring_->showCheck(dialect, summary, valid);
            });
    connect(engine_, &EngineFacade::generationFinished, this, [this](int request, bool cancelled) {
        if (request == generationRequest_) authoring_->finishGeneration(cancelled);
    });
    connect(engine_, &EngineFacade::queryFinished, this, [this](int request, const momq::QueryResult &result) {
        if (request == queryRequest_) authoring_->showResult(result);
    });
    connect(engine_, &EngineFacade::accountWarning, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Warning: %1").arg(message), 15000); });
    connect(engine_, &EngineFacade::queryFailed, this, [this](int request, const QString &message) {
        if (request == queryRequest_) authoring_->showError(message);
    });
    connect(history_, &QueryHistoryView::filterChanged, this, &MainWindow::refreshHistory);
    connect(history_, &QueryHistoryView::favouriteChanged, this, [this](qint64 id, bool favourite) {
        if (!store_) return;
        try {
            store_->setFavourite(id, favourite);
        } catch (const std::exception &e) {
            reportError(tr("Cannot save the favourite: %1").arg(q(e.what())));
        }
        if (history_->favouritesOnly()) refreshHistory();
    });
    connect(history_, &QueryHistoryView::entryActivated, this,
            [this](const QString &dbId, const QString &dialect, const QString &question, const QString &query) {
                authoring_->setCurrentDatabase(dbId);
                authoring_->setQuestion(question);
                authoring_->finishDialect(dialect, query);
                authoring_->setCurrentDialect(dialect);
            });
    connect(evaluation_, &EvaluationView::runRequested, this, &MainWindow::startEvaluation);
    connect(evaluation_, &EvaluationView::cancelRequested, engine_, &EngineFacade::cancelEvaluation);
    connect(engine_, &EngineFacade::evaluationProgress, evaluation_, &EvaluationView::setRunProgress);
    connect(engine_, &EngineFacade::evaluationFinished, this, [this](bool cancelled, const QString &reportPath) {
        evaluation_->finishRun(!cancelled, cancelled ? tr("cancelled") : reportPath);
        if (!cancelled && evaluationRun_) recordEvaluation(*evaluationRun_);
        evaluationRun_.reset();
        if (!cancelled) suggestEvaluation();  // the next run writes a new report
    });
    connect(routing_, &RoutingPage::traceRequested, this, &MainWindow::traceItem);
    connect(training_, &TrainingPage::runStarted, this, &MainWindow::recordTrainingRun);
    connect(engine_, &EngineFacade::trainingStep, this, [this](const momq::TrainStep &step) {
        if (!store_ || !trainingRunId_) return;
        try {
            store_->appendRunMetrics(*trainingRunId_, step.step, step.toJson());
        } catch (const std::exception &e) {
            statusBar()->showMessage(tr("Cannot record the training step: %1").arg(q(e.what())), 5000);
        }
    });
    connect(training_, &TrainingPage::runEnded, this, [this](bool paused, bool stopped) {
        if (!store_ || !trainingRunId_) return;
        try {
            store_->setTrainingRunStatus(*trainingRunId_, trainingFailed_ ? momq::RunStatus::Failed
                                                          : stopped       ? momq::RunStatus::Stopped
                                                          : paused        ? momq::RunStatus::Paused
                                                                          : momq::RunStatus::Finished);
        } catch (const std::exception &e) {
            statusBar()->showMessage(tr("Cannot record the training run: %1").arg(q(e.what())), 5000);
        }
        trainingRunId_.reset();
        listEarlierRuns();
        if (!paused) suggestTrainingRun();  // a paused run keeps its folder for Resume
    });
    connect(engine_, &EngineFacade::errorOccurred, this, [this](const QString &where, const QString &message) {
        if (where == QLatin1String("train")) trainingFailed_ = true;
        if (where == QLatin1String("evaluation")) {
            evaluation_->finishRun(false, message);
            Q_EMIT errorReported(message);
            return;
        }
        authoring_->showError(tr("%1: %2").arg(where, message));
        Q_EMIT errorReported(message);
    });
}

// A run started from the Training tab goes into the project, so that it can be overlaid later and
// its adapter loaded; a resumed run is the record with the same run folder.
void MainWindow::recordTrainingRun(const momq::TrainOptions &options, bool resumed) {
    trainingFailed_ = false;
    trainingRunId_.reset();
    if (!store_) return;
    try {
        const QString runDir = QFileInfo(q(options.outDir)).absoluteFilePath();
        for (const auto &run : store_->trainingRuns())
            if (resumed && q(run.runDir) == runDir) trainingRunId_ = run.id;
        if (!trainingRunId_) {
            momq::TrainingRunRecord run;
            run.name = QFileInfo(runDir).fileName().toStdString();
            run.method = momq::trainMethodName(options.adapter.method);
            run.runDir = runDir.toStdString();
            run.configJson = momq::adapterConfigToJson(options.adapter);
            for (const auto &m : store_->models())
                if (QFileInfo(q(m.path)) == QFileInfo(q(options.modelDir))) run.modelId = m.id;
            trainingRunId_ = store_->addTrainingRun(run);
        }
        store_->setTrainingRunStatus(*trainingRunId_, momq::RunStatus::Running);
    } catch (const std::exception &e) {
        statusBar()->showMessage(tr("Cannot record the training run: %1").arg(q(e.what())), 5000);
    }
}

RoutingHeatmap *MainWindow::routingView() const { return routing_->heatmap(); }

// The connection a schema was imported through, if it was.
QDir MainWindow::benchmarkDir() const {
    return QDir(QFileInfo(projectPath()).absoluteDir().filePath(QStringLiteral("bench")));
}

// The built-in benchmark's test split, when the project has it: a few items of each dialect.
void MainWindow::listRoutingItems() {
    const QString tests = benchmarkDir().filePath(QStringLiteral("test.jsonl"));
    std::vector<momq::DatasetItem> items;
    if (QFileInfo::exists(tests)) {
        try {
            items = momq::selectPerDialect(
                momq::readDatasetJsonl(tests.toStdString(), [](const momq::ItemProblem &) {}), 50);
        } catch (const std::exception &e) {
            statusBar()->showMessage(tr("Cannot read %1: %2").arg(tests, q(e.what())), 5000);
        }
    }
    routing_->setItems(std::move(items), tests);
}

void MainWindow::traceItem(const momq::DatasetItem &item) {
    const auto record = store_ ? store_->schema(item.dbId) : std::nullopt;
    if (!record) {
        reportError(tr("No schema %1 in this project for item %2.").arg(q(item.dbId), q(item.itemId)));
        return;
    }
    if (!authoring_->isModelReady()) {
        routing_->showMessage(tr("No model is loaded yet: the item can be traced once it is."));
        return;
    }
    const QString dialect = q(item.dialect);
    routingRequest_ = engine_->generate(q(item.question), {{dialect, record->schema}}, {dialect});
}

void MainWindow::refreshHistory() {
    QList<QueryHistoryView::Entry> entries;
    if (store_) {
        try {
            for (const auto &g :
                 store_->generatedQueries(history_->searchText().toStdString(), history_->favouritesOnly()))
                entries.append({g.id, q(g.createdAt), q(g.dbId), q(g.dialect), q(g.question), q(g.query), g.favourite});
        } catch (const std::exception &e) {
            statusBar()->showMessage(tr("Cannot read the query history: %1").arg(q(e.what())), 5000);
        }
    }
    history_->setEntries(entries);
}

// A new run folder beside the project; the built-in benchmark's training split when the project has it.
void MainWindow::suggestTrainingRun() {
    const QDir bench = benchmarkDir();
    if (QFileInfo::exists(bench.filePath(QStringLiteral("train.jsonl"))))
        training_->setData(bench.filePath(QStringLiteral("train.jsonl")), bench.filePath(QStringLiteral("schemas")));
    training_->setOutDir(QFileInfo(projectPath())
                             .absoluteDir()
                             .filePath(QStringLiteral("runs/") +
                                       QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
}

// The model the project uses, on the built-in benchmark's test split when the project has it, a
// few items per dialect, into a new report beside the project.
void MainWindow::suggestEvaluation() {
    const QDir bench = benchmarkDir();
    EvaluationView::Run run = evaluation_->run();
    run.modelDir = loadedModelDir_;
    run.adapterDir = loadedAdapterDir_;
    if (QFileInfo::exists(bench.filePath(QStringLiteral("test.jsonl")))) {
        run.dataPath = bench.filePath(QStringLiteral("test.jsonl"));
        run.schemaDir = bench.filePath(QStringLiteral("schemas"));
        run.databasesPath = bench.filePath(QStringLiteral("databases.json"));
    }
    run.reportPath = QFileInfo(projectPath())
                         .absoluteDir()
                         .filePath(QStringLiteral("evaluations/") +
                                   QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) +
                                   QStringLiteral(".json"));
    evaluation_->setRun(run);
}

void MainWindow::startEvaluation(const EvaluationView::Run &run) {
    momq::PredictionOptions predict;
    predict.modelDir = run.modelDir.toStdString();
    predict.adapterDir = run.adapterDir.toStdString();
    predict.schemaDir = run.schemaDir.toStdString();
    if (!engine_->evaluate(predict, run.dataPath, run.databasesPath, run.perDialectLimit, run.reportPath))
        evaluation_->finishRun(false, tr("An evaluation is already running."));
    else
        evaluationRun_ = run;
}

// A finished evaluation goes into the project: its items as a dataset (once per file) and its
// report, tied to the model that wrote the predictions.
void MainWindow::recordEvaluation(const EvaluationView::Run &run) {
    if (!store_) return;
    try {
        const std::string source = QFileInfo(run.dataPath).absoluteFilePath().toStdString();
        std::optional<std::int64_t> datasetId;
        for (const auto &d : store_->datasets())
            if (d.source == source) datasetId = d.id;
        if (!datasetId)
            datasetId = store_->addDataset(QFileInfo(run.dataPath).fileName().toStdString(), source,
                                           momq::readDatasetJsonl(source, [](const momq::ItemProblem &) {}));
        momq::EvaluationReportRecord report;
        report.name = QFileInfo(run.reportPath).fileName().toStdString();
        report.datasetId = datasetId;
        for (const auto &m : store_->models())
            if (QFileInfo(q(m.path)) == QFileInfo(run.modelDir)) report.modelId = m.id;
        report.reportJson = momq::readTextFile(run.reportPath.toStdString());
        store_->addEvaluationReport(report);
    } catch (const std::exception &e) {
        statusBar()->showMessage(tr("Cannot record the evaluation: %1").arg(q(e.what())), 5000);
    }
}

void MainWindow::listEarlierRuns() {
    QList<TrainingPage::EarlierRun> runs;
    if (store_)
        for (const auto &run : store_->trainingRuns()) {
            const QString metrics = q(run.runDir) + QStringLiteral("/metrics.jsonl");
            if (QFileInfo::exists(metrics))
                runs.append(
                    {tr("%1 (%2, %3)").arg(q(run.name), q(run.method), q(momq::runStatusName(run.status))), metrics});
        }
    training_->setEarlierRuns(runs);
}

// The project's newest finished training run with an adapter, else its newest model.
void MainWindow::loadProjectModel() {
    authoring_->setModelReady(false, QString());
    loadedModelDir_.clear();
    loadedAdapterDir_.clear();
    const auto models = store_->models();
    if (models.empty()) return;
    const auto runs = store_->trainingRuns();
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
        if (run->status != momq::RunStatus::Finished || !run->modelId) continue;
        for (const auto &m : models)
            if (m.id == *run->modelId && QFileInfo::exists(q(run->runDir + "/adapter"))) {
                loadedModelDir_ = q(m.path);
                loadedAdapterDir_ = q(run->runDir + "/adapter");
                engine_->loadModel(loadedModelDir_, loadedAdapterDir_);
                training_->setModelDir(q(m.path));
                return;
            }
    }
    loadedModelDir_ = q(models.back().path);
    engine_->loadModel(loadedModelDir_);
    training_->setModelDir(loadedModelDir_);
}

void MainWindow::generateQueries(const QString &question, const QString &dbId, const QStringList &dialects) {
    if (!store_) return;
    std::map<QString, momq::Schema> schemas;
    for (const auto &d : dialects)
        if (const auto record = store_->schemaFor(dbId.toStdString(), momq::parseDialect(d.toStdString())))
            schemas[d] = record->schema;
    authoring_->beginGeneration(dialects);
    generationRequest_ = engine_->generate(question, schemas, dialects, 128, authoring_->constrainToSchema());
}

void MainWindow::runQuery(const QString &dbId, const QString &dialect, const QString &query) {
    if (!store_) return;
    const auto record = store_->schemaFor(dbId.toStdString(), momq::parseDialect(dialect.toStdString()));
    const auto connection = record ? store_->connectionOf(*record) : std::nullopt;
    if (!connection) {
        authoring_->showError(
            tr("No database connection for %1 in %2: import the database from the Database menu to run queries.")
                .arg(q(record ? record->schema.dbId : dbId.toStdString()), dialect));
        return;
    }
    withPassword(*connection,
                 [this, query, key = q(connection->secretKey)](const momq::ConnectionSettings &settings, bool entered) {
                     if (entered) keychain_->store(key, q(settings.password));
                     queryRequest_ = engine_->runQuery(settings, query);
                 });
}

bool MainWindow::importSchemaFile(const QString &file) {
    if (!store_) {
        reportError(tr("Open or create a project first."));
        return false;
    }
    try {
        const auto schema = momq::loadSchemaFile(file.toStdString());
        store_->saveSchema(schema, "file:" + QFileInfo(file).absoluteFilePath().toStdString());
        reloadSchemas();
        Q_EMIT schemaImported(q(schema.dbId));
        return true;
    } catch (const std::exception &e) {
        reportError(tr("Cannot import the schema file: %1").arg(q(e.what())));
        return false;
    }
}

void MainWindow::setImporting(bool importing) {
    importing_ = importing;
    for (QAction *a : {importDbAction_, importJsonAction_, refreshAction_, newAction_, openAction_, demoAction_})
        a->setEnabled(!importing);
}

void MainWindow::importFromDatabase(const momq::ConnectionSettings &settings, const QString &connectionName,
                                    bool rememberPassword) {
    if (!store_) {
        reportError(tr("Open or create a project first."));
        return;
    }
    if (importing_) return;
    setImporting(true);
    statusBar()->showMessage(tr("Reading the schema of %1…").arg(q(momq::describeConnection(settings))));

    // The worker only reads the database; the store is written here, on the thread that owns it.
    auto result = std::make_shared<std::variant<momq::Schema, std::string>>();
    QThread *worker = QThread::create([settings, result] {
        try {
            *result = momq::introspectDatabase(settings);
        } catch (const std::exception &e) {
            *result = std::string(e.what());
        }
    });
    connect(worker, &QThread::finished, this, [=, this] {
        worker->deleteLater();
        setImporting(false);
        statusBar()->clearMessage();
        if (const auto *error = std::get_if<std::string>(result.get())) {
            reportError(tr("Cannot import the schema: %1").arg(q(*error)));
            return;
        }
        finishImport(settings, connectionName, rememberPassword, std::get<momq::Schema>(*result));
    });
    worker->start();
}

void MainWindow::finishImport(const momq::ConnectionSettings &settings, const QString &connectionName,
                              bool rememberPassword, const momq::Schema &schema) {
    try {
        momq::ConnectionRecord record;
        record.name = connectionName.isEmpty() ? schema.dbId : connectionName.toStdString();
        record.settings = settings;
        record.settings.password.clear();  // never into the project file
        if (!settings.password.empty()) record.secretKey = "momq-studio/" + record.name;
        std::optional<std::int64_t> connectionId;
        for (const auto &existing : store_->connections())
            if (existing.name == record.name) {
                record.id = existing.id;
                store_->updateConnection(record);
                connectionId = existing.id;
            }
        if (!connectionId) connectionId = store_->addConnection(record);
        store_->saveSchema(schema, momq::describeConnection(settings), connectionId);
        if (rememberPassword && !settings.password.empty()) keychain_->store(q(record.secretKey), q(settings.password));
        reloadSchemas();
        statusBar()->showMessage(tr("Imported schema %1").arg(q(schema.dbId)), 5000);
        Q_EMIT schemaImported(q(schema.dbId));
    } catch (const std::exception &e) {
        reportError(tr("Cannot save the imported schema: %1").arg(q(e.what())));
    }
}

void MainWindow::refreshCurrentSchema() {
    if (!store_) return;
    const QString dbId = browser_->currentDbId();
    const auto record = dbId.isEmpty() ? std::nullopt : store_->schema(dbId.toStdString());
    const auto connection = record ? store_->connectionOf(*record) : std::nullopt;
    if (!connection) {
        reportError(dbId.isEmpty() ? tr("Select a schema in the browser first.")
                                   : tr("Schema %1 was not imported from a database.").arg(dbId));
        return;
    }
    const QString name = q(connection->name);
    withPassword(*connection, [this, name](const momq::ConnectionSettings &settings, bool entered) {
        importFromDatabase(settings, name, entered);  // an entered password is offered to the keychain
    });
}

// The keychain first; where it has nothing (or there is none), what the user typed earlier in this
// session; else the user is asked. Cancelling the question drops the request.
void MainWindow::withPassword(const momq::ConnectionRecord &connection,
                              const std::function<void(const momq::ConnectionSettings &, bool entered)> &use) {
    if (connection.secretKey.empty()) {
        use(connection.settings, false);
        return;
    }
    const QString key = q(connection.secretKey);
    auto conn = std::make_shared<QMetaObject::Connection>();
    *conn = connect(
        keychain_, &SecretKeychain::fetched, this,
        [=, this, settings = connection.settings](const QString &fetchedKey, bool ok, const QString &secret,
                                                  const QString &) mutable {
            if (fetchedKey != key) return;
            disconnect(*conn);
            bool entered = false;
            QString password = secret;
            if (!ok && sessionPasswords_.contains(key)) {
                password = sessionPasswords_.value(key);
            } else if (!ok) {
                bool accepted = false;
                password = QInputDialog::getText(this, tr("Password"),
                                                 tr("Password for %1:").arg(q(momq::describeConnection(settings))),
                                                 QLineEdit::Password, {}, &accepted);
                if (!accepted) {
                    authoring_->showError(tr("No password given for %1.").arg(q(momq::describeConnection(settings))));
                    return;
                }
                sessionPasswords_.insert(key, password);
                entered = true;
            }
            settings.password = password.toStdString();
            use(settings, entered);
        });
    keychain_->fetch(key);
}

void MainWindow::setLanguage(const QString &code) {
    if (!Language::apply(code)) return;
    QSettings().setValue(QStringLiteral("language"), code);
    for (QAction *a : languageMenu_->actions()) a->setChecked(a->data().toString() == code);
}

void MainWindow::rememberRecent(const QString &path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentProjects")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(QStringLiteral("recentProjects"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    if (!recentMenu_) return;
    recentMenu_->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentProjects")).toStringList();
    for (const QString &path : recent)
        recentMenu_->addAction(QDir::toNativeSeparators(path), this, [this, path] { openProject(path); });
    if (recent.isEmpty()) recentMenu_->addAction(tr("(no recent projects)"))->setEnabled(false);
}
