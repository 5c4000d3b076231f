// The training loop. One translation unit with the full libtorch front end (optimiser,
// serialisation); everything else of the engine stays on ATen.
#include "momq/trainer.h"

#include "train/adamw.h"
#include "adapt/adapters.h"
#include "model/tensor_io.h"
#include "model/autocast.h"
#include "train/tensorboard.h"
#include "model/qwen2_model.h"

#include "momq/error.h"
#include "core/json_document.h"
#include "momq/files.h"
#include "momq/prompt.h"
#include "momq/tokenizer.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <set>

namespace momq {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The router losses of one batch (MoMQ) from each layer's routing of its B x T tokens: the
// Dialect Router Loss (undefined where the config has none) and the Expert Balance Loss.
struct RouterLosses {
    at::Tensor dialectRouter, balance;
};
RouterLosses routerLosses(const std::vector<Routing> &routing, std::int64_t B, std::int64_t T,
                          const at::Tensor &dialect, const at::Tensor &valid, const AdapterConfig &c) {
    std::vector<at::Tensor> expertLogits, dialectLogits;
    for (const auto &r : routing) {
        expertLogits.push_back(r.expertLogits.view({B, T, -1}));
        if (r.dialectLogits.defined()) dialectLogits.push_back(r.dialectLogits.view({B, T, -1}));
    }
    RouterLosses out;
    if (c.dialectRouter && c.dialectRouterLoss)
        out.dialectRouter = dialectRouterLoss(dialectLogits, dialect, valid, c.routing, c.smoothing);
    out.balance = balanceLoss(expertLogits, valid, c);
    return out;
}

// The one check of `precision`, for training and its benchmark.
void checkPrecision(const std::string &precision) {
    if (precision != "f32" && precision != "bf16")
        throw FormatError("precision: expected f32 or bf16, got \"" + precision + "\"");
}

void checkOptions(const TrainOptions &o) {
    auto need = [](bool ok, const std::string &what) {
        if (!ok) throw FormatError(what);
    };
    need(o.learningRate > 0, "learning_rate: must be positive");
    need(o.epochs > 0, "epochs: must be positive");
    need(o.batchSize > 0, "batch_size: must be positive");
    need(o.gradientAccumulation > 0, "gradient_accumulation: must be positive");
    need(o.maxLength > 8, "max_length: must be more than 8 tokens");
    need(o.warmupRatio >= 0 && o.warmupRatio < 1, "warmup_ratio: must be in [0, 1)");
    need(o.schedule == "cosine" || o.schedule == "constant",
         "schedule: expected cosine or constant, got \"" + o.schedule + "\"");
    dispatchFromName(o.dispatch);  // throws FormatError naming the setting
    checkPrecision(o.precision);
    need(o.saveEvery > 0, "save_every: must be positive");
    need(o.promptLossWeight > 0 && o.promptLossWeight <= 1, "prompt_loss_weight: must be in (0, 1]");
    need(!o.outDir.empty(), "out: a run folder is required");
    need(o.corpusPath.empty() || o.adapter.method == TrainMethod::Full,
         "corpus: pre-training trains the whole model (method full)");
}

// One tokenized training example: the prompt part is masked out of the LM loss (spec 4.1) unless
// promptLoss asks for it.
struct Example {
    std::vector<int> ids;
    int promptLength = 0;
    int dialect = 0;
};

std::vector<Example> buildExamples(const TrainOptions &o, const Tokenizer &tok, int modelPositions,
                                   std::int64_t &skipped, std::int64_t &trimmed,
                                   const std::function<void(const ItemProblem &)> &report) {
    auto problem = [&](const ItemProblem &p) {
        ++skipped;
        if (report) report(p);
        if (!o.skipBadItems) throw FormatError(p.describe());
    };
    // Lines that do not parse are reported in file order with the items' own problems.
    std::vector<ItemProblem> unreadable;
    auto items = readNumberedDatasetJsonl(o.dataPath, [&](const ItemProblem &p) { unreadable.push_back(p); });
    std::size_t nextUnreadable = 0;
    auto reportUnreadableBefore = [&](int line) {
        while (nextUnreadable < unreadable.size() && unreadable[nextUnreadable].line < line)
            problem(unreadable[nextUnreadable++]);
    };
    std::map<std::string, int> taken;
    std::map<std::string, Schema> schemas;
    std::vector<Example> out;
    for (const auto &[item, line] : items) {
        reportUnreadableBefore(line);
        const ItemProblem at{o.dataPath, line, item.itemId, ""};
        auto fail = [&](const std::string &message) {
            ItemProblem p = at;
            p.message = message;
            problem(p);
        };
        if (!o.perDialectLimit.empty()) {  // spec Part 5: first n per dialect, others dropped
            auto limit = o.perDialectLimit.find(item.dialect);
            if (limit == o.perDialectLimit.end() || taken[item.dialect] >= limit->second) continue;
        }
        const int dialect = o.adapter.dialectId(item.dialect);
        if (dialect < 0) {
            fail("dialect: unknown dialect \"" + item.dialect + "\" (this run trains " +
                 json(o.adapter.dialects).dump() + ")");
            continue;
        }
        auto found = schemas.find(item.dbId);
        if (found == schemas.end()) {
            const std::string path = o.schemaDir + "/" + item.dbId + ".json";
            if (!fs::exists(path)) {
                fail("db_id: no schema file " + path);
                continue;
            }
            try {
                found = schemas.emplace(item.dbId, loadSchemaFile(path)).first;
            } catch (const std::exception &e) {
                fail(std::string("db_id: ") + e.what());
                continue;
            }
        }
        try {
            formatSchemaForPrompt(found->second,
                                  dialectInfo(parseDialect(item.dialect)).schemaFormat);  // the right kind of schema?
        } catch (const std::exception &e) {
            fail(std::string("db_id: ") + e.what());
            continue;
        }
        // The prompt gets what the answer leaves of the limit; a schema too big for it is cut down.
        const std::string answer = answerText(item.query);
        const int limit = std::min(o.maxLength, modelPositions);
        const auto prompt = buildPrompt(tok, parseDialect(item.dialect), item.question, found->second, item.evidence,
                                        limit - static_cast<int>(tok.encode(answer).size()));
        Example ex;
        ex.promptLength = static_cast<int>(prompt.ids.size());
        ex.ids = tok.encode(prompt.text + answer);
        ex.dialect = dialect;
        if (static_cast<int>(ex.ids.size()) > limit) {
            fail("prompt and answer take " + std::to_string(ex.ids.size()) +
                 " tokens even with the schema cut down, more than " +
                 (limit == o.maxLength ? "max_length " + std::to_string(o.maxLength)
                                       : "the model's " + std::to_string(modelPositions) + " positions"));
            continue;
        }
        if (!prompt.note().empty()) ++trimmed;
        ++taken[item.dialect];
        out.push_back(std::move(ex));
    }
    reportUnreadableBefore(INT32_MAX);
    return out;
}

std::vector<Example> corpusExamples(const TrainOptions &o, const Tokenizer &tok, int modelPositions) {
    const int endOfText = tok.tokenId("<|endoftext|>");
    std::vector<int> stream;
    for (const auto &text : readTextCorpusJsonl(o.corpusPath)) {
        const auto ids = tok.encode(text);
        stream.insert(stream.end(), ids.begin(), ids.end());
        if (endOfText >= 0) stream.push_back(endOfText);
    }
    const auto window = static_cast<std::size_t>(std::min(o.maxLength, modelPositions));
    std::vector<Example> out;
    for (std::size_t at = 0; at < stream.size(); at += window) {
        Example ex;
        ex.ids.assign(stream.begin() + static_cast<std::ptrdiff_t>(at),
                      stream.begin() + static_cast<std::ptrdiff_t>(std::min(stream.size(), at + window)));
        if (ex.ids.size() > 1) out.push_back(std::move(ex));
    }
    return out;
}

// Batches of one epoch: shuffled by (seed, epoch); with length grouping, mega-batches of 50
// batches are sorted longest first so each batch pads little (as HF's LengthGroupedSampler).
std::vector<std::vector<int>> epochBatches(const std::vector<Example> &examples, const TrainOptions &o, int epoch) {
    std::vector<int> order(examples.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
    std::shuffle(order.begin(), order.end(), rng);
    if (o.groupByLength) {
        const std::size_t mega = static_cast<std::size_t>(o.batchSize) * 50;
        for (std::size_t s = 0; s < order.size(); s += mega) {
            auto end = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), s + mega));
            std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(s), end,
                             [&](int a, int b) { return examples[a].ids.size() > examples[b].ids.size(); });
        }
    }
    std::vector<std::vector<int>> batches;
    for (std::size_t s = 0; s < order.size(); s += static_cast<std::size_t>(o.batchSize))
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(s),
                             order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), s + o.batchSize)));
    return batches;
}

