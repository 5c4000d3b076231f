// Training on the tiny fixture model: every method lowers the loss; a run killed with SIGKILL and
// resumed reproduces the uninterrupted run's metrics exactly; bad items are reported per line;
// settings and adapters round-trip.
#include "test_support.h"

#include "momq/error.h"
#include "momq/generation.h"
#include "momq/language_model.h"
#include "momq/prompt.h"
#include "momq/safetensors.h"
#include "momq/tokenizer.h"
#include "momq/trainer.h"

#include <QProcess>
#include <QtTest>

#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <numeric>

using namespace momq;
using nlohmann::json;

namespace {

TrainOptions tinyRun(const QTemporaryDir &dir, const std::string &name) {
    TrainOptions o;
    o.modelDir = test::dataPath("engine/tiny-qwen2");
    o.dataPath = test::dataPath("train/train.jsonl");
    o.schemaDir = test::dataPath("train/schemas");
    o.outDir = dir.filePath(QString::fromStdString(name)).toStdString();
    o.learningRate = 5e-3;
    o.batchSize = 4;
    o.epochs = 4;
    o.adapter.rank = 4;
    o.adapter.alpha = 8;
    o.saveEvery = 1000;
    return o;
}

std::vector<json> metricsOf(const std::string &path) {
    std::vector<json> out;
    std::istringstream in(test::readFile(path));
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

double meanLoss(const std::vector<json> &m, std::size_t from, std::size_t count) {
    double sum = 0;
    for (std::size_t i = from; i < from + count; ++i) sum += m[i]["total"].get<double>();
    return sum / static_cast<double>(count);
}

QStringList cliArgs(const std::string &out) {
    return {QStringLiteral("--threads"),
            QStringLiteral("2"),
            QStringLiteral("train"),
            QStringLiteral("--model"),
            QString::fromStdString(test::dataPath("engine/tiny-qwen2")),
            QStringLiteral("--data"),
            QString::fromStdString(test::dataPath("train/train.jsonl")),
            QStringLiteral("--schemas"),
            QString::fromStdString(test::dataPath("train/schemas")),
            QStringLiteral("--out"),
            QString::fromStdString(out),
            QStringLiteral("--lr"),
            QStringLiteral("5e-3"),
            QStringLiteral("--batch-size"),
            QStringLiteral("2"),
            QStringLiteral("--rank"),
            QStringLiteral("4"),
            QStringLiteral("--epochs"),
            QStringLiteral("2"),
            QStringLiteral("--save-every"),
            QStringLiteral("2")};
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyMethodLowersTheLoss_data();
    void everyMethodLowersTheLoss();
    void resumeAfterSigkillIsExact();
    void twoSavesAtOneStepKeepLatestValid();
    void badItemsAreReportedPerLine();
    void perDialectLimitKeepsTheFirstItems();
    void configFilesNameTheirSettings();
    void trainedAdapterGeneratesWithARoutingTrace();
    void loraExportsInPeftLayout();
    void pretrainingFromScratchLearnsTheCorpus();
    void cliTakesTheBatchSizeFromTheConfig();
    void promptLossCoversThePromptToo();
    void metricsFilesReadBackAndNameBadLines();
    void bf16AutocastWithCheckpointingLowersTheLoss();
    void tensorboardEventsHoldEveryStep();

private:
    QTemporaryDir dir_;
};

void TestTrainer::everyMethodLowersTheLoss_data() {
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("routing");
    QTest::newRow("momq paper") << "momq"
                                << "paper";
    QTest::newRow("momq reference") << "momq"
                                    << "reference";
    QTest::newRow("lora") << "lora"
                          << "paper";
    QTest::newRow("full") << "full"
                          << "paper";
    QTest::newRow("single-dialect") << "single-dialect"
                                    << "paper";
}

void TestTrainer::everyMethodLowersTheLoss() {
    QFETCH(QString, method);
    QFETCH(QString, routing);
    auto o = tinyRun(dir_, (method + QLatin1Char('-') + routing).toStdString());
    o.adapter.method = trainMethodFromName(method.toStdString());
    o.adapter.routing = routing == QLatin1String("paper") ? RoutingVariant::Paper : RoutingVariant::Reference;
    if (o.adapter.method == TrainMethod::Full) o.learningRate = 1e-3;
    if (o.adapter.method == TrainMethod::SingleDialect) o.epochs = 8;
    int steps = 0;
    TrainCallbacks cb;
    cb.onStep = [&](const TrainStep &s) {
        ++steps;
        return std::isfinite(s.totalLoss);
    };
    const auto summary = train(o, cb);
    QVERIFY(!summary.stoppedEarly);
    QCOMPARE(summary.skippedItems, std::int64_t(0));
    for (const auto &adapterDir : summary.adapterDirs) {
        const std::string runDir = std::filesystem::path(adapterDir).parent_path().string();
        const auto m = metricsOf(runDir + "/metrics.jsonl");
        QVERIFY(m.size() >= 8);
        const double first = meanLoss(m, 0, 3), last = meanLoss(m, m.size() - 3, 3);
        QVERIFY2(last < 0.8 * first,
                 qPrintable(
                     QStringLiteral("%1: loss %2 -> %3").arg(QString::fromStdString(adapterDir)).arg(first).arg(last)));
        QVERIFY(std::filesystem::exists(adapterDir + (o.adapter.method == TrainMethod::Full
                                                          ? "/model.safetensors"
                                                          : "/adapter_model.safetensors")));
        if (o.adapter.method == TrainMethod::Momq) {
            QCOMPARE(m.back()["routing_load"].size(), size_t(4));
            QVERIFY(m.back()["balance"].get<double>() > 0);
            QVERIFY(m.back()["drl"].get<double>() > 0);
        }
    }
    QCOMPARE(summary.adapterDirs.size(), size_t(o.adapter.method == TrainMethod::SingleDialect ? 4 : 1));
    QCOMPARE(static_cast<std::int64_t>(steps), summary.steps);
}

void TestTrainer::resumeAfterSigkillIsExact() {
    const std::string whole = dir_.filePath(QStringLiteral("whole")).toStdString();
    const std::string killed = dir_.filePath(QStringLiteral("killed")).toStdString();
    QProcess run;
    run.start(QStringLiteral(MOMQ_CLI), cliArgs(whole));
    QVERIFY(run.waitForFinished(120000));
    QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());

    QProcess victim;
    victim.start(QStringLiteral(MOMQ_CLI), cliArgs(killed));
    QVERIFY(victim.waitForStarted());
    // Kill it mid-run, after step 5 and its checkpoint at step 4.
    QTRY_VERIFY_WITH_TIMEOUT(metricsOf(killed + "/metrics.jsonl").size() >= 5, 60000);
    victim.kill();
    QVERIFY(victim.waitForFinished());
    QCOMPARE(victim.exitStatus(), QProcess::CrashExit);
    const auto partial = metricsOf(killed + "/metrics.jsonl").size();

    QProcess resumed;
    resumed.start(QStringLiteral(MOMQ_CLI), cliArgs(killed) << QStringLiteral("--resume"));
    QVERIFY(resumed.waitForFinished(120000));
    QVERIFY2(resumed.exitCode() == 0, resumed.readAllStandardError().constData());

    const auto a = metricsOf(whole + "/metrics.jsonl"), b = metricsOf(killed + "/metrics.jsonl");
    QCOMPARE(b.size(), a.size());
    QVERIFY(a.size() > partial);  // the kill really came before the end
    for (std::size_t i = 0; i < a.size(); ++i)
        for (const char *key : {"step", "lm_loss", "drl", "balance", "total", "lr", "grad_norm"})
            QVERIFY2(a[i][key] == b[i][key], qPrintable(QStringLiteral("step %1, %2: %3 vs %4")
                                                            .arg(i + 1)
                                                            .arg(QLatin1String(key))
                                                            .arg(QString::fromStdString(a[i][key].dump()),
                                                                 QString::fromStdString(b[i][key].dump()))));
    QCOMPARE(test::readFile(whole + "/adapter/adapter_model.safetensors"),
             test::readFile(killed + "/adapter/adapter_model.safetensors"));
}

// A stop right after a periodic checkpoint saves again at the same step: the second save gets a
// name of its own, so `latest` never names a folder that is gone, and the run resumes from it.
void TestTrainer::twoSavesAtOneStepKeepLatestValid() {
    auto o = tinyRun(dir_, "two-saves");
    o.epochs = 1;
    o.saveEvery = 2;
    TrainCallbacks cb;
    cb.onStep = [](const TrainStep &s) { return s.step < 2; };  // stop at step 2, which also saves periodically
    QVERIFY(train(o, cb).stoppedEarly);
    const auto latest = QString::fromStdString(test::readFile(o.outDir + "/latest")).trimmed();
    QCOMPARE(latest, QStringLiteral("checkpoint-2-2"));
    int checkpoints = 0;
    for (const auto &entry : std::filesystem::directory_iterator(o.outDir))
        checkpoints += entry.path().filename().string().rfind("checkpoint-", 0) == 0;
    QCOMPARE(checkpoints, 1);  // the older one went after `latest` moved on
    QVERIFY(std::filesystem::exists(o.outDir + "/" + latest.toStdString() + "/weights.safetensors"));
    o.resume = true;
    const auto resumed = train(o, {});
    QVERIFY(!resumed.stoppedEarly);
    QVERIFY(resumed.steps > 2);
}

void TestTrainer::badItemsAreReportedPerLine() {
    auto o = tinyRun(dir_, "bad-skip");
    o.dataPath = test::dataPath("train/bad.jsonl");
    o.maxLength = 800;
    o.maxSteps = 1;
    std::vector<ItemProblem> problems;
    TrainCallbacks cb;
    cb.onProblem = [&](const ItemProblem &p) { problems.push_back(p); };
    const auto summary = train(o, cb);
    QCOMPARE(summary.trainItems, std::int64_t(2));
    QCOMPARE(summary.skippedItems, std::int64_t(5));
    QCOMPARE(problems.size(), size_t(5));
    std::map<int, std::string> byLine;
    for (const auto &p : problems) {
        QCOMPARE(p.file, o.dataPath);
        byLine[p.line] = p.message;
    }
    QVERIFY(byLine[2].find("dialect: unknown dialect \"oracle\"") != std::string::npos);
    QVERIFY(byLine[3].find("db_id: no schema file") != std::string::npos);
    QVERIFY(byLine[4].find("more than max_length 800") != std::string::npos);
    QVERIFY(byLine[5].find("question: expected a string, found number") != std::string::npos);
    QVERIFY(byLine[6].find("not valid JSON") != std::string::npos);

    o.skipBadItems = false;
    o.outDir += "-stop";
    EXPECT_ERROR(FormatError, train(o, {}), o.dataPath + ":2 (item b1): dialect: unknown dialect \"oracle\"");
}

void TestTrainer::perDialectLimitKeepsTheFirstItems() {
    auto o = tinyRun(dir_, "limits");
    o.perDialectLimit = parseDialectLimits("mysql=2,cypher=1");
    o.maxSteps = 1;
    QCOMPARE(train(o, {}).trainItems, std::int64_t(3));
    EXPECT_ERROR(FormatError, parseDialectLimits("mysql=two"),
                 "per-dialect limit \"mysql=two\": count is not a non-negative integer");
}

void TestTrainer::configFilesNameTheirSettings() {
    TrainOptions o;
    applyTrainConfigJson(
        o, R"({"learning_rate": 2e-4, "epochs": 1, "routing": "reference", "rank": 16, "shared_experts": 0,
                                "per_dialect_limit": {"mysql": 3000, "ngql": 128}})",
        "run.json");
    QCOMPARE(o.learningRate, 2e-4);
    QCOMPARE(o.epochs, 1);
    QCOMPARE(o.adapter.routing, RoutingVariant::Reference);
    QCOMPARE(o.adapter.rank, 16);
    QCOMPARE(o.adapter.sharedExperts, 0);
    QCOMPARE(o.perDialectLimit.at("ngql"), 128);
    EXPECT_ERROR(FormatError, applyTrainConfigJson(o, R"({"learning_rat": 1})", "run.json"),
                 "run.json: learning_rat: unknown setting");
    EXPECT_ERROR(FormatError, applyTrainConfigJson(o, R"({"epochs": "three"})", "run.json"), "run.json: epochs:");
    EXPECT_ERROR(FormatError, applyTrainConfigJson(o, R"({"top_k": 99})", "run.json"), "top_k: must be between 1 and");
    const auto back = adapterConfigFromJson(adapterConfigToJson(o.adapter), "a.json");
    QCOMPARE(back.rank, 16);
    QCOMPARE(back.routing, RoutingVariant::Reference);
}

