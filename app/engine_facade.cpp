#include "engine_facade.h"

#include "momq/files.h"
#include "momq/query_check.h"
#include "momq/query_generator.h"

#include <QMetaType>

#include <filesystem>

struct EngineFacade::Loaded {
    momq::QueryGenerator generator;
};

EngineFacade::EngineFacade(QObject *parent) : QObject(parent) {
    qRegisterMetaType<momq::QueryResult>();
    qRegisterMetaType<momq::TrainStep>();
    qRegisterMetaType<momq::RoutingTrace>();
    pool_.setMaxThreadCount(4);  // model loading or generation, queries, and a training run side by side
}

EngineFacade::~EngineFacade() {
    cancelGeneration_ = true;
    cancelEvaluation_ = true;
    stopTraining_ = true;
    pool_.waitForDone();
}

std::shared_ptr<const EngineFacade::Loaded> EngineFacade::loaded() const {
    std::lock_guard lock(mutex_);
    return loaded_;
}

bool EngineFacade::hasModel() const { return loaded() != nullptr; }

void EngineFacade::loadModel(const QString &modelDir, const QString &adapterDir) {
    pool_.start([this, model = modelDir.toStdString(), adapter = adapterDir.toStdString()] {
        try {
            auto l = std::make_shared<Loaded>(Loaded{momq::QueryGenerator::load(model, {"cpu", "f32"}, adapter)});
            const QString description =
                tr("%1 (%2 M parameters)%3")
                    .arg(QString::fromStdString(model))
                    .arg(static_cast<double>(l->generator.model().parameterCount()) / 1e6, 0, 'f', 1)
                    .arg(adapter.empty() ? QString() : tr(" with adapter %1").arg(QString::fromStdString(adapter)));
            {
                std::lock_guard lock(mutex_);
                loaded_ = std::move(l);
            }
            Q_EMIT modelLoaded(description);
        } catch (const std::exception &e) {
            Q_EMIT errorOccurred(QStringLiteral("model"), QString::fromStdString(e.what()));
        }
    });
}

int EngineFacade::generate(const QString &question, const std::map<QString, momq::Schema> &schemas,
                           const QStringList &dialects, int maxNewTokens, bool constrainToSchema) {
    const int request = nextRequest_++;
    const auto l = loaded();
    if (!l) {
        Q_EMIT errorOccurred(QStringLiteral("generate"), tr("No model is loaded."));
        return request;
    }
    cancelGeneration_ = false;
    generating_ = true;
    pool_.start([this, l, request, question = question.toStdString(), schemas, dialects, maxNewTokens,
                 constrainToSchema] {
        bool cancelled = false;
        for (const auto &dialectName : dialects) {
            const std::string dialect = dialectName.toStdString();
            try {
                const auto schema = schemas.find(dialectName);
                if (schema == schemas.end())
                    throw momq::Error(tr("no schema for %1 in this project").arg(dialectName).toStdString());
                momq::QueryGenerator::Options o;
                o.maxNewTokens = maxNewTokens;
                o.constrainToSchema = constrainToSchema;
                o.cancel = &cancelGeneration_;
                o.traceRouting = true;
                o.onText = [&](const std::string &piece) {
                    Q_EMIT tokenGenerated(request, dialectName, QString::fromStdString(piece));
                };
                const auto result =
                    l->generator.generate({momq::parseDialect(dialect), question, &schema->second, ""}, o);
                if (!result.fits)
                    throw momq::Error(tr("the schema does not fit the model's context, even cut down").toStdString());
                QStringList tokenTexts;
                for (int id : result.trace.tokenIds)
                    tokenTexts << QString::fromStdString(l->generator.tokenizer()->decode({id}));
                Q_EMIT dialectGenerated(request, dialectName, QString::fromStdString(result.query), result.trace,
                                        tokenTexts);
                const auto check = momq::checkQuery(momq::parseDialect(dialect), result.query, schema->second);
                const QString by = QString::fromStdString(check.checkedBy);
                switch (check.verdict) {
                case momq::QueryCheck::Verdict::Valid:
                    Q_EMIT queryChecked(request, dialectName, tr("Parses (%1).").arg(by), true);
                    break;
                case momq::QueryCheck::Verdict::Invalid:
                    Q_EMIT queryChecked(request, dialectName,
                                        tr("Does not parse: %1 (%2)").arg(QString::fromStdString(check.message), by),
                                        false);
                    break;
                case momq::QueryCheck::Verdict::NotChecked:
                    Q_EMIT queryChecked(request, dialectName, tr("Not checked before running (no offline parser)."),
                                        true);
                    break;
                }
                if (result.stopReason == momq::StopReason::Cancelled) {
                    cancelled = true;
                    break;
                }
            } catch (const std::exception &e) {
                Q_EMIT errorOccurred(dialectName, QString::fromStdString(e.what()));
            }
        }
        generating_ = false;
        Q_EMIT generationFinished(request, cancelled);
    });
    return request;
}