struct Batch {
    at::Tensor ids, positions, labels, valid, dialect;
    at::Tensor lossWeights;  // [B, T] float; undefined: every labelled token counts the same
    std::int64_t tokens = 0;
};

// promptWeight: < 0 leaves the prompt out of the loss; otherwise each prompt token's weight.
Batch makeBatch(const std::vector<Example> &examples, const std::vector<int> &indices, int padId, at::Device device,
                double promptWeight) {
    std::int64_t T = 0;
    for (int i : indices) T = std::max<std::int64_t>(T, examples[i].ids.size());
    const auto B = static_cast<std::int64_t>(indices.size());
    std::vector<std::int64_t> ids(B * T, padId), pos(B * T, 0), labels(B * T, -100), dialect(B);
    std::vector<std::uint8_t> valid(B * T, 0);
    const bool weighted = promptWeight >= 0 && promptWeight != 1.0;
    std::vector<float> weights(weighted ? B * T : 0, 1.0f);
    Batch batch;
    for (std::int64_t b = 0; b < B; ++b) {  // right padding, as the reference collator
        const auto &ex = examples[indices[b]];
        dialect[b] = ex.dialect;
        for (std::size_t t = 0; t < ex.ids.size(); ++t) {
            ids[b * T + t] = ex.ids[t];
            pos[b * T + t] = static_cast<std::int64_t>(t);
            valid[b * T + t] = 1;
            const bool inPrompt = static_cast<int>(t) < ex.promptLength;
            if (!inPrompt || promptWeight >= 0) labels[b * T + t] = ex.ids[t];
            if (weighted && inPrompt) weights[b * T + t] = static_cast<float>(promptWeight);
        }
        batch.tokens += static_cast<std::int64_t>(ex.ids.size());
    }
    auto longs = [&](std::vector<std::int64_t> &v, std::int64_t rows) {
        return at::tensor(v, at::kLong).view({rows, -1}).to(device);
    };
    batch.ids = longs(ids, B);
    batch.positions = longs(pos, B);
    batch.labels = longs(labels, B);
    batch.dialect = at::tensor(dialect, at::kLong).to(device);
    batch.valid = at::from_blob(valid.data(), {B, T}, at::kByte).to(at::kBool).to(device);
    if (weighted) batch.lossWeights = at::tensor(weights, at::kFloat).view({B, T}).to(device);
    return batch;
}