void TestTrainer::trainedAdapterGeneratesWithARoutingTrace() {
    auto o = tinyRun(dir_, "for-generation");
    o.maxSteps = 24;  // enough for the adapter to change what the model says
    const auto summary = train(o, {});
    const auto model = LanguageModel::load(o.modelDir, {"cpu", "f32"});
    const auto adapter = Adapter::load(*model, summary.adapterDirs.at(0));
    QCOMPARE(adapter->config().dialects, o.adapter.dialects);
    const auto tok = Tokenizer::load(o.modelDir);
    const auto schema = loadSchemaFile(o.schemaDir + "/movies.json");
    const auto prompt = tok->encode(chatPrompt(userPrompt(Dialect::Cypher, "Who acted in The Matrix?",
                                                          formatSchemaForPrompt(schema, SchemaFormat::Cypher), "")));
    RoutingTrace trace;
    GenerationOptions g;
    g.maxNewTokens = 5;
    g.adapter = adapter;
    g.routing = &trace;
    g.stopTokenIds = defaultStopTokens(model->config(), *tok);
    const auto withAdapter = generate(*model, {prompt}, g);
    QCOMPARE(trace.layers, 2);
    QCOMPARE(trace.promptTokens, static_cast<int>(prompt.size()));
    QCOMPARE(trace.tokens(),
             static_cast<int>(prompt.size() + withAdapter.tokens[0].size()));  // every token but the stop token
    QCOMPARE(trace.chosenPerToken, 8);  // paper routing: k = 2 in each of 4 groups
    QCOMPARE(trace.expertProbs.size(), size_t(2) * trace.tokens() * 32);
    // Paper routing: group weights sum to one and each group's softmax too, so the
    // dialect-weighted expert weights of a token sum to one in every layer.
    const auto average = trace.weightedExpertAverage(0, trace.tokens());
    for (int l = 0; l < 2; ++l) {
        const double sum = std::accumulate(average.begin() + l * 32, average.begin() + (l + 1) * 32, 0.0);
        QVERIFY(std::abs(sum - 1.0) < 1e-4);
    }
    const auto back = RoutingTrace::fromJson(trace.toJson(), "trace.json");
    QCOMPARE(back.chosen, trace.chosen);
    QCOMPARE(back.dialects, trace.dialects);
    // the same model without the adapter answers differently: the adapter is really applied
    GenerationOptions plain;
    plain.maxNewTokens = 5;
    const auto base = generate(*model, {prompt}, plain).tokens[0];
    QString shown;
    for (int t : base) shown += QString::number(t) + QLatin1Char(' ');
    shown += QStringLiteral("| ");
    for (int t : withAdapter.tokens[0]) shown += QString::number(t) + QLatin1Char(' ');
    QVERIFY2(base != withAdapter.tokens[0], qPrintable(shown));
    GenerationOptions bad = g;
    bad.adapter = nullptr;
    EXPECT_ERROR(FormatError, generate(*model, {prompt}, bad), "routing trace: needs a MoMQ adapter");
}