void EngineFacade::cancelGeneration() { cancelGeneration_ = true; }

int EngineFacade::runQuery(const momq::ConnectionSettings &settings, const QString &query) {
    const int request = nextRequest_++;
    pool_.start([this, request, settings, query = query.toStdString()] {
        try {
            auto executor = momq::openExecutor(settings);
            if (const auto warning = executor->accountWarning(); !warning.empty())
                Q_EMIT accountWarning(QString::fromStdString(warning));
            Q_EMIT queryFinished(request, executor->run(query));
        } catch (const std::exception &e) {
            Q_EMIT queryFailed(request, QString::fromStdString(e.what()));
        }
    });
    return request;
}

bool EngineFacade::evaluate(const momq::PredictionOptions &predict, const QString &dataPath,
                            const QString &databasesPath, int perDialectLimit, const QString &reportPath) {
    if (evaluating_.exchange(true)) {
        Q_EMIT errorOccurred(QStringLiteral("evaluation"), tr("An evaluation is already running."));
        return false;
    }
    cancelEvaluation_ = false;
    pool_.start([this, options = predict, data = dataPath.toStdString(), databases = databasesPath.toStdString(),
                 perDialectLimit, report = reportPath.toStdString()]() mutable {
        try {
            const auto config = momq::loadDatabaseConfig(databases);  // a bad config fails before any generation
            const auto items = momq::selectPerDialect(
                momq::readDatasetJsonl(data, [](const momq::ItemProblem &p) { throw momq::FormatError(p.describe()); }),
                perDialectLimit);
            if (items.empty()) throw momq::FormatError(data + ": no items to evaluate");
            options.cancel = &cancelEvaluation_;
            options.onProgress = [this](std::size_t done, std::size_t total) {
                Q_EMIT evaluationProgress(static_cast<int>(done), static_cast<int>(total));
            };
            const auto predictions = momq::predictQueries(items, options);
            if (predictions.cancelled) {
                evaluating_ = false;
                Q_EMIT evaluationFinished(true, QString());
                return;
            }
            auto scored = momq::scorePredictions(items, predictions.queries, config);
            scored.notePrompts(predictions.promptNotes);
            if (const auto folder = std::filesystem::path(report).parent_path(); !folder.empty())
                std::filesystem::create_directories(folder);
            momq::writeFileAtomically(report, scored.toJson() + "\n");
            evaluating_ = false;
            Q_EMIT evaluationFinished(false, QString::fromStdString(report));
        } catch (const std::exception &e) {
            evaluating_ = false;
            Q_EMIT errorOccurred(QStringLiteral("evaluation"), QString::fromStdString(e.what()));
        }
    });
    return true;
}

void EngineFacade::cancelEvaluation() { cancelEvaluation_ = true; }

bool EngineFacade::startTraining(const momq::TrainOptions &options) {
    if (training_.exchange(true)) {
        Q_EMIT errorOccurred(QStringLiteral("train"), tr("A training run is already going."));
        return false;
    }
    stopTraining_ = false;
    pool_.start([this, options] {
        momq::TrainCallbacks cb;
        cb.cancel = &stopTraining_;
        cb.onStep = [this](const momq::TrainStep &step) {
            Q_EMIT trainingStep(step);
            return true;
        };
        try {
            const auto summary = momq::train(options, cb);
            training_ = false;
            Q_EMIT trainingFinished(summary.stoppedEarly,
                                    summary.stoppedEarly ? tr("after step %1, with a checkpoint").arg(summary.steps)
                                                         : tr("Finished after %1 steps.").arg(summary.steps));
        } catch (const std::exception &e) {
            training_ = false;
            Q_EMIT errorOccurred(QStringLiteral("train"), QString::fromStdString(e.what()));
            Q_EMIT trainingFinished(false, QString::fromStdString(e.what()));  // a failure leaves nothing to resume
        }
    });
    return true;
}

void EngineFacade::stopTraining() { stopTraining_ = true; }