double learningRateAt(const TrainOptions &o, std::int64_t step, std::int64_t total) {
    const auto warmup = static_cast<std::int64_t>(std::ceil(o.warmupRatio * static_cast<double>(total)));
    if (step <= warmup && warmup > 0) return o.learningRate * static_cast<double>(step) / static_cast<double>(warmup);
    if (o.schedule == "constant" || total <= warmup) return o.learningRate;
    const double progress = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
    return o.learningRate * 0.5 * (1.0 + std::cos(M_PI * progress));
}

// What a run trains, behind one interface for adapter methods and full fine-tuning.
struct Trainables {
    const LanguageModel::Impl *model = nullptr;     // the model forward() runs on
    std::unique_ptr<LanguageModel::Impl> fullCopy;  // full fine-tuning only
    AdapterState adapters;
    std::vector<std::pair<std::string, at::Tensor>> named() const {
        return fullCopy ? fullCopy->namedWeights() : adapters.namedParameters();
    }
    void saveWeights(const std::string &file) const { saveNamedTensors(named(), file); }
    void loadWeights(const std::string &file) { loadNamedTensors(named(), file); }
};

struct Position {
    std::int64_t step = 0;
    int epoch = 0;
    std::int64_t batchInEpoch = 0;  // micro-batches of the current epoch already used
};

