#include "momq/generation.h"

#include "momq/error.h"
#include "momq/tokenizer.h"
#include "adapt/adapters.h"
#include "model/qwen2_model.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

namespace momq {

const char *stopReasonName(StopReason reason) {
    switch (reason) {
    case StopReason::StopToken: return "stop_token";
    case StopReason::MaxNewTokens: return "max_new_tokens";
    case StopReason::Cancelled: return "cancelled";
    }
    return "?";
}

std::vector<int> defaultStopTokens(const ModelConfig &config, const Tokenizer &tokenizer) {
    std::set<int> ids(config.eosTokenIds.begin(), config.eosTokenIds.end());
    for (const char *token : {"<|im_end|>", "<|endoftext|>"})
        if (int id = tokenizer.tokenId(token); id >= 0) ids.insert(id);
    return {ids.begin(), ids.end()};
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void checkPrompts(const LanguageModel &model, const std::vector<std::vector<int>> &prompts,
                  const GenerationOptions &o) {
    if (prompts.empty()) throw FormatError("generate: no prompt");
    if (o.maxNewTokens < 1) throw FormatError("max_new_tokens: must be at least 1");
    if (o.numBeams < 1) throw FormatError("beams: must be at least 1");
    const auto &c = model.config();
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        if (prompts[i].empty()) throw FormatError("generate: prompt " + std::to_string(i) + " is empty");
        for (int id : prompts[i])
            if (id < 0 || id >= c.vocabSize)
                throw FormatError("generate: prompt " + std::to_string(i) + ": token id " + std::to_string(id) +
                                  " is outside the vocabulary (" + std::to_string(c.vocabSize) + ")");
        if (static_cast<std::int64_t>(prompts[i].size()) + o.maxNewTokens > c.maxPositionEmbeddings)
            throw FormatError("generate: prompt " + std::to_string(i) + " has " + std::to_string(prompts[i].size()) +
                              " tokens; with max_new_tokens " + std::to_string(o.maxNewTokens) +
                              " it exceeds the model's " + std::to_string(c.maxPositionEmbeddings) + " positions");
    }
}

bool cancelled(const GenerationOptions &o) { return o.cancel && o.cancel->load(std::memory_order_relaxed); }

at::Tensor longTensor(const std::vector<std::int64_t> &v, std::int64_t rows, at::Device device) {
    return at::tensor(v, at::kLong).view({rows, static_cast<std::int64_t>(v.size()) / rows}).to(device);
}

// Collects each layer's routing of every token into a RoutingTrace (layer-major at the end).
class TraceRecorder {
public:
    TraceRecorder(RoutingTrace *trace, const AdapterState *adapters, int layers) : trace_(trace), perLayer_(layers) {
        if (!trace_) return;
        const auto &c = adapters->config;
        *trace_ = RoutingTrace{};
        trace_->dialects = c.dialects;
        trace_->layers = layers;
        trace_->dialectCount = c.dialectRouter ? c.dialectCount() : 0;
        trace_->expertCount = c.expertCount();
    }
    std::vector<Routing> *sink() { return trace_ ? &routing_ : nullptr; }
    void add(const std::vector<std::int64_t> &ids) {
        if (!trace_) return;
        trace_->tokenIds.insert(trace_->tokenIds.end(), ids.begin(), ids.end());
        for (std::size_t l = 0; l < routing_.size(); ++l) {
            auto &buf = perLayer_[l];
            auto append = [](auto &out, const at::Tensor &t, auto type) {
                if (!t.defined()) return;
                const auto c = t.to(at::kCPU, type).contiguous();
                using T = std::remove_reference_t<decltype(out[0])>;
                out.insert(out.end(), c.template data_ptr<T>(), c.template data_ptr<T>() + c.numel());
            };
            append(buf.dialect, routing_[l].dialectProbs, at::kFloat);
            append(buf.expert, routing_[l].expertProbs, at::kFloat);
            append(buf.gates, routing_[l].gates, at::kFloat);
            const auto chosen = routing_[l].chosen.to(at::kCPU, at::kInt).contiguous();
            buf.chosen.insert(buf.chosen.end(), chosen.data_ptr<int>(), chosen.data_ptr<int>() + chosen.numel());
            trace_->chosenPerToken = static_cast<int>(routing_[l].chosen.size(1));
        }
    }
    void finish(int promptTokens) {
        if (!trace_) return;
        trace_->promptTokens = promptTokens;
        for (const auto &b : perLayer_) {
            trace_->dialectProbs.insert(trace_->dialectProbs.end(), b.dialect.begin(), b.dialect.end());
            trace_->expertProbs.insert(trace_->expertProbs.end(), b.expert.begin(), b.expert.end());
            trace_->chosen.insert(trace_->chosen.end(), b.chosen.begin(), b.chosen.end());
            trace_->gates.insert(trace_->gates.end(), b.gates.begin(), b.gates.end());
        }
    }

private:
    struct Buffers {
        std::vector<float> dialect, expert, gates;
        std::vector<int> chosen;
    };
    RoutingTrace *trace_;
    std::vector<Routing> routing_;
    std::vector<Buffers> perLayer_;
};

// Rows of `scores` [rows, V] (float, on the CPU) set to -inf where the constraint disallows a token.
void maskDisallowed(at::Tensor &scores, std::int64_t row, const std::vector<std::uint8_t> &allowed) {
    auto *values = scores[row].data_ptr<float>();
    const auto V = scores.size(1);
    for (std::int64_t v = 0; v < V; ++v)
        if (v >= static_cast<std::int64_t>(allowed.size()) || !allowed[v])
            values[v] = -std::numeric_limits<float>::infinity();
}

GenerationResult greedy(const LanguageModel::Impl &m, const std::vector<std::vector<int>> &prompts,
                        const GenerationOptions &o, const AdapterState *adapters, RoutingTrace *trace) {
    TraceRecorder recorder(trace, adapters, static_cast<int>(m.layers.size()));
    const auto B = static_cast<std::int64_t>(prompts.size());
    std::int64_t L = 0;
    for (const auto &p : prompts) L = std::max<std::int64_t>(L, p.size());
    const std::int64_t capacity = L + o.maxNewTokens;
    const std::set<int> stops(o.stopTokenIds.begin(), o.stopTokenIds.end());

    // Left padding: every prompt ends at column L - 1, so new tokens share a column.
    std::vector<std::int64_t> ids(B * L, o.padTokenId), pos(B * L, 0), last(B);
    std::vector<std::uint8_t> valid(B * capacity, 1);
    bool padded = false;
    GenerationResult r;
    for (std::int64_t b = 0; b < B; ++b) {
        const auto n = static_cast<std::int64_t>(prompts[b].size());
        for (std::int64_t t = 0; t < L - n; ++t) valid[b * capacity + t] = 0;
        for (std::int64_t t = 0; t < n; ++t) {
            ids[b * L + L - n + t] = prompts[b][t];
            pos[b * L + L - n + t] = t;
        }
        last[b] = n - 1;
        padded = padded || n < L;
        r.promptTokens += n;
    }
    at::Tensor keyValid;
    if (padded) keyValid = at::from_blob(valid.data(), {B, capacity}, at::kByte).to(at::kBool).to(m.device);

    KvCache cache = m.newCache(B, capacity);
    r.tokens.assign(B, {});
    r.stopReasons.assign(B, StopReason::MaxNewTokens);
    std::vector<bool> done(B, false);
    auto start = Clock::now();
    auto logits = m.forward(longTensor(ids, B, m.device), longTensor(pos, B, m.device), keyValid, &cache, true,
                            adapters, recorder.sink());
    recorder.add(ids);
    bool first = true;
    for (int step = 0; step < o.maxNewTokens; ++step) {
        at::Tensor scores = logits.select(1, 0);
        if (o.allowedNext) {
            scores = scores.to(at::kCPU, at::kFloat).contiguous().clone();
            for (std::int64_t b = 0; b < B; ++b)
                if (!done[b])
                    if (const auto *allowed = o.allowedNext(static_cast<int>(b), r.tokens[b]))
                        maskDisallowed(scores, b, *allowed);
        }
        auto next = scores.argmax(-1).to(at::kCPU);  // [B]
        if (first) {
            r.prefillSeconds = seconds(start);
            start = Clock::now();
            first = false;
        }
        const auto *nextIds = next.data_ptr<std::int64_t>();
        bool stopAll = true, userStop = false;
        std::vector<std::int64_t> feed(B), feedPos(B);
        for (std::int64_t b = 0; b < B; ++b) {
            const int token = static_cast<int>(nextIds[b]);
            feed[b] = done[b] ? o.padTokenId : token;
            feedPos[b] = ++last[b];
            if (done[b]) continue;
            if (stops.count(token)) {
                done[b] = true;
                r.stopReasons[b] = StopReason::StopToken;
                continue;
            }
            r.tokens[b].push_back(token);
            ++r.generatedTokens;
            if (o.onToken && !o.onToken(static_cast<int>(b), token)) userStop = true;
            stopAll = false;
        }
        if (userStop || cancelled(o)) {
            for (std::int64_t b = 0; b < B; ++b)
                if (!done[b]) r.stopReasons[b] = StopReason::Cancelled;
            break;
        }
        const bool last = stopAll || step + 1 == o.maxNewTokens;
        // A trace covers every generated token, so the last one is run through the model too.
        if (last && (stopAll || !trace)) break;
        logits = m.forward(longTensor(feed, B, m.device), longTensor(feedPos, B, m.device), keyValid, &cache, true,
                           adapters, recorder.sink());
        recorder.add(feed);
        if (last) break;
    }
    r.decodeSeconds = seconds(start);
    recorder.finish(static_cast<int>(r.promptTokens));
    return r;
}

// Beam search for one prompt, scored like the reference implementation: sum of log-probabilities
// divided by generated length (length penalty 1), finished hypotheses kept until no running beam
// can beat the worst of them.
void beamSearch(const LanguageModel::Impl &m, const std::vector<int> &prompt, const GenerationOptions &o,
                const AdapterState *adapters, GenerationResult &r) {
    const int promptIndex = static_cast<int>(r.tokens.size());
    const std::int64_t beams = o.numBeams, L = static_cast<std::int64_t>(prompt.size());
    const std::set<int> stops(o.stopTokenIds.begin(), o.stopTokenIds.end());
    KvCache cache = m.newCache(1, L + o.maxNewTokens);
    std::vector<std::int64_t> ids(prompt.begin(), prompt.end()), pos(L);
    for (std::int64_t t = 0; t < L; ++t) pos[t] = t;
    auto start = Clock::now();
    auto logits =
        m.forward(longTensor(ids, 1, m.device), longTensor(pos, 1, m.device), at::Tensor(), &cache, true, adapters);
    r.prefillSeconds += seconds(start);
    start = Clock::now();
    cache.select(at::zeros({beams}, at::TensorOptions().dtype(at::kLong).device(m.device)));
    logits = logits.expand({beams, 1, logits.size(2)});

    struct Hypothesis {
        double score;
        std::vector<int> tokens;
        bool stopped;
    };
    std::vector<Hypothesis> finished;
    std::vector<std::vector<int>> running(beams);
    // All beams start equal: only the first may expand at step one. A beam at -inf is dead: a
    // constraint can leave fewer live continuations than beams, and those never expand.
    std::vector<double> scores(beams, -std::numeric_limits<double>::infinity());
    scores[0] = 0;
    const std::int64_t V = logits.size(2);
    auto worstFinished = [&] {
        double w = 1e300;
        for (const auto &h : finished) w = std::min(w, h.score);
        return w;
    };
    auto addFinished = [&](double score, std::vector<int> tokens, bool stopped) {
        finished.push_back({score, std::move(tokens), stopped});
        std::sort(finished.begin(), finished.end(),
                  [](const Hypothesis &a, const Hypothesis &b) { return a.score > b.score; });
        if (static_cast<std::int64_t>(finished.size()) > beams) finished.pop_back();
    };

    for (int step = 0; step < o.maxNewTokens; ++step) {
        auto stepLogp = at::log_softmax(logits.select(1, 0).to(at::kFloat), -1).cpu().contiguous();
        if (o.allowedNext)
            for (std::size_t b = 0; b < running.size(); ++b)
                if (const auto *allowed = o.allowedNext(promptIndex, running[b]))
                    maskDisallowed(stepLogp, static_cast<std::int64_t>(b), *allowed);
        auto logp = stepLogp + at::tensor(std::vector<double>(scores), at::kDouble).to(at::kFloat).unsqueeze(1);
        auto [values, indices] = logp.view({-1}).topk(2 * beams);
        const auto *val = values.data_ptr<float>();
        const auto *idx = indices.data_ptr<std::int64_t>();
        std::vector<std::int64_t> order, feed;
        std::vector<std::vector<int>> nextRunning;
        std::vector<double> nextScores;
        for (std::int64_t k = 0; k < 2 * beams && static_cast<std::int64_t>(order.size()) < beams; ++k) {
            if (!std::isfinite(val[k])) break;  // the rest are disallowed or dead too (topk sorts)
            const std::int64_t beam = idx[k] / V;
            const int token = static_cast<int>(idx[k] % V);
            if (stops.count(token)) {
                if (k < beams) addFinished(val[k] / static_cast<double>(running[beam].size() + 1), running[beam], true);
                continue;
            }
            order.push_back(beam);
            feed.push_back(token);
            auto tokens = running[beam];
            tokens.push_back(token);
            nextRunning.push_back(std::move(tokens));
            nextScores.push_back(val[k]);
        }
        if (order.empty()) {  // every live continuation stopped
            running.clear();
            break;
        }
        while (static_cast<std::int64_t>(order.size()) < beams) {  // dead beams keep the cache's shape
            order.push_back(order.back());
            feed.push_back(feed.back());
            nextRunning.push_back(nextRunning.back());
            nextScores.push_back(-std::numeric_limits<double>::infinity());
        }
        running = std::move(nextRunning);
        scores = std::move(nextScores);
        const auto generated = static_cast<double>(step + 1);
        if (static_cast<std::int64_t>(finished.size()) == beams && worstFinished() >= scores[0] / generated) break;
        if (step + 1 == o.maxNewTokens || cancelled(o)) break;
        cache.select(longTensor(order, beams, m.device).view({beams}));
        std::vector<std::int64_t> feedPos(beams, L + step);
        logits = m.forward(longTensor(feed, beams, m.device), longTensor(feedPos, beams, m.device), at::Tensor(),
                           &cache, true, adapters);
    }
    for (std::size_t b = 0; b < running.size(); ++b)
        if (std::isfinite(scores[b]))
            addFinished(scores[b] / static_cast<double>(std::max<std::size_t>(1, running[b].size())), running[b],
                        false);
    if (finished.empty()) finished.push_back({0, {}, false});  // nothing live at all (a constraint allowing nothing)
    const Hypothesis &best = finished.front();
    r.tokens.push_back(best.tokens);
    r.hypotheses.emplace_back();
    for (const auto &h : finished) r.hypotheses.back().push_back(h.tokens);
    r.stopReasons.push_back(cancelled(o)   ? StopReason::Cancelled
                            : best.stopped ? StopReason::StopToken
                                           : StopReason::MaxNewTokens);
    r.generatedTokens += static_cast<std::int64_t>(best.tokens.size());
    r.promptTokens += L;
    r.decodeSeconds += seconds(start);
    if (o.onToken)
        for (int token : best.tokens)
            if (!o.onToken(static_cast<int>(r.tokens.size() - 1), token)) break;
}

}  // namespace

GenerationResult generate(const LanguageModel &model, const std::vector<std::vector<int>> &prompts,
                          const GenerationOptions &options) {
    checkPrompts(model, prompts, options);
    const AdapterState *adapters = options.adapter ? &options.adapter->impl().state : nullptr;
    RoutingTrace *trace = nullptr;
    if (options.routing) {
        if (!adapters || !adapters->config.hasMoe()) throw FormatError("routing trace: needs a MoMQ adapter");
        if (prompts.size() != 1 || options.numBeams != 1)
            throw FormatError("routing trace: one prompt and greedy decoding only");
        trace = options.routing;
    }
    c10::InferenceMode guard;
    if (options.numBeams == 1) return greedy(model.impl(), prompts, options, adapters, trace);
    GenerationResult r;
    for (const auto &p : prompts) beamSearch(model.impl(), p, options, adapters, r);
    return r;
}

}  // namespace momq