void TestTrainer::loraExportsInPeftLayout() {
    auto o = tinyRun(dir_, "peft");
    o.adapter.method = TrainMethod::Lora;
    o.adapter.targets = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    o.maxSteps = 2;
    const auto summary = train(o, {});
    const std::string out = dir_.filePath(QStringLiteral("peft-export")).toStdString();
    exportPeftAdapter(summary.adapterDirs.at(0), o.modelDir, out);
    const auto config = json::parse(test::readFile(out + "/adapter_config.json"));
    QCOMPARE(config["peft_type"].get<std::string>(), std::string("LORA"));
    QCOMPARE(config["r"].get<int>(), 4);
    QCOMPARE(config["lora_alpha"].get<double>(), 8.0);
    QCOMPARE(config["target_modules"].size(), size_t(7));
    // Regression: the norms a default run trains were left out (PEFT then generated otherwise); they go
    // in as modules_to_save, under the base model's names, as PEFT 0.21 saves them.
    QCOMPARE(config["modules_to_save"], json::parse(R"(["input_layernorm", "post_attention_layernorm", "norm"])"));
    const auto file = SafetensorsFile::open(out + "/adapter_model.safetensors");
    QCOMPARE(file->tensors().size(), size_t(2 * 7 * 2 + 2 * 2 + 1));  // 2 layers x 7 x (A, B), their norms, the last
    QVERIFY(file->find("base_model.model.model.layers.1.post_attention_layernorm.weight"));
    QVERIFY(file->find("base_model.model.model.norm.weight"));
    const auto *a = file->find("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight");
    const auto *b = file->find("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight");
    QVERIFY(a && b);
    QCOMPARE(a->shape, (std::vector<std::int64_t>{4, 64}));  // [r, hidden]
    QCOMPARE(b->shape, (std::vector<std::int64_t>{64, 4}));  // [hidden, r]
    auto m = tinyRun(dir_, "peft-momq");
    m.maxSteps = 1;
    const auto momqAdapter = train(m, {}).adapterDirs.at(0);
    EXPECT_ERROR(FormatError, exportPeftAdapter(momqAdapter, o.modelDir, out + "-momq"),
                 "PEFT export is for plain LoRA adapters, this one is momq");
}