// Checkpoints are folders checkpoint-<step>, each complete before the file "latest" (replaced
// atomically) names it; older ones go only after that. A crash at any moment leaves "latest"
// naming a whole checkpoint.
// Written under a name no earlier checkpoint has (a second save at one step gets "-2"), then
// `latest` is switched to it atomically, then the older ones go: a kill at any moment leaves
// `latest` naming a complete checkpoint.
void saveCheckpoint(const TrainOptions &o, const Trainables &t, torch::optim::AdamW &optimizer, const Position &p) {
    std::string name = "checkpoint-" + std::to_string(p.step);
    for (int n = 2; fs::exists(o.outDir + "/" + name); ++n)
        name = "checkpoint-" + std::to_string(p.step) + "-" + std::to_string(n);
    const std::string final = o.outDir + "/" + name;
    const std::string tmp = final + ".tmp";
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    t.saveWeights(tmp + "/weights.safetensors");
    torch::save(optimizer, tmp + "/optimizer.pt");
    torch::save(at::detail::getDefaultCPUGenerator().get_state(), tmp + "/rng.pt");
    writeFileAtomically(tmp + "/state.json",
                        json{{"step", p.step}, {"epoch", p.epoch}, {"batch_in_epoch", p.batchInEpoch}}.dump() + "\n");
    syncDirectory(tmp);
    fs::rename(tmp, final);
    syncDirectory(o.outDir);
    writeFileAtomically(o.outDir + "/latest", name + "\n");
    for (const auto &entry : fs::directory_iterator(o.outDir)) {
        const auto other = entry.path().filename().string();
        if (other.rfind("checkpoint-", 0) == 0 && other != name) fs::remove_all(entry.path());
    }
}

Position loadCheckpoint(const TrainOptions &o, Trainables &t, torch::optim::AdamW &optimizer) {
    std::ifstream latest(o.outDir + "/latest");
    std::string name;
    if (!latest || !std::getline(latest, name) || name.empty())
        throw Error(o.outDir + ": no checkpoint to resume from");
    const std::string dir = o.outDir + "/" + name;
    std::ifstream in(dir + "/state.json");
    if (!in) throw Error(dir + "/state.json: cannot open file for reading");
    const auto j = parseJsonInput(in, dir + "/state.json");
    t.loadWeights(dir + "/weights.safetensors");
    torch::load(optimizer, dir + "/optimizer.pt");
    at::Tensor rng;
    torch::load(rng, dir + "/rng.pt");
    auto generator = at::detail::getDefaultCPUGenerator();
    generator.set_state(rng);
    return {j.at("step").get<std::int64_t>(), j.at("epoch").get<int>(), j.at("batch_in_epoch").get<std::int64_t>()};
}

// metrics.jsonl keeps the steps up to `step`: a resumed run rewrites what came after.
void truncateMetrics(const std::string &path, std::int64_t step) {
    std::ifstream in(path);
    std::string line, kept;
    while (std::getline(in, line)) {
        try {
            if (json::parse(line).at("step").get<std::int64_t>() <= step) kept += line + "\n";
        } catch (const std::exception &) {
            // a half-written last line from the crash: dropped
        }
    }
    writeFileAtomically(path, kept);
}

