// The one door from the desktop program to the engine. Every engine call (loading a model,
// generating, running a query, training) happens on a worker thread of this object's pool; results
// come back as Qt signals, delivered on the receiver's (UI) thread. Only plain engine types cross:
// no tensor is ever touched from the UI thread.
#pragma once

#include "momq/adapter.h"
#include "momq/evaluation.h"
#include "momq/execution.h"
#include "momq/schema.h"
#include "momq/trainer.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace momq {
class LanguageModel;
class Tokenizer;
}  // namespace momq

Q_DECLARE_METATYPE(momq::QueryResult)
Q_DECLARE_METATYPE(momq::TrainStep)
Q_DECLARE_METATYPE(momq::RoutingTrace)

class EngineFacade : public QObject {
    Q_OBJECT
public:
    explicit EngineFacade(QObject *parent = nullptr);
    ~EngineFacade() override;  // cancels what runs and waits for it

    // Ends in modelLoaded() or errorOccurred("model", ...).
    void loadModel(const QString &modelDir, const QString &adapterDir = {});
    bool hasModel() const;

    // Generates one query per dialect, in turn, streaming tokens. `schemas` gives each dialect its
    // schema (relational for SQL, the graph for Cypher and nGQL). Returns the request id.
    // `constrainToSchema`: QueryGenerator::Options::constrainToSchema.
    int generate(const QString &question, const std::map<QString, momq::Schema> &schemas, const QStringList &dialects,
                 int maxNewTokens = 128, bool constrainToSchema = true);
    void cancelGeneration();
    bool isGenerating() const { return generating_; }

    // Runs a query read-only on its database. Returns the request id.
    int runQuery(const momq::ConnectionSettings &settings, const QString &query);

    // Predicts every chosen item of `dataPath` with `predict`'s model (the first `perDialectLimit`
    // of each dialect; 0: all), scores the predictions on the databases of `databasesPath` and
    // writes the report to `reportPath`. Ends in evaluationFinished or errorOccurred("evaluation", ...).
    bool evaluate(const momq::PredictionOptions &predict, const QString &dataPath, const QString &databasesPath,
                  int perDialectLimit, const QString &reportPath);
    void cancelEvaluation();
    bool isEvaluating() const { return evaluating_; }

    // Trains on a worker thread, streaming each step. `stop` ends the run after the current step
    // (a checkpoint is written either way; resume with options.resume).
    // False (and errorOccurred) while another run is going.
    bool startTraining(const momq::TrainOptions &options);
    void stopTraining();
    bool isTraining() const { return training_; }

Q_SIGNALS:
    void modelLoaded(const QString &description);
    void tokenGenerated(int request, const QString &dialect, const QString &text);
    void dialectGenerated(int request, const QString &dialect, const QString &query, const momq::RoutingTrace &routing,
                          const QStringList &tokenTexts);
    // After dialectGenerated: the query's check (query_check.h) in words, e.g. "Parses (SQLite, empty schema)."
    void queryChecked(int request, const QString &dialect, const QString &summary, bool valid);
    void generationFinished(int request, bool cancelled);
    void queryFinished(int request, const momq::QueryResult &result);
    void queryFailed(int request, const QString &message);
    // The account a query ran under could change data (what and how to fix it), said on each run.
    void accountWarning(const QString &message);
    void evaluationProgress(int done, int total);
    void evaluationFinished(bool cancelled, const QString &reportPath);
    void trainingStep(const momq::TrainStep &step);
    // stoppedEarly: asked to stop, with a checkpoint; `message` then reads "after step N, with a
    // checkpoint"; otherwise "Finished after N steps." or the error.
    void trainingFinished(bool stoppedEarly, const QString &message);
    void errorOccurred(const QString &where, const QString &message);

private:
    struct Loaded;
    std::shared_ptr<const Loaded> loaded() const;

    QThreadPool pool_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Loaded> loaded_;
    std::atomic<int> nextRequest_{1};
    std::atomic<bool> cancelGeneration_{false}, stopTraining_{false}, cancelEvaluation_{false};
    std::atomic<bool> generating_{false}, training_{false}, evaluating_{false};
};