// `momq pretrain`: a random model of a given shape, in Hugging Face layout (transformers loads it
// and computes the same logits), learns a small corpus; corpus errors name file and line.
void TestTrainer::pretrainingFromScratchLearnsTheCorpus() {
    const std::string base = dir_.filePath(QStringLiteral("pretrain")).toStdString();
    std::filesystem::create_directories(base);
    std::vector<std::string> texts;
    std::string corpus;
    for (int i = 0; i < 60; ++i) {
        const std::string t = "SELECT name FROM player WHERE age > " + std::to_string(i % 17) + " ORDER BY name";
        texts.push_back(t);
        corpus += json{{"text", t}}.dump() + "\n";
    }
    TokenizerTrainOptions to;
    to.vocabSize = 300;
    test::writeFile(base + "/tokenizer.json", trainByteLevelBpe(texts, to));
    test::writeFile(base + "/corpus.jsonl", corpus);
    ModelShape shape;
    shape.hiddenSize = 32;
    shape.intermediateSize = 64;
    shape.numLayers = 2;
    shape.numHeads = 4;
    shape.numKeyValueHeads = 2;
    shape.maxPositions = 128;
    createRandomModel(shape, base + "/tokenizer.json", base + "/init", 3);

    TrainOptions o;
    o.modelDir = base + "/init";
    o.corpusPath = base + "/corpus.jsonl";
    o.outDir = base + "/run";
    o.adapter.method = TrainMethod::Full;
    o.learningRate = 5e-3;
    o.maxLength = 64;
    o.batchSize = 4;
    o.epochs = 6;
    o.saveEvery = 1000;
    const auto summary = train(o, {});
    const auto m = metricsOf(o.outDir + "/metrics.jsonl");
    QVERIFY(m.size() >= 20);
    QVERIFY2(meanLoss(m, m.size() - 3, 3) < meanLoss(m, 0, 3) - 2.0,
             "pre-training should lower the loss well below the start");

    const std::string model = summary.adapterDirs.at(0);
    const auto loaded = LanguageModel::load(model, {"cpu", "f32"});
    QCOMPARE(loaded->config().vocabSize, Tokenizer::load(model)->vocabSize());
    const auto tok = Tokenizer::load(model);
    const auto ids = tok->encode("SELECT name FROM player WHERE age > 3");
    const auto ours = loaded->logits(ids);
    QProcess hf;
    hf.start(QStringLiteral(MOMQ_SOURCE_DIR "/.venv/bin/python"),
             {QStringLiteral("-c"),
              QStringLiteral("import json,sys,torch\nfrom transformers import AutoModelForCausalLM\n"
                             "m=AutoModelForCausalLM.from_pretrained(sys.argv[1])\n"
                             "print(json.dumps(m(torch.tensor([json.loads(sys.argv[2])])).logits[0,-1].tolist()))"),
              QString::fromStdString(model), QString::fromStdString(json(ids).dump())});
    QVERIFY(hf.waitForFinished(180000));
    QVERIFY2(hf.exitCode() == 0, hf.readAllStandardError().constData());
    const auto reference = json::parse(hf.readAllStandardOutput().toStdString());
    QCOMPARE(static_cast<std::int64_t>(reference.size()), ours.cols);
    for (std::int64_t c = 0; c < ours.cols; ++c)
        QVERIFY(std::abs(reference[c].get<double>() - ours.at(ours.rows - 1, c)) < 1e-3);

    test::writeFile(base + "/bad.jsonl", "{\"text\": \"fine\"}\n{\"txt\": 1}\n");
    o.corpusPath = base + "/bad.jsonl";
    o.outDir = base + "/bad-run";
    EXPECT_ERROR(FormatError, train(o, {}), "bad.jsonl:2: text: expected a string");
    o.adapter.method = TrainMethod::Lora;
    EXPECT_ERROR(FormatError, train(o, {}), "corpus: pre-training trains the whole model (method full)");
}