TrainSummary trainOne(const TrainOptions &o, const TrainCallbacks &cb) {
    checkOptions(o);
    fs::create_directories(o.outDir);
    // bf16: the frozen weights in bf16, trained ones float32, products under autocast.
    const auto model = LanguageModel::load(o.modelDir, {o.device, o.precision});
    const auto tok = Tokenizer::load(o.modelDir);
    TrainSummary summary;
    const auto examples = o.corpusPath.empty()
                              ? buildExamples(o, *tok, model->config().maxPositionEmbeddings, summary.skippedItems,
                                              summary.trimmedPrompts, cb.onProblem)
                              : corpusExamples(o, *tok, model->config().maxPositionEmbeddings);
    if (examples.empty())
        throw FormatError((o.corpusPath.empty() ? o.dataPath : o.corpusPath) + ": no usable training item");
    summary.trainItems = static_cast<std::int64_t>(examples.size());

    Trainables t;
    if (o.adapter.method == TrainMethod::Full) {
        t.fullCopy = model->impl().trainableCopy();
        t.model = t.fullCopy.get();
    } else {
        t.model = &model->impl();
        t.adapters = createAdapters(model->impl(), o.adapter, o.seed);
        t.adapters.training = true;
        t.adapters.dispatch = dispatchFromName(o.dispatch);
    }
    std::vector<at::Tensor> params;
    for (auto &[name, p] : t.named()) params.push_back(p);
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(o.learningRate)
                                              .betas({o.beta1, o.beta2})
                                              .eps(o.epsilon)
                                              .weight_decay(o.weightDecay));

    const std::int64_t batchesPerEpoch = (static_cast<std::int64_t>(examples.size()) + o.batchSize - 1) / o.batchSize;
    const std::int64_t stepsPerEpoch = (batchesPerEpoch + o.gradientAccumulation - 1) / o.gradientAccumulation;
    std::int64_t total = stepsPerEpoch * o.epochs;
    if (o.maxSteps > 0) total = std::min(total, o.maxSteps);
    const std::string metricsPath = o.outDir + "/metrics.jsonl";
    at::manual_seed(o.seed + 1);  // dropout masks

    Position pos;
    if (o.resume) {
        pos = loadCheckpoint(o, t, optimizer);
        truncateMetrics(metricsPath, pos.step);
    } else {
        writeFileAtomically(metricsPath, "");
        writeFileAtomically(o.outDir + "/run_config.json",
                            json{{"model", o.modelDir},
                                 {"data", o.dataPath},
                                 {"schemas", o.schemaDir},
                                 {"adapter", json::parse(adapterConfigToJson(o.adapter))},
                                 {"learning_rate", o.learningRate},
                                 {"epochs", o.epochs},
                                 {"batch_size", o.batchSize},
                                 {"gradient_accumulation", o.gradientAccumulation},
                                 {"seed", o.seed},
                                 {"schedule", o.schedule},
                                 {"max_length", o.maxLength},
                                 {"prompt_loss", o.promptLoss},
                                 {"prompt_loss_weight", o.promptLossWeight}}
                                    .dump(2) +
                                "\n");
    }
    std::ofstream metrics(metricsPath, std::ios::app);
    std::optional<TensorBoardWriter> tensorboard;
    if (o.tensorboard) tensorboard.emplace(o.outDir + "/tensorboard");
    const int padId =
        model->config().padTokenId >= 0 ? model->config().padTokenId : std::max(0, tok->tokenId("<|endoftext|>"));
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t firstStep = pos.step;
    const bool momq = o.adapter.hasMoe();
    const int D = o.adapter.dialectCount();

    for (int epoch = pos.epoch; epoch < o.epochs && pos.step < total; ++epoch) {
        const auto batches = epochBatches(examples, o, epoch);
        std::int64_t b = epoch == pos.epoch ? pos.batchInEpoch : 0;
        while (b < static_cast<std::int64_t>(batches.size()) && pos.step < total) {
            const auto stepStart = std::chrono::steady_clock::now();
            optimizer.zero_grad();
            double lm = 0, drl = 0, bal = 0, tot = 0;
            std::int64_t tokens = 0;
            std::vector<double> load(momq ? D : 0, 0.0);
            int micro = 0;
            for (; micro < o.gradientAccumulation && b < static_cast<std::int64_t>(batches.size()); ++micro, ++b) {
                const auto batch = makeBatch(examples, batches[b], padId, model->impl().device,
                                             o.promptLoss ? o.promptLossWeight : -1.0);
                std::vector<Routing> routing;
                at::Tensor logits;
                {
                    AutocastScope autocast(t.model->device.type(), o.precision == "bf16");
                    logits = t.model->forward(batch.ids, batch.positions, batch.valid, nullptr, false,
                                              t.fullCopy ? nullptr : &t.adapters, momq ? &routing : nullptr,
                                              o.gradientCheckpointing);
                }
                auto loss = languageModelLoss(logits, batch.labels, batch.lossWeights);
                lm += loss.item<double>();
                if (momq) {
                    const auto router = routerLosses(routing, batch.ids.size(0), batch.ids.size(1), batch.dialect,
                                                     batch.valid, o.adapter);
                    if (router.dialectRouter.defined()) {
                        drl += router.dialectRouter.item<double>();
                        loss = loss + o.adapter.drlCoefficient * router.dialectRouter;
                    }
                    bal += router.balance.item<double>();
                    loss = loss + o.adapter.balanceCoefficient * router.balance;
                    if (o.adapter.dialectRouter) {
                        at::NoGradGuard noGrad;
                        const auto rows = batch.valid.reshape({-1}).nonzero().squeeze(1);
                        for (const auto &r : routing) {
                            const auto mean = r.dialectProbs.index_select(0, rows).mean(0).to(at::kCPU, at::kDouble);
                            for (int g = 0; g < D; ++g)
                                load[g] += mean[g].item<double>() / static_cast<double>(routing.size());
                        }
                    }
                }
                tot += loss.item<double>();
                (loss / static_cast<double>(o.gradientAccumulation)).backward();
                tokens += batch.tokens;
            }
            ++pos.step;
            const double lr = learningRateAt(o, pos.step, total);
            for (auto &group : optimizer.param_groups())
                static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
            const double norm = torch::nn::utils::clip_grad_norm_(params, o.gradientClip);
            adamWStep(optimizer);
            pos.batchInEpoch = b;

            TrainStep s;
            s.step = pos.step;
            s.totalSteps = total;
            s.epoch = epoch + static_cast<double>(b) / static_cast<double>(batches.size());
            s.lmLoss = lm / micro;
            s.dialectRouterLoss = drl / micro;
            s.balanceLoss = bal / micro;
            s.totalLoss = tot / micro;
            s.learningRate = lr;
            s.gradientNorm = norm;
            s.tokensPerSecond = static_cast<double>(tokens) /
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart).count();
            for (double &x : load) x /= micro;
            s.routingLoad = load;
            s.secondsElapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            s.secondsLeft =
                s.secondsElapsed / static_cast<double>(pos.step - firstStep) * static_cast<double>(total - pos.step);
            metrics << s.toJson() << "\n" << std::flush;
            if (tensorboard) {
                std::vector<std::pair<std::string, double>> scalars = {{"loss/total", s.totalLoss},
                                                                       {"loss/lm", s.lmLoss},
                                                                       {"learning_rate", s.learningRate},
                                                                       {"gradient_norm", s.gradientNorm},
                                                                       {"tokens_per_second", s.tokensPerSecond}};
                if (momq) {
                    scalars.emplace_back("loss/dialect_router", s.dialectRouterLoss);
                    scalars.emplace_back("loss/balance", s.balanceLoss);
                    for (std::size_t g = 0; g < s.routingLoad.size() && g < o.adapter.dialects.size(); ++g)
                        scalars.emplace_back("routing_load/" + o.adapter.dialects[g], s.routingLoad[g]);
                }
                tensorboard->addScalars(pos.step, scalars);
            }
            summary.steps = pos.step;
            summary.lastLoss = s.totalLoss;

            if (b == static_cast<std::int64_t>(batches.size())) {  // epoch end: the next epoch starts fresh
                pos.epoch = epoch + 1;
                pos.batchInEpoch = 0;
            }
            if (pos.step % o.saveEvery == 0 || pos.batchInEpoch == 0 || pos.step == total)
                saveCheckpoint(o, t, optimizer, pos);
            const bool keepGoing = !cb.onStep || cb.onStep(s);
            if (!keepGoing || (cb.cancel && cb.cancel->load())) {
                summary.stoppedEarly = true;
                saveCheckpoint(o, t, optimizer, pos);
                return summary;
            }
        }
    }
    const std::string adapterDir = o.outDir + "/adapter";
    const std::string tmp = adapterDir + ".tmp";
    fs::remove_all(tmp);
    if (t.fullCopy) {
        t.fullCopy->exportHuggingFace(tmp);
        fs::copy_file(o.modelDir + "/tokenizer.json", tmp + "/tokenizer.json", fs::copy_options::overwrite_existing);
    } else {
        saveAdapters(t.adapters, tmp);
    }
    replaceDirectory(tmp, adapterDir);
    summary.adapterDirs.push_back(adapterDir);
    return summary;
}

}  // namespace

