// info, tokenize, generate, train, pretrain, export-peft, eval, bench generate|score|train.
#include "../commands.h"

#include "momq/compute.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/evaluation.h"
#include "momq/generation.h"
#include "momq/language_model.h"
#include "momq/prompt.h"
#include "momq/query_generator.h"
#include "momq/safetensors.h"
#include "momq/tokenizer.h"
#include "momq/trainer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <tuple>
#include <vector>

namespace cli {

namespace {

using nlohmann::json;

std::atomic<bool> interrupted{false};
extern "C" void onInterrupt(int) { interrupted.store(true); }

struct ModelOptions {
    std::string model, device = "auto", dtype = "auto";
    void addTo(CLI::App *cmd, bool withDevice) {
        cmd->add_option("--model", model, "Hugging Face model folder (config.json, *.safetensors, tokenizer.json)")
            ->required();
        if (withDevice) {
            cmd->add_option("--device", device, "auto | cpu | cuda");
            cmd->add_option("--dtype", dtype, "auto | f32 | bf16 | f16 (CUDA)");
        }
    }
    momq::LoadOptions load() const { return {device, dtype}; }
};

json infoJson(const std::string &dir) {
    const auto config = momq::loadModelConfig(dir);
    const auto ckpt = momq::Checkpoint::open(dir);
    momq::checkCheckpointMatchesConfig(config, ckpt, dir);  // a summary of a model that cannot load misleads
    std::int64_t parameters = 0;
    std::map<std::string, std::int64_t> dtypes;
    for (const auto &name : ckpt.names()) {
        const auto *e = ckpt.find(name);
        parameters += e->tensor->numel();
        dtypes[momq::dtypeName(e->tensor->dtype)] += e->tensor->numel();
    }
    json out = json::parse(momq::modelConfigToJson(config));
    out["architecture"] = config.modelType;
    out["parameters"] = parameters;
    out["checkpoint_files"] = ckpt.files().size();
    out["checkpoint_bytes"] = ckpt.totalBytes();
    out["stored_dtypes"] = dtypes;
    return out;
}

std::vector<int> parseIdList(const std::string &text) {
    std::vector<int> ids;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            std::size_t used = 0;
            ids.push_back(std::stoi(item, &used));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception &) {
            throw momq::FormatError("--decode: \"" + item + "\" is not a token id (expected e.g. 1,2,3)");
        }
    }
    return ids;
}

// Deterministic prompt ids shared with scripts/bench_hf_generate.py, so both sides see the same input.
std::vector<int> benchPrompt(int length, int vocab) {
    std::vector<int> ids(length);
    for (int i = 0; i < length; ++i) ids[i] = static_cast<int>((std::int64_t{i} * 7919 + 13) % vocab);
    return ids;
}

// Training callbacks for the terminal: a one-line progress bar on stderr (step, loss, learning
// rate, ETA), bad items reported, Ctrl-C as a cancel.
momq::TrainCallbacks terminalCallbacks(const std::atomic<bool> *cancel) {
    momq::TrainCallbacks cb;
    cb.cancel = cancel;
    cb.onProblem = [](const momq::ItemProblem &p) { std::cerr << "momq: bad item: " << p.describe() << "\n"; };
    cb.onStep = [](const momq::TrainStep &st) {
        const int width = 30, filled = static_cast<int>(width * st.step / std::max<std::int64_t>(1, st.totalSteps));
        const auto eta = static_cast<long>(st.secondsLeft);
        std::fprintf(stderr, "\r[%s%s] %lld/%lld loss %.4f lr %.2e ETA %02ld:%02ld:%02ld",
                     std::string(filled, '=').c_str(), std::string(width - filled, ' ').c_str(),
                     static_cast<long long>(st.step), static_cast<long long>(st.totalSteps), st.totalLoss,
                     st.learningRate, eta / 3600, eta / 60 % 60, eta % 60);
        return true;
    };
    return cb;
}