// prompt_loss (task pre-training): the loss is taken over the prompt's tokens as well, so the same
// first step on the same weights gives a different loss; prompt_loss_weight weighs the prompt's
// tokens down, which puts that loss strictly between the answer-only and the unweighted one. Both
// settings are read from a config file, and a weight outside (0, 1] is refused by name.
void TestTrainer::promptLossCoversThePromptToo() {
    std::vector<double> firstLoss;
    for (const char *config :
         {"{}", R"({"prompt_loss": true})", R"({"prompt_loss": true, "prompt_loss_weight": 0.25})"}) {
        auto o = tinyRun(dir_, "prompt-loss-" + std::to_string(firstLoss.size()));
        o.adapter.method = TrainMethod::Full;
        o.maxSteps = 1;
        applyTrainConfigJson(o, config, "run.json");
        QCOMPARE(o.promptLoss, firstLoss.size() > 0);
        TrainCallbacks cb;
        cb.onStep = [&](const TrainStep &s) {
            firstLoss.push_back(s.lmLoss);
            return true;
        };
        train(o, cb);
    }
    QCOMPARE(firstLoss.size(), std::size_t(3));
    const std::string losses =
        std::to_string(firstLoss[0]) + ", " + std::to_string(firstLoss[1]) + ", " + std::to_string(firstLoss[2]);
    QVERIFY2(std::abs(firstLoss[0] - firstLoss[1]) > 1e-3, losses.c_str());
    QVERIFY2(std::min(firstLoss[0], firstLoss[1]) < firstLoss[2] && firstLoss[2] < std::max(firstLoss[0], firstLoss[1]),
             losses.c_str());

    for (const char *weight : {"0", "1.5"}) {
        auto o = tinyRun(dir_, std::string("prompt-weight-") + weight);
        applyTrainConfigJson(o, std::string(R"({"prompt_loss": true, "prompt_loss_weight": )") + weight + "}",
                             "run.json");
        EXPECT_ERROR(FormatError, train(o, {}), "prompt_loss_weight: must be in (0, 1]");
    }
}