void exportPeftAdapter(const std::string &adapterDir, const std::string &modelDir, const std::string &outDir) {
    const auto model = LanguageModel::load(modelDir, {"cpu", "f32"});
    const auto adapters = loadAdapters(model->impl(), adapterDir);
    const auto &c = adapters.config;
    if (c.method != TrainMethod::Lora)
        throw FormatError(adapterDir + ": PEFT export is for plain LoRA adapters, this one is " +
                          trainMethodName(c.method));
    std::vector<std::pair<std::string, at::Tensor>> named;
    for (std::size_t l = 0; l < adapters.layers.size(); ++l)
        for (const auto &[proj, w] : adapters.layers[l].lora) {
            const std::string block =
                proj == "gate_proj" || proj == "up_proj" || proj == "down_proj" ? "mlp." : "self_attn.";
            const std::string p = "base_model.model.model.layers." + std::to_string(l) + "." + block + proj;
            named.emplace_back(p + ".lora_A.weight", w.a);
            named.emplace_back(p + ".lora_B.weight", w.b);
        }
    // Norms the run trained (train_norms, the default) go in as PEFT's modules_to_save, which stores
    // them under the base model's own names; without them PEFT would generate otherwise.
    json modulesToSave = nullptr;
    if (adapters.finalNorm.defined()) {
        modulesToSave = {"input_layernorm", "post_attention_layernorm", "norm"};
        for (std::size_t l = 0; l < adapters.layers.size(); ++l) {
            const std::string p = "base_model.model.model.layers." + std::to_string(l) + ".";
            named.emplace_back(p + "input_layernorm.weight", adapters.layers[l].inputNorm);
            named.emplace_back(p + "post_attention_layernorm.weight", adapters.layers[l].postNorm);
        }
        named.emplace_back("base_model.model.model.norm.weight", adapters.finalNorm);
    }
    fs::create_directories(outDir);
    saveNamedTensors(named, outDir + "/adapter_model.safetensors", {{"format", "pt"}});
    const json config = {{"peft_type", "LORA"},
                         {"task_type", "CAUSAL_LM"},
                         {"base_model_name_or_path", modelDir},
                         {"r", c.rank},
                         {"lora_alpha", c.alpha},
                         {"lora_dropout", c.dropout},
                         {"target_modules", c.targets},
                         {"bias", "none"},
                         {"fan_in_fan_out", false},
                         {"inference_mode", true},
                         {"use_rslora", false},
                         {"modules_to_save", modulesToSave}};
    writeFileAtomically(outDir + "/adapter_config.json", config.dump(2) + "\n");
}

