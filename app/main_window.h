// The main window: the open project's schema browser, the project menu (new, open, recent),
// schema import from a database or a JSON file, and the interface language.
#pragma once

#include "momq/store.h"
#include "momq/dataset.h"
#include "momq/trainer.h"
#include "evaluation_view.h"

#include <QDir>
#include <QMainWindow>

#include <QHash>

#include <functional>
#include <optional>

class AuthoringView;
class EngineFacade;
class EvaluationView;
class QAction;
class QMenu;
class QTabWidget;
class QueryHistoryView;
class RoutingHeatmap;
class RoutingPage;
class SchemaBrowser;
class SecretKeychain;
class TrainingPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Each returns false (after reporting the error) when the project could not be used.
    bool openProject(const QString &path);
    bool createProject(const QString &path);
    bool openDemoProject();
    bool importSchemaFile(const QString &file);
    // Reads the schema on a worker thread; ends in schemaImported() or errorReported().
    void importFromDatabase(const momq::ConnectionSettings &settings, const QString &connectionName,
                            bool rememberPassword);
    // Re-reads the current schema from the database it was imported from.
    void refreshCurrentSchema();
    void setLanguage(const QString &code);

    QString projectPath() const;
    // The built-in benchmark's folder beside the project (bench/), whether or not it exists.
    QDir benchmarkDir() const;
    SchemaBrowser *schemaBrowser() const { return browser_; }
    AuthoringView *authoringView() const { return authoring_; }
    QueryHistoryView *historyView() const { return history_; }
    TrainingPage *trainingPage() const { return training_; }
    RoutingHeatmap *routingView() const;
    RoutingPage *routingPage() const { return routing_; }
    EvaluationView *evaluationView() const { return evaluation_; }
    EngineFacade *engine() const { return engine_; }
    QTabWidget *tabs() const { return tabs_; }
    bool isImporting() const { return importing_; }

Q_SIGNALS:
    void projectOpened(const QString &path);
    void schemaImported(const QString &dbId);
    void errorReported(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void retranslate();
    void useStore(momq::ProjectStore store);
    void reloadSchemas();
    void rememberRecent(const QString &path);
    void rebuildRecentMenu();
    void reportError(const QString &message);
    void setImporting(bool importing);
    void connectEngine();
    void loadProjectModel();
    void generateQueries(const QString &question, const QString &dbId, const QStringList &dialects);
    void runQuery(const QString &dbId, const QString &dialect, const QString &query);
    void withPassword(const momq::ConnectionRecord &connection,
                      const std::function<void(const momq::ConnectionSettings &, bool entered)> &use);
    void recordTrainingRun(const momq::TrainOptions &options, bool resumed);
    void recordEvaluation(const EvaluationView::Run &run);
    void listEarlierRuns();
    void refreshHistory();
    void listRoutingItems();
    void traceItem(const momq::DatasetItem &item);
    void suggestTrainingRun();
    void suggestEvaluation();
    void startEvaluation(const EvaluationView::Run &run);
    void finishImport(const momq::ConnectionSettings &settings, const QString &connectionName, bool rememberPassword,
                      const momq::Schema &schema);

    std::optional<momq::ProjectStore> store_;
    SchemaBrowser *browser_;
    SecretKeychain *keychain_;
    EngineFacade *engine_;
    QTabWidget *tabs_;
    AuthoringView *authoring_;
    QueryHistoryView *history_;
    TrainingPage *training_;
    RoutingPage *routing_;
    EvaluationView *evaluation_;
    int generationRequest_ = 0, queryRequest_ = 0, routingRequest_ = 0;
    std::optional<std::int64_t> trainingRunId_;         // the store's record of the run going now
    std::optional<EvaluationView::Run> evaluationRun_;  // the evaluation going now
    bool trainingFailed_ = false;
    QString loadedModelDir_, loadedAdapterDir_;
    QHash<QString, QString>
        sessionPasswords_;  // keychain key -> what the user typed, never saved  // what loadProjectModel() chose
    bool importing_ = false;

    QMenu *projectMenu_ = nullptr, *recentMenu_ = nullptr, *databaseMenu_ = nullptr, *settingsMenu_ = nullptr,
          *languageMenu_ = nullptr, *helpMenu_ = nullptr;
    QAction *newAction_ = nullptr, *openAction_ = nullptr, *demoAction_ = nullptr, *quitAction_ = nullptr,
            *importDbAction_ = nullptr, *importJsonAction_ = nullptr, *refreshAction_ = nullptr,
            *aboutAction_ = nullptr;
};