// Regression: `bench train`'s default batch size once leaked into `train`, overriding the config.
void TestTrainer::cliTakesTheBatchSizeFromTheConfig() {
    const std::string out = dir_.filePath(QStringLiteral("cli-config")).toStdString();
    const std::string config = dir_.filePath(QStringLiteral("cli-config.json")).toStdString();
    test::writeFile(config, R"({"batch_size": 6, "epochs": 1, "rank": 2, "save_every": 1000})");
    QProcess p;
    p.start(QStringLiteral(MOMQ_CLI),
            {QStringLiteral("train"), QStringLiteral("--model"),
             QString::fromStdString(test::dataPath("engine/tiny-qwen2")), QStringLiteral("--data"),
             QString::fromStdString(test::dataPath("train/train.jsonl")), QStringLiteral("--schemas"),
             QString::fromStdString(test::dataPath("train/schemas")), QStringLiteral("--out"),
             QString::fromStdString(out), QStringLiteral("--config"), QString::fromStdString(config)});
    QVERIFY(p.waitForFinished(300000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto summary = json::parse(p.readAllStandardOutput().toStdString());
    const auto items = summary["train_items"].get<std::int64_t>();
    QCOMPARE(summary["steps"].get<std::int64_t>(), (items + 5) / 6);
}

void TestTrainer::metricsFilesReadBackAndNameBadLines() {
    TrainStep a;
    a.step = 1;
    a.totalLoss = 3.5;
    a.lmLoss = 3.0;
    a.dialectRouterLoss = 0.4;
    a.balanceLoss = 0.1;
    a.learningRate = 1e-4;
    a.routingLoad = {0.25, 0.75};
    TrainStep b = a;
    b.step = 2;
    b.totalLoss = 2.5;
    const std::string path = dir_.filePath(QStringLiteral("metrics-read.jsonl")).toStdString();
    test::writeFile(path, a.toJson() + "\n\n" + b.toJson() + "\n");
    const auto steps = readTrainingMetrics(path);
    QCOMPARE(steps.size(), size_t(2));
    QCOMPARE(steps[1].step, std::int64_t(2));
    QCOMPARE(steps[1].totalLoss, 2.5);
    QCOMPARE(steps[0].dialectRouterLoss, 0.4);
    QCOMPARE(steps[0].routingLoad, (std::vector<double>{0.25, 0.75}));

    test::writeFile(path, a.toJson() + "\n{\"step\": 2, \"total\": \"low\"}\n");
    try {
        readTrainingMetrics(path);
        QFAIL("a bad line was read");
    } catch (const FormatError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QString::fromStdString(path + ":2")), e.what());
    }
    test::writeFile(path, "{\"step\": 1");
    QVERIFY_THROWS_EXCEPTION(FormatError, readTrainingMetrics(path));
}