TrainBenchmark benchmarkTrainStep(const TrainBenchmarkOptions &o, const AdapterConfig &adapter,
                                  const std::string &dispatch) {
    checkPrecision(o.precision);
    const int batchSize = o.batchSize, sequenceLength = o.sequenceLength;
    const auto model = LanguageModel::load(o.modelDir, {o.device, o.precision});
    const auto &m = model->impl();
    AdapterState state = createAdapters(m, adapter, 1);
    state.training = true;
    state.dispatch = dispatchFromName(dispatch);
    std::vector<at::Tensor> params;
    TrainBenchmark result;
    for (auto &[name, p] : state.namedParameters()) {
        params.push_back(p);
        result.trainableParameters += p.numel();
    }
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(1e-4).betas({0.9, 0.95}).weight_decay(0.1));
    at::manual_seed(7);
    const auto options = at::TensorOptions().dtype(at::kLong).device(m.device);
    const auto ids = at::randint(m.config.vocabSize, {batchSize, sequenceLength}, options);
    const auto positions =
        at::arange(sequenceLength, options).unsqueeze(0).expand({batchSize, sequenceLength}).contiguous();
    const auto valid = at::ones({batchSize, sequenceLength}, at::TensorOptions().dtype(at::kBool).device(m.device));
    const auto dialect = at::randint(adapter.dialectCount(), {batchSize}, options);
    auto step = [&] {
        optimizer.zero_grad();
        std::vector<Routing> routing;
        at::Tensor logits;
        {
            AutocastScope autocast(m.device.type(), o.precision == "bf16");  // as the trainer: the forward pass only
            logits = m.forward(ids, positions, valid, nullptr, false, &state, &routing, o.gradientCheckpointing);
        }
        auto loss = languageModelLoss(logits, ids);
        if (adapter.hasMoe()) {
            const auto router = routerLosses(routing, batchSize, sequenceLength, dialect, valid, adapter);
            if (router.dialectRouter.defined()) loss = loss + adapter.drlCoefficient * router.dialectRouter;
            loss = loss + adapter.balanceCoefficient * router.balance;
        }
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, 1.0);
        adamWStep(optimizer);
        (void)loss.item<double>();  // waits for the device
    };
    step();  // warm-up
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < o.steps; ++i) step();
    result.secondsPerStep = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / o.steps;
    result.tokensPerSecond = batchSize * sequenceLength / result.secondsPerStep;
    return result;
}