json trainSummaryJson(const momq::TrainSummary &summary) {
    return {{"steps", summary.steps},
            {"train_items", summary.trainItems},
            {"skipped_items", summary.skippedItems},
            {"last_loss", summary.lastLoss},
            {"stopped_early", summary.stoppedEarly},
            {"adapters", summary.adapterDirs}};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Every option of the model commands; each command reads its own.
struct State {
    ModelOptions model;
    std::string text, file, decode, rawPrompt, out, adapter, dialect, schema, question, evidence, routingOut;
    int maxNew = 128, beams = 1, promptTokens = 128, newTokens = 64, runs = 3;
    bool printIds = false;
    CLI::App *info, *tokenize, *generate, *benchGenerate, *train, *pretrain, *benchTrain, *benchScore, *exportPeft,
        *eval;
    momq::ModelShape shape;
    momq::TrainOptions pretrainOptions;
    std::string tokenizerDir;
    int scoreCount = 1000, evalLimit = 0, evalOffset = 0, evalCandidates = 1;
    bool unconstrained = false;
    int benchBatch = 4;  // apart from `train`'s --batch-size, whose 0 means "from the config"
    std::vector<std::string> scoreDialects{"postgresql", "sqlite"};
    std::string predictions, evalData, evalSchemas, databases;
    int timeoutMs = 30000;
    int seqLen = 128, benchSteps = 3, benchRank = 8, benchRounds = 3;
    bool benchCheckpoint = false;
    std::string benchPrecision = "f32";
    std::vector<std::string> benchRuns;
    double benchDropout = 0.05;
    std::string peftOut;
    momq::TrainOptions trainOptions;
    std::string method = "momq", configFile, limits, onBadItem = "skip", routing;
    double lr = 0;
    int epochs = 0, batch = 0, rank = 0, saveEvery = 0;
    std::int64_t maxSteps = 0;
    std::uint64_t seed = 0;
};

void runInfo(State *s) { std::cout << infoJson(s->model.model).dump(2) << "\n"; }

void runTokenize(State *s) {
    const auto tok = momq::Tokenizer::load(s->model.model);
    if (!s->decode.empty()) {
        const auto ids = parseIdList(s->decode);
        for (int id : ids)  // typed by a person: an id the vocabulary lacks is a mistake worth naming
            if (tok->tokenText(id).empty())
                throw momq::FormatError("--decode: token id " + std::to_string(id) +
                                        " is not in the vocabulary (size " + std::to_string(tok->vocabSize()) + ")");
        std::cout << tok->decode(ids) << "\n";
    } else if (!s->file.empty()) {
        std::ifstream in(s->file);
        if (!in) throw momq::Error(s->file + ": cannot open file for reading");
        std::string line;
        while (std::getline(in, line)) std::cout << json(tok->encode(line)).dump() << "\n";
    } else {
        std::cout << json(tok->encode(s->text)).dump() << "\n";
    }
}

// `generate --question`: the app's question -> query path; the query on stdout, streamed.
void generateQuery(State *s) {
    const auto dialect = momq::parseDialect(s->dialect);
    const auto schema = momq::loadSchemaFile(s->schema);
    const auto generator = momq::QueryGenerator::load(s->model.model, s->model.load(), s->adapter);
    momq::QueryGenerator::Options o;
    o.maxNewTokens = s->maxNew;
    o.numBeams = s->beams;
    o.traceRouting = !s->routingOut.empty();
    o.cancel = &interrupted;
    std::signal(SIGINT, onInterrupt);
    const auto r = generator.generate({dialect, s->question, &schema, s->evidence}, o);
    std::signal(SIGINT, SIG_DFL);
    if (!r.fits)
        throw momq::Error("the prompt does not fit the model's context, even with the schema cut down (" +
                          r.promptNote + ")");
    if (s->printIds)
        std::cout << json(r.tokens).dump() << "\n";
    else
        std::cout << r.query << "\n";
    std::cerr << "momq: prompt " << r.promptTokens << " tokens"
              << (r.promptNote.empty() ? "" : " (" + r.promptNote + ")") << ", " << r.generatedTokens
              << " generated, stopped by " << momq::stopReasonName(r.stopReason) << "\n";
    if (o.traceRouting) std::ofstream(s->routingOut) << r.trace.toJson() << "\n";
}

// `generate --raw-prompt`: continues a text as it is, streaming it.
void continuePrompt(State *s) {
    const auto tok = momq::Tokenizer::load(s->model.model);
    const auto model = momq::LanguageModel::load(s->model.model, s->model.load());
    momq::GenerationOptions o;
    o.maxNewTokens = s->maxNew;
    o.numBeams = s->beams;
    if (!s->adapter.empty()) o.adapter = momq::Adapter::load(*model, s->adapter);
    momq::RoutingTrace trace;
    if (!s->routingOut.empty()) o.routing = &trace;
    o.stopTokenIds = momq::defaultStopTokens(model->config(), *tok);
    o.cancel = &interrupted;
    momq::IncrementalDecoder stream(tok);
    if (!s->printIds)
        o.onToken = [&stream](int, int token) {
            std::cout << stream.push(token) << std::flush;
            return true;
        };
    std::signal(SIGINT, onInterrupt);
    const auto result = momq::generate(*model, {tok->encode(s->rawPrompt)}, o);
    std::signal(SIGINT, SIG_DFL);
    if (s->printIds)
        std::cout << json(result.tokens[0]).dump() << "\n";
    else
        std::cout << stream.finish() << "\n";
    std::cerr << "momq: " << result.generatedTokens << " tokens, stopped by "
              << momq::stopReasonName(result.stopReasons[0]) << "\n";
    if (o.routing) std::ofstream(s->routingOut) << trace.toJson() << "\n";
}

void runGenerate(State *s) {
    if (!s->question.empty()) {
        if (s->dialect.empty() || s->schema.empty()) throw momq::FormatError("--question needs --dialect and --schema");
        generateQuery(s);
    } else {
        if (s->rawPrompt.empty())
            throw momq::FormatError("give --raw-prompt TEXT, or --question with --dialect and --schema");
        continuePrompt(s);
    }
}

void runBenchGenerate(State *s) {
    momq::resetPeakResidentBytes();
    const auto before = momq::residentBytes();
    auto loadStart = std::chrono::steady_clock::now();
    const auto model = momq::LanguageModel::load(s->model.model, s->model.load());
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    const auto loadPeak = momq::peakResidentBytes();
    const auto ckptBytes = momq::Checkpoint::open(s->model.model).totalBytes();
    momq::GenerationOptions o;
    o.maxNewTokens = s->newTokens;  // no stop tokens: always the full count
    const auto prompt = benchPrompt(s->promptTokens, model->config().vocabSize);
    std::vector<double> prefill, decode;
    for (int run = 0; run <= s->runs; ++run) {
        const auto r = momq::generate(*model, {prompt}, o);
        if (run == 0) continue;  // warm-up
        prefill.push_back(s->promptTokens / r.prefillSeconds);
        decode.push_back((r.generatedTokens - 1) / r.decodeSeconds);
    }
    const auto info = momq::computeInfo();
    json out = {{"engine", "momq"},
                {"model", s->model.model},
                {"parameters", model->parameterCount()},
                {"device", model->device()},
                {"dtype", model->dtype()},
                {"threads", info.cpuThreads},
                {"prompt_tokens", s->promptTokens},
                {"new_tokens", s->newTokens},
                {"runs", s->runs},
                {"prefill_tokens_per_s", median(prefill)},
                {"decode_tokens_per_s", median(decode)},
                {"load_seconds", loadSeconds},
                {"checkpoint_mb", ckptBytes / 1e6},
                {"load_rss_increase_mb", (loadPeak - before) / 1e6},
                {"load_rss_ratio", static_cast<double>(loadPeak - before) / static_cast<double>(ckptBytes)},
                {"peak_rss_mb", momq::peakResidentBytes() / 1e6}};
    std::cout << out.dump(2) << "\n";
    if (!s->out.empty()) std::ofstream(s->out) << out.dump(2) << "\n";
}

void runEval(State *s) {
    if (s->predictions.empty() == s->model.model.empty())
        throw momq::FormatError("give either --predictions or --model");
    const auto items = momq::selectPerDialect(
        momq::readDatasetJsonl(s->evalData, [](const momq::ItemProblem &p) { throw momq::FormatError(p.describe()); }),
        s->evalLimit, s->evalOffset);
    const auto databases = momq::loadDatabaseConfig(s->databases);
    momq::Predictions predictions;
    if (!s->predictions.empty()) {
        predictions.queries = momq::readPredictions(s->predictions);
    } else {
        if (s->evalSchemas.empty()) throw momq::FormatError("--model needs --schemas");
        momq::PredictionOptions o;
        o.modelDir = s->model.model;
        o.adapterDir = s->adapter;
        o.schemaDir = s->evalSchemas;
        o.device = s->model.load().device;
        o.dtype = s->model.load().dtype;
        o.maxNewTokens = s->maxNew;
        o.constrainToSchema = !s->unconstrained;
        o.candidates = s->evalCandidates;
        o.databases = &databases;
        o.execution.timeoutMs = s->timeoutMs;
        o.cancel = &interrupted;
        o.onProgress = [](std::size_t done, std::size_t total) {
            std::fprintf(stderr, "\rgenerating %zu/%zu", done, total);
        };
        std::signal(SIGINT, onInterrupt);
        predictions = momq::predictQueries(items, o);
        std::signal(SIGINT, SIG_DFL);
        std::cerr << "\n";
    }
    momq::ExecutionOptions eo;
    eo.timeoutMs = s->timeoutMs;
    auto report = momq::scorePredictions(items, predictions.queries, databases, eo);
    report.notePrompts(predictions.promptNotes);
    momq::writeFileAtomically(s->out, report.toJson() + "\n");
    std::cout << report.table();
}

void runExportPeft(State *s) {
    momq::exportPeftAdapter(s->adapter, s->model.model, s->peftOut);
    std::cout << json{{"peft_adapter", s->peftOut}}.dump(2) << "\n";
}

void runBenchTrain(State *s) {
    momq::AdapterConfig base;
    base.rank = s->benchRank;
    base.alpha = 2.0 * s->benchRank;
    base.dropout = s->benchDropout;
    base.trainNorms = false;  // as PEFT, for the side-by-side figure; the same for every run
    auto lora = base;
    lora.method = momq::TrainMethod::Lora;
    lora.targets.push_back("down_proj");
    auto paper = base;
    auto reference = base;
    reference.routing = momq::RoutingVariant::Reference;
    const std::vector<std::tuple<std::string, momq::AdapterConfig, std::string>> all = {
        {"lora", lora, "grouped"},
        {"momq-paper", paper, "grouped"},
        {"momq-paper-loop", paper, "loop"},
        {"momq-reference", reference, "grouped"},
        {"momq-reference-loop", reference, "loop"},
        {"momq-paper-dense", paper, "dense"},
        {"momq-reference-dense", reference, "dense"}};
    std::vector<std::tuple<std::string, momq::AdapterConfig, std::string>> configs;
    for (const auto &run : all)
        if (s->benchRuns.empty() || std::count(s->benchRuns.begin(), s->benchRuns.end(), std::get<0>(run)))
            configs.push_back(run);
    for (const auto &name : s->benchRuns)
        if (std::none_of(all.begin(), all.end(), [&](const auto &run) { return std::get<0>(run) == name; }))
            throw momq::FormatError("--runs: no run named \"" + name + "\"");
    momq::TrainBenchmarkOptions bench;
    bench.modelDir = s->model.model;
    bench.device = s->model.device;
    bench.precision = s->benchPrecision;
    bench.gradientCheckpointing = s->benchCheckpoint;
    bench.batchSize = s->benchBatch;
    bench.sequenceLength = s->seqLen;
    bench.steps = s->benchSteps;
    const auto &mc = momq::loadModelConfig(s->model.model);
    const int tokens = s->benchBatch * s->seqLen;
    const auto device = momq::resolveDevice(s->model.device);
    // Every run once per round, the rounds one after another: this VM's speed drifts by
    // ±15 % over minutes, and the median of rounds spread over the whole measurement is
    // what the ratios compare.
    std::map<std::string, std::vector<double>> stepRounds, dispatchRounds;
    std::map<std::string, double> firstPeakMb;
    std::map<std::string, std::int64_t> trainable;
    for (int round = 0; round < s->benchRounds; ++round) {
        for (const auto &[name, config, dispatch] : configs) {
            momq::resetPeakResidentBytes();
            const auto r = momq::benchmarkTrainStep(bench, config, dispatch);
            stepRounds[name].push_back(r.secondsPerStep);
            if (round == 0) firstPeakMb[name] = momq::peakResidentBytes() / 1e6;
            trainable[name] = r.trainableParameters;
        }
        for (const auto &[name, config, dispatch] : configs)
            if (name != "lora")
                dispatchRounds[name].push_back(momq::benchmarkExpertDispatch(
                    config, dispatch, tokens, mc.intermediateSize, mc.hiddenSize, 3, device));
    }
    json runs = json::array();
    std::map<std::string, double> step, expert;
    for (const auto &[name, config, dispatch] : configs) {
        step[name] = median(stepRounds[name]);
        runs.push_back({{"run", name},
                        {"seconds_per_step", step[name]},
                        {"seconds_per_step_rounds", stepRounds[name]},
                        {"tokens_per_s", tokens / step[name]},
                        {"trainable_parameters", trainable[name]},
                        {"peak_rss_mb", firstPeakMb[name]}});
        if (name != "lora") expert[name] = median(dispatchRounds[name]);
    }
    // a / b where both runs were measured, null otherwise
    auto ratio = [](const std::map<std::string, double> &of, const std::string &a, const std::string &b) {
        return of.count(a) && of.count(b) ? json(of.at(a) / of.at(b)) : json(nullptr);
    };
    const auto info = momq::computeInfo();
    json out = {{"model", s->model.model},
                {"device", device},
                {"precision", s->benchPrecision},
                {"batch_size", s->benchBatch},
                {"seq_len", s->seqLen},
                {"rank", s->benchRank},
                {"gradient_checkpointing", s->benchCheckpoint},
                {"dropout", s->benchDropout},
                {"steps", s->benchSteps},
                {"rounds", s->benchRounds},
                {"threads", info.cpuThreads},
                {"runs", runs},
                {"momq_paper_over_lora", ratio(step, "momq-paper", "lora")},
                {"momq_reference_over_lora", ratio(step, "momq-reference", "lora")},
                {"momq_paper_dense_over_lora", ratio(step, "momq-paper-dense", "lora")},
                {"momq_reference_dense_over_lora", ratio(step, "momq-reference-dense", "lora")},
                {"loop_over_grouped_step_paper", ratio(step, "momq-paper-loop", "momq-paper")},
                {"loop_over_grouped_step_reference", ratio(step, "momq-reference-loop", "momq-reference")},
                {"expert_dispatch_seconds", expert},
                {"expert_dispatch_seconds_rounds", dispatchRounds},
                {"loop_over_grouped_dispatch_paper", ratio(expert, "momq-paper-loop", "momq-paper")},
                {"loop_over_grouped_dispatch_reference", ratio(expert, "momq-reference-loop", "momq-reference")}};
    std::cout << out.dump(2) << "\n";
    if (!s->out.empty()) momq::writeFileAtomically(s->out, out.dump(2) + "\n");
}

void runBenchScore(State *s) {
    std::map<std::string, int> taken;
    std::vector<momq::DatasetItem> items;
    std::map<std::string, std::string> predictions;
    const auto all =
        momq::readDatasetJsonl(s->evalData, [](const momq::ItemProblem &p) { throw momq::FormatError(p.describe()); });
    for (const auto &item : all)
        if (std::find(s->scoreDialects.begin(), s->scoreDialects.end(), item.dialect) != s->scoreDialects.end() &&
            taken[item.dialect]++ < s->scoreCount) {
            items.push_back(item);
            predictions[item.itemId] = item.query;
        }
    const auto config = momq::loadDatabaseConfig(s->databases);
    const auto start = std::chrono::steady_clock::now();
    const auto report = momq::scorePredictions(items, predictions, config);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char date[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
    json out = {{"date", date},
                {"data", std::filesystem::path(s->evalData).filename().string()},
                {"predictions", items.size()},
                {"seconds", seconds},
                {"predictions_per_second", items.size() / seconds},
                {"cpu_cores", momq::computeInfo().cpuCores}};
    for (const auto &[dialect, score] : report.dialects)
        out["dialects"][dialect] = {
            {"items", score.items}, {"method", score.method}, {"ex", score.ex()}, {"exec", score.exec()}};
    std::cout << out.dump(2) << "\n";
    if (!s->out.empty()) std::ofstream(s->out) << out.dump(2) << "\n";
}

void runTrain(State *s) {
    auto &o = s->trainOptions;
    o.adapter.method = momq::trainMethodFromName(s->method);
    if (o.adapter.method == momq::TrainMethod::Lora || o.adapter.method == momq::TrainMethod::SingleDialect)
        o.adapter.targets = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    if (!s->configFile.empty()) {
        std::ifstream in(s->configFile);
        if (!in) throw momq::Error(s->configFile + ": cannot open file for reading");
        std::ostringstream text;
        text << in.rdbuf();
        momq::applyTrainConfigJson(o, text.str(), s->configFile);
    }
    if (!s->limits.empty()) o.perDialectLimit = momq::parseDialectLimits(s->limits);
    o.skipBadItems = s->onBadItem == "skip";
    if (!s->routing.empty())
        o.adapter.routing = s->routing == "paper" ? momq::RoutingVariant::Paper : momq::RoutingVariant::Reference;
    if (s->lr > 0) o.learningRate = s->lr;
    if (s->epochs > 0) o.epochs = s->epochs;
    if (s->batch > 0) o.batchSize = s->batch;
    if (s->rank > 0) {
        o.adapter.rank = s->rank;
        o.adapter.alpha = 2.0 * s->rank;
    }
    if (s->saveEvery > 0) o.saveEvery = s->saveEvery;
    if (s->maxSteps > 0) o.maxSteps = s->maxSteps;
    if (s->seed > 0) o.seed = s->seed;
    std::signal(SIGINT, onInterrupt);
    const auto summary = momq::train(o, terminalCallbacks(&interrupted));
    std::signal(SIGINT, SIG_DFL);
    std::cerr << "\n";
    std::cout << trainSummaryJson(summary).dump(2) << "\n";
}

void runPretrain(State *s) {
    auto &o = s->pretrainOptions;
    o.adapter.method = momq::TrainMethod::Full;
    o.modelDir = o.outDir + "/init";
    if (!o.resume) momq::createRandomModel(s->shape, s->tokenizerDir, o.modelDir, o.seed);
    std::signal(SIGINT, onInterrupt);
    const auto summary = momq::train(o, terminalCallbacks(&interrupted));
    std::signal(SIGINT, SIG_DFL);
    std::cerr << "\n";
    auto out = trainSummaryJson(summary);
    if (!summary.stoppedEarly) {  // the trained model, in Hugging Face layout
        momq::replaceDirectory(o.outDir + "/adapter", o.outDir + "/model");
        out["adapters"] = json::array();
        out["model"] = o.outDir + "/model";
    }
    std::cout << out.dump(2) << "\n";
}

}  // namespace

void addModelCommands(CLI::App &app, Commands &commands) {
    auto s = std::make_shared<State>();

    s->info = app.add_subcommand("info", "summarise a model folder as JSON (architecture, sizes, parameters, dtype)");
    s->info->add_option("--model", s->model.model, "model folder")->required();

    s->tokenize = app.add_subcommand("tokenize", "token ids of a text or of each line of a file, or the text of ids");
    s->tokenize->add_option("--model", s->model.model, "model or tokenizer folder")->required();
    auto *text = s->tokenize->add_option("--text", s->text, "text to encode");
    auto *file = s->tokenize->add_option("--file", s->file, "file whose lines to encode, one JSON array per line");
    auto *decode = s->tokenize->add_option("--decode", s->decode, "comma-separated ids to decode");
    text->excludes(file)->excludes(decode);
    file->excludes(decode);

    s->generate = app.add_subcommand("generate", "continue a prompt, streaming the text (Ctrl-C stops)");
    s->model.addTo(s->generate, true);
    auto *raw = s->generate->add_option("--raw-prompt", s->rawPrompt, "the prompt text, used as is (no chat template)");
    auto *question = s->generate->add_option("--question", s->question,
                                             "a question, put into MoMQ's prompt with --dialect and --schema");
    raw->excludes(question);
    s->generate->add_option("--dialect", s->dialect, "mysql | postgresql | sqlite | cypher | ngql (with --question)");
    s->generate->add_option("--schema", s->schema, "schema JSON file (with --question)");
    s->generate->add_option("--evidence", s->evidence, "extra knowledge for the 参考信息 section (with --question)");
    s->generate->add_option("--adapter", s->adapter, "a trained adapter folder (RUN_DIR/adapter)");
    s->generate->add_option("--routing-out", s->routingOut, "write the MoMQ routing of every layer and token as JSON");
    s->generate->add_option("--max-new-tokens", s->maxNew, "most tokens to generate")->check(CLI::PositiveNumber);
    s->generate->add_option("--beams", s->beams, "beam width (1: greedy)")->check(CLI::PositiveNumber);
    s->generate->add_flag("--ids", s->printIds, "print the new token ids as JSON instead of text");

    auto *bench = app.add_subcommand("bench", "benchmarks written as JSON");
    s->benchGenerate =
        bench->add_subcommand("generate", "prefill and decode tokens/s and peak memory of greedy generation");
    s->model.addTo(s->benchGenerate, true);
    s->benchGenerate->add_option("--prompt-tokens", s->promptTokens, "prompt length")->check(CLI::PositiveNumber);
    s->benchGenerate->add_option("--new-tokens", s->newTokens, "tokens to generate (no early stop)")
        ->check(CLI::PositiveNumber);
    s->benchGenerate->add_option("--runs", s->runs, "timed runs after one warm-up; the median is reported")
        ->check(CLI::PositiveNumber);
    s->benchGenerate->add_option("--out", s->out, "also write the JSON to this file");

    s->benchScore =
        bench->add_subcommand("score", "time of scoring gold-as-prediction items against real databases (EX/EXEC)");
    s->benchScore->add_option("--data", s->evalData, "items JSONL (e.g. the built-in benchmark's train.jsonl)")
        ->required();
    s->benchScore->add_option("--databases", s->databases, "database config JSON")->required();
    s->benchScore->add_option("--dialects", s->scoreDialects, "dialects to score")
        ->delimiter(',')
        ->capture_default_str();
    s->benchScore->add_option("--count", s->scoreCount, "items per dialect")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    s->benchScore->add_option("--out", s->out, "also write the JSON to this file");

    s->benchTrain =
        bench->add_subcommand("train", "step time of LoRA and MoMQ (both routings; grouped, dense and loop dispatch)");
    s->benchTrain->add_option("--model", s->model.model, "model folder")->required();
    s->benchTrain->add_option("--device", s->model.device, "auto | cpu | cuda");
    s->benchTrain->add_option("--batch-size", s->benchBatch, "sequences per step")->capture_default_str();
    s->benchTrain->add_option("--seq-len", s->seqLen, "tokens per sequence");
    s->benchTrain->add_option("--steps", s->benchSteps, "timed steps after one warm-up");
    s->benchTrain->add_option("--rank", s->benchRank, "LoRA and expert rank");
    s->benchTrain
        ->add_option("--rounds", s->benchRounds,
                     "times every run is measured, spread over the whole benchmark; medians are reported")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    s->benchTrain->add_option("--dropout", s->benchDropout,
                              "LoRA and expert dropout (0 shows the dispatch without mask drawing)");
    s->benchTrain->add_flag("--gradient-checkpointing", s->benchCheckpoint,
                            "recompute each layer in the backward pass (every run)");
    s->benchTrain
        ->add_option("--precision", s->benchPrecision,
                     "f32 | bf16 (frozen weights bf16, trained float32, forward under autocast)")
        ->capture_default_str();
    s->benchTrain
        ->add_option("--runs", s->benchRuns,
                     "only these runs (lora, momq-paper, momq-paper-loop, momq-reference, momq-reference-loop, "
                     "momq-paper-dense, momq-reference-dense); all by default")
        ->delimiter(',');
    s->benchTrain->add_option("--out", s->out, "also write the JSON to this file");

    s->exportPeft = app.add_subcommand("export-peft", "write a plain-LoRA adapter in Hugging Face PEFT's layout");
    s->exportPeft->add_option("--adapter", s->adapter, "the adapter folder (RUN_DIR/adapter of a --method lora run)")
        ->required();
    s->exportPeft->add_option("--model", s->model.model, "its base model folder")->required();
    s->exportPeft->add_option("--out", s->peftOut, "folder to write")->required();

    s->eval = app.add_subcommand("eval", "score predictions (or a model's own) with EX and EXEC on real databases");
    s->eval->add_option("--predictions", s->predictions, "JSONL of {\"id\", \"query\"} to score (no model needed)");
    s->eval->add_option("--model", s->model.model, "generate the predictions with this model first");
    s->eval->add_option("--adapter", s->adapter, "adapter for --model");
    s->eval->add_option("--data", s->evalData, "test items, JSONL")->required();
    s->eval->add_option("--schemas", s->evalSchemas, "folder of <db_id>.json schema files (with --model)");
    s->eval->add_option("--databases", s->databases, "database config JSON (db_id and dialect -> connection)")
        ->required();
    s->eval->add_option("--out", s->out, "write the full report (per-item records) here")->required();
    s->eval->add_option("--timeout-ms", s->timeoutMs, "per-query time limit");
    s->eval->add_option("--max-new-tokens", s->maxNew, "longest generated query (with --model)");
    s->eval->add_option("--per-dialect-limit", s->evalLimit, "score only the first n items of each dialect");
    s->eval->add_flag("--no-constraint", s->unconstrained,
                      "with --model: decode without the dialect's grammar and the schema's names (on by default)");
    s->eval
        ->add_option("--candidates", s->evalCandidates,
                     "with --model: N beam candidates, each run read-only on the item's database; the first "
                     "that returns rows is kept (one retry with the error when none runs)")
        ->check(CLI::Range(1, 16))
        ->capture_default_str();
    s->eval->add_option("--per-dialect-offset", s->evalOffset,
                        "leave out the first n items of each dialect (e.g. those trained on)");

    auto &pre = s->pretrainOptions;  // pre-training defaults: a small model learns fast
    pre.maxLength = 256;
    pre.learningRate = 1e-3;
    pre.epochs = 1;
    pre.batchSize = 8;
    pre.warmupRatio = 0.05;
    pre.groupByLength = false;
    s->pretrain =
        app.add_subcommand("pretrain", "pre-train a new small Qwen2 model from scratch on a JSONL {\"text\"} corpus");
    s->pretrain->add_option("--tokenizer", s->tokenizerDir, "folder with tokenizer.json (`momq tokenizer train`)")
        ->required();
    s->pretrain->add_option("--corpus", s->pretrainOptions.corpusPath, "JSONL corpus (`momq data corpus`)")->required();
    s->pretrain
        ->add_option("--out", s->pretrainOptions.outDir, "run folder: init/ (the random start), metrics.jsonl, model/")
        ->required();
    s->pretrain->add_option("--hidden", s->shape.hiddenSize, "hidden size")->capture_default_str();
    s->pretrain->add_option("--intermediate", s->shape.intermediateSize, "MLP size")->capture_default_str();
    s->pretrain->add_option("--layers", s->shape.numLayers, "decoder layers")->capture_default_str();
    s->pretrain->add_option("--heads", s->shape.numHeads, "attention heads")->capture_default_str();
    s->pretrain->add_option("--kv-heads", s->shape.numKeyValueHeads, "key/value heads")->capture_default_str();
    s->pretrain->add_option("--positions", s->shape.maxPositions, "longest sequence the model takes")
        ->capture_default_str();
    s->pretrain->add_option("--seq-len", s->pretrainOptions.maxLength, "tokens per training window")
        ->capture_default_str();
    s->pretrain->add_option("--lr", s->pretrainOptions.learningRate, "peak learning rate")->capture_default_str();
    s->pretrain->add_option("--epochs", s->pretrainOptions.epochs, "passes over the corpus")->capture_default_str();
    s->pretrain->add_option("--batch-size", s->pretrainOptions.batchSize, "windows per step")->capture_default_str();
    s->pretrain->add_option("--max-steps", s->pretrainOptions.maxSteps, "stop after this many steps");
    s->pretrain->add_option("--seed", s->pretrainOptions.seed, "random seed (weights and order)");
    s->pretrain->add_option("--device", s->pretrainOptions.device, "auto | cpu | cuda");
    s->pretrain->add_flag("--resume", s->pretrainOptions.resume, "continue from the run folder's last checkpoint");

    s->train = app.add_subcommand("train", "fine-tune with MoMQ, LoRA, full fine-tuning or one LoRA per dialect");
    s->train->add_option("--model", s->trainOptions.modelDir, "base model folder")->required();
    s->train->add_option("--data", s->trainOptions.dataPath, "training items, JSONL")->required();
    s->train->add_option("--schemas", s->trainOptions.schemaDir, "folder of <db_id>.json schema files")->required();
    s->train->add_option("--out", s->trainOptions.outDir, "run folder: metrics.jsonl, checkpoint/, adapter/")
        ->required();
    s->train->add_option("--method", s->method, "momq | lora | full | single-dialect");
    s->train->add_option("--config", s->configFile,
                         "JSON file with any training or adapter setting (snake_case names)");
    s->train->add_option("--per-dialect-limit", s->limits,
                         "keep the first n items per dialect, e.g. mysql=3000,postgresql=128");
    s->train->add_option("--on-bad-item", s->onBadItem, "skip | stop")->check(CLI::IsMember({"skip", "stop"}));
    s->train->add_option("--routing", s->routing, "paper | reference")->check(CLI::IsMember({"paper", "reference"}));
    s->train->add_option("--lr", s->lr, "peak learning rate");
    s->train->add_option("--epochs", s->epochs, "epochs");
    s->train->add_option("--batch-size", s->batch, "sequences per micro-batch");
    s->train->add_option("--rank", s->rank, "LoRA and expert rank r (alpha follows as 2 r)");
    s->train->add_option("--save-every", s->saveEvery, "optimiser steps between checkpoints");
    s->train->add_option("--max-steps", s->maxSteps, "stop after this many optimiser steps");
    s->train->add_option("--seed", s->seed, "random seed");
    s->train->add_option("--device", s->trainOptions.device, "auto | cpu | cuda");
    s->train->add_flag("--resume", s->trainOptions.resume, "continue from the run folder's last checkpoint");
    s->train->add_flag("--tensorboard", s->trainOptions.tensorboard,
                       "also write TensorBoard event files into RUN_DIR/tensorboard");

    commands.add(s->info, [s] { runInfo(s.get()); });
    commands.add(s->tokenize, [s] { runTokenize(s.get()); });
    commands.add(s->generate, [s] { runGenerate(s.get()); });
    commands.add(s->benchGenerate, [s] { runBenchGenerate(s.get()); });
    commands.add(s->eval, [s] { runEval(s.get()); });
    commands.add(s->exportPeft, [s] { runExportPeft(s.get()); });
    commands.add(s->benchTrain, [s] { runBenchTrain(s.get()); });
    commands.add(s->benchScore, [s] { runBenchScore(s.get()); });
    commands.add(s->train, [s] { runTrain(s.get()); });
    commands.add(s->pretrain, [s] { runPretrain(s.get()); });
}

}  // namespace cli