// Mixed precision on the CPU: frozen weights bf16, adapters float32, products under autocast, with
// each layer recomputed in backward (under the same autocast) and the grouped expert function.
void TestTrainer::bf16AutocastWithCheckpointingLowersTheLoss() {
    auto o = tinyRun(dir_, "bf16");
    o.precision = "bf16";
    o.gradientCheckpointing = true;
    const auto summary = train(o, {});
    const auto m = metricsOf(o.outDir + "/metrics.jsonl");
    QVERIFY(m.size() >= 8);
    const double first = meanLoss(m, 0, 3), last = meanLoss(m, m.size() - 3, 3);
    QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
    QVERIFY(std::filesystem::exists(summary.adapterDirs.at(0) + "/adapter_model.safetensors"));

    o.precision = "f16";
    o.outDir += "-bad";
    try {
        train(o, {});
        QFAIL("an unknown precision was accepted");
    } catch (const FormatError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("precision")), e.what());
    }
}

namespace {

// CRC-32C bit by bit (the engine uses a table): the TFRecord checksum, checked independently.
std::uint32_t crc32cBitwise(const std::string &bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : bytes) {
        c ^= b;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1u)));
    }
    return ~c;
}
std::uint32_t masked(const std::string &bytes) {
    const auto c = crc32cBitwise(bytes);
    return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}