double benchmarkExpertDispatch(const AdapterConfig &adapter, const std::string &dispatch, int tokens, int intermediate,
                               int hidden, int repeats, const std::string &device) {
    at::manual_seed(11);
    const auto E = adapter.expertCount();
    const auto o = at::TensorOptions().device(at::Device(device));
    auto u = at::randn({tokens, intermediate}, o).requires_grad_();
    auto a = (at::randn({E, adapter.rank, intermediate}, o) * 0.02).requires_grad_();
    auto b = (at::randn({E, hidden, adapter.rank}, o) * 0.02).requires_grad_();
    auto logits = at::randn({tokens, E}, o).requires_grad_();
    auto dialectLogits = at::randn({tokens, adapter.dialectCount()}, o).requires_grad_();
    const auto mode = dispatchFromName(dispatch);
    auto run = [&] {
        const auto r = route(logits, dialectLogits, adapter);
        expertDelta(u, a, b, r.chosen, r.gates, 2.0, adapter.dropout, true, mode).sum().backward();
        (void)u.grad().view(-1)[0].item<double>();  // waits for the device
    };
    run();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i) run();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

TrainSummary train(const TrainOptions &options, const TrainCallbacks &callbacks) {
    try {
        if (options.adapter.method != TrainMethod::SingleDialect) return trainOne(options, callbacks);
        // One plain LoRA per dialect, each on that dialect's items only, in RUN_DIR/<dialect>.
        TrainSummary all;
        for (const auto &dialect : options.adapter.dialects) {
            TrainOptions one = options;
            one.adapter.method = TrainMethod::Lora;
            one.adapter.dialects = {dialect};
            one.outDir = options.outDir + "/" + dialect;
            const int limit = options.perDialectLimit.count(dialect) ? options.perDialectLimit.at(dialect) : INT32_MAX;
            one.perDialectLimit = {{dialect, limit}};
            const auto s = trainOne(one, callbacks);
            all.steps += s.steps;
            all.trainItems += s.trainItems;
            all.skippedItems += s.skippedItems;
            all.trimmedPrompts += s.trimmedPrompts;
            all.lastLoss = s.lastLoss;
            all.adapterDirs.insert(all.adapterDirs.end(), s.adapterDirs.begin(), s.adapterDirs.end());
            if (s.stoppedEarly) {
                all.stoppedEarly = true;
                break;
            }
        }
        return all;
    } catch (const c10::Error &e) {
        throw Error(std::string("training: ") + e.what_without_backtrace());
    }
}

}  // namespace momq