std::uint64_t varintAt(const std::string &s, std::size_t &i) {
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        const auto b = static_cast<unsigned char>(s.at(i++));
        v |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80)) return v;
    }
}
// The protocol-buffer fields of one message: field number -> raw value bytes (varints as text).
std::multimap<int, std::string> fieldsOf(const std::string &m) {
    std::multimap<int, std::string> out;
    for (std::size_t i = 0; i < m.size();) {
        const auto key = varintAt(m, i);
        const int field = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
        if (wire == 0)
            out.emplace(field, std::to_string(varintAt(m, i)));
        else if (wire == 1)
            out.emplace(field, m.substr(i, 8)), i += 8;
        else if (wire == 5)
            out.emplace(field, m.substr(i, 4)), i += 4;
        else {
            const auto n = varintAt(m, i);
            out.emplace(field, m.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace

// A short run with TensorBoard export: every record's framing and checksums hold, the first event
// names the file version, then one summary per step with the losses and the routing load.
void TestTrainer::tensorboardEventsHoldEveryStep() {
    QCOMPARE(crc32cBitwise("123456789"), 0xE3069283u);  // the standard check value
    auto o = tinyRun(dir_, "tensorboard");
    o.epochs = 1;
    o.tensorboard = true;
    const auto summary = train(o, {});
    std::string file;
    for (const auto &entry : std::filesystem::directory_iterator(o.outDir + "/tensorboard"))
        file = entry.path().string();
    QVERIFY(file.find("events.out.tfevents.") != std::string::npos);
    const std::string bytes = test::readFile(file);
    std::vector<std::string> events;
    for (std::size_t i = 0; i < bytes.size();) {
        QVERIFY(i + 12 <= bytes.size());
        const std::string length = bytes.substr(i, 8);
        std::uint64_t n;
        std::uint32_t lengthCrc, dataCrc;
        std::memcpy(&n, length.data(), 8);
        std::memcpy(&lengthCrc, bytes.data() + i + 8, 4);
        QCOMPARE(lengthCrc, masked(length));
        const std::string data = bytes.substr(i + 12, n);
        std::memcpy(&dataCrc, bytes.data() + i + 12 + n, 4);
        QCOMPARE(dataCrc, masked(data));
        events.push_back(data);
        i += 12 + n + 4;
    }
    QCOMPARE(static_cast<std::int64_t>(events.size()), 1 + summary.steps);
    QCOMPARE(fieldsOf(events[0]).find(3)->second, std::string("brain.Event:2"));
    const auto last = fieldsOf(events.back());
    QCOMPARE(last.find(2)->second, std::to_string(summary.steps));
    std::map<std::string, float> values;
    for (const auto &[field, value] : fieldsOf(last.find(5)->second)) {
        const auto v = fieldsOf(value);
        float x;
        std::memcpy(&x, v.find(2)->second.data(), 4);
        values[v.find(1)->second] = x;
    }
    QCOMPARE(values.count("loss/total"), size_t(1));
    QVERIFY(std::abs(values["loss/total"] - summary.lastLoss) < 1e-4 * std::abs(summary.lastLoss));
    QCOMPARE(values.count("routing_load/ngql"), size_t(1));
    QVERIFY(values["loss/balance"] > 0);
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
