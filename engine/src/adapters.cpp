#include "adapters.h"

#include "momq/adapter.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace momq {

// ---- dropout --------------------------------------------------------------------------------

namespace {

// SplitMix64 of a counter: 64 well-mixed bits from (seed, index), whichever thread asks.
inline std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

at::Tensor dropoutKeepMask(const at::Tensor &like, double p) {
    if (!like.device().is_cpu()) return at::empty_like(like, like.options().dtype(at::kBool)).bernoulli_(1.0 - p);
    // One draw from torch's generator seeds the whole mask: manual_seed and saved generator
    // states (checkpointed layers) reproduce it.
    std::uint64_t seed;
    {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        seed = at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
    }
    auto mask = at::empty(like.sizes(), like.options().dtype(at::kBool).memory_format(at::MemoryFormat::Contiguous));
    bool *keep = mask.data_ptr<bool>();
    const std::int64_t n = mask.numel();
    const auto threshold = static_cast<std::uint32_t>(std::llround(std::min(p, 1.0) * 4294967295.0));  // drop below it
    at::parallel_for(0, (n + 1) / 2, 1 << 14, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            const std::uint64_t r = mix(seed ^ (static_cast<std::uint64_t>(i) * 0xD1B54A32D192ED03ull));
            keep[2 * i] = static_cast<std::uint32_t>(r) >= threshold;
            if (2 * i + 1 < n) keep[2 * i + 1] = static_cast<std::uint32_t>(r >> 32) >= threshold;
        }
    });
    return mask;
}

at::Tensor applyDropout(const at::Tensor &x, double p) {
    return x * dropoutKeepMask(x, p).to(x.scalar_type()) * (1.0 / (1.0 - p));
}

at::Tensor loraDelta(const at::Tensor &x, const LoraWeights &w, double scale, double dropout, bool training) {
    const auto in = training && dropout > 0 ? applyDropout(x, dropout) : x;
    return at::linear(at::linear(in, w.a), w.b) * scale;
}

// Routing and losses run in float32 at least (float64 stays float64, for gradient checks).
static at::Tensor atLeastFloat(const at::Tensor &t) {
    return t.to(at::promote_types(t.scalar_type(), at::kFloat));
}

// ---- routing -----------------------------------------------------------------------------------

Routing route(const at::Tensor &expertLogits, const at::Tensor &dialectLogits, const AdapterConfig &c) {
    Routing r;
    r.expertLogits = atLeastFloat(expertLogits);
    const auto N = r.expertLogits.size(0);
    const int D = c.dialectCount(), M = c.expertsPerGroup, E = c.expertCount(), k = c.topK;
    const bool paper = c.routing == RoutingVariant::Paper;
    if (!c.dialectRouter) {
        r.expertProbs = at::softmax(r.expertLogits, -1);
        auto [values, indices] = r.expertProbs.topk(k, -1);
        r.chosen = indices;
        r.gates = paper ? values / values.sum(-1, true) : values;
        return r;
    }
    r.dialectLogits = atLeastFloat(dialectLogits);
    r.dialectProbs = at::softmax(r.dialectLogits, -1);  // [N, D]
    if (paper) {
        auto within = at::softmax(r.expertLogits.view({N, D, M}), -1);  // [N, D, M]
        r.expertProbs = within.reshape({N, E});
        auto [values, indices] = within.topk(k, -1);                     // [N, D, k]
        auto gates = values / values.sum(-1, true) * r.dialectProbs.unsqueeze(-1);
        auto offsets = at::arange(D, indices.options()).mul(M).view({1, D, 1});
        r.chosen = (indices + offsets).reshape({N, D * k});
        r.gates = gates.reshape({N, D * k});
    } else {
        r.expertProbs = at::softmax(r.expertLogits, -1);
        auto weighted = r.expertProbs * r.dialectProbs.repeat_interleave(M, 1);
        auto [values, indices] = weighted.topk(k, -1);
        r.chosen = indices;
        r.gates = values;
    }
    return r;
}

// ---- expert dispatch ---------------------------------------------------------------------------

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Pairs of (token, expert) sorted by expert: which rows of u each expert's slice takes.
struct SortedPairs {
    at::Tensor order;   // [P] positions in the flattened [N, K] choice matrix
    at::Tensor tokens;  // [P] token of each pair, sorted by expert
    std::vector<std::int64_t> counts;  // pairs per expert, E entries
};

SortedPairs sortPairs(const at::Tensor &chosen, std::int64_t experts) {
    SortedPairs s;
    const auto N = chosen.size(0), K = chosen.size(1);
    const auto flat = chosen.reshape({-1});
    s.order = std::get<1>(flat.sort(/*stable=*/true, 0, false));
    s.tokens = at::arange(N, chosen.options()).repeat_interleave(K).index_select(0, s.order);
    const auto counts = at::bincount(flat, {}, experts).to(at::kCPU);
    s.counts.assign(counts.data_ptr<std::int64_t>(), counts.data_ptr<std::int64_t>() + experts);
    return s;
}

// Rows [o_e, o_e + n_e) of x [P, in] times w[e]^T, w [E, out, in]: a grouped matrix product,
// done as one product per non-empty slice.
at::Tensor groupedLinear(const at::Tensor &x, const at::Tensor &w, const std::vector<std::int64_t> &counts) {
    auto out = at::empty({x.size(0), w.size(1)}, x.options());
    std::int64_t offset = 0;
    for (std::size_t e = 0; e < counts.size(); ++e) {
        if (counts[e] == 0) continue;
        auto slice = out.narrow(0, offset, counts[e]);
        at::mm_out(slice, x.narrow(0, offset, counts[e]), w[e].t());
        offset += counts[e];
    }
    return out;
}

// The same slices, the other way: sum over each slice of a^T b, giving one [a_cols, b_cols] per expert.
at::Tensor groupedOuter(const at::Tensor &a, const at::Tensor &b, const std::vector<std::int64_t> &counts) {
    auto out = at::zeros({static_cast<std::int64_t>(counts.size()), a.size(1), b.size(1)}, a.options());
    std::int64_t offset = 0;
    for (std::size_t e = 0; e < counts.size(); ++e) {
        if (counts[e] == 0) continue;
        auto slot = out[e];
        at::mm_out(slot, a.narrow(0, offset, counts[e]).t(), b.narrow(0, offset, counts[e]));
        offset += counts[e];
    }
    return out;
}

class GroupedExpertLora : public torch::autograd::Function<GroupedExpertLora> {
public:
    // u [N, I], a [E, r, I], b [E, H, r], gates [N, K]; chosen [N, K] carries no gradient.
    // Dropout draws one mask per (token, expert) pair; the mask is kept as bytes for the backward
    // pass, the gathered rows are not.
    // Products run in u's type (bf16 under autocast, float32 master weights cast to it); each
    // gradient goes back in its input's type.
    static at::Tensor forward(AutogradContext *ctx, const at::Tensor &u, const at::Tensor &masterA, const at::Tensor &masterB,
                              const at::Tensor &gates, const at::Tensor &chosen, double dropout, double scale) {
        const auto a = masterA.to(u.scalar_type()), b = masterB.to(u.scalar_type());
        const auto pairs = sortPairs(chosen, a.size(0));
        auto x = u.index_select(0, pairs.tokens);  // [P, I]
        at::Tensor mask = at::empty({0}, u.options().dtype(at::kBool));
        if (dropout > 0) {
            mask = dropoutKeepMask(x, dropout);
            x = at::native_dropout_backward(x, mask, 1.0 / (1.0 - dropout));  // x * mask / (1 - p)
        }
        const auto h = groupedLinear(x, a, pairs.counts);                       // [P, r]
        auto y = groupedLinear(h, b, pairs.counts);                             // [P, H]
        const auto g = gates.reshape({-1}).index_select(0, pairs.order).to(y.scalar_type()) * scale;
        y.mul_(g.unsqueeze(1));
        auto out = at::zeros({u.size(0), b.size(1)}, u.options());
        out.index_add_(0, pairs.tokens, y);
        ctx->save_for_backward({u, masterA, masterB, gates, chosen, mask});
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["keep"] = dropout > 0 ? 1.0 / (1.0 - dropout) : 1.0;
        return out;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs) {
        const auto saved = ctx->get_saved_variables();
        const auto &u = saved[0], &masterA = saved[1], &masterB = saved[2], &gates = saved[3], &chosen = saved[4], &mask = saved[5];
        const auto a = masterA.to(u.scalar_type()), b = masterB.to(u.scalar_type());
        const double scale = ctx->saved_data["scale"].toDouble(), keep = ctx->saved_data["keep"].toDouble();
        const auto pairs = sortPairs(chosen, a.size(0));
        // Gather again rather than keep [P, I] of activations from the forward pass.
        auto x = u.index_select(0, pairs.tokens);
        if (mask.numel() > 0) x = at::native_dropout_backward(x, mask, keep);
        const auto h = groupedLinear(x, a, pairs.counts);                       // [P, r]
        const auto gradOut = gradOutputs[0].to(u.scalar_type()).index_select(0, pairs.tokens);  // [P, H]
        const auto g = gates.reshape({-1}).index_select(0, pairs.order).to(gradOut.scalar_type()) * scale;
        // gate: scale * <dy, B_e h>
        const auto bh = groupedLinear(h, b, pairs.counts);                      // [P, H]
        const auto gradGateSorted = (gradOut * bh).sum(1) * scale;
        auto gradGates = at::zeros({gates.numel()}, gradGateSorted.options()).index_copy(0, pairs.order, gradGateSorted);
        const auto weighted = gradOut * g.unsqueeze(1);                         // [P, H]
        const auto gradB = groupedOuter(weighted, h, pairs.counts);             // [E, H, r]
        // dh = g s B_e^T dy: B_e^T as the grouped matrix, i.e. b transposed per expert
        const auto gradH = groupedLinear(weighted, b.transpose(1, 2).contiguous(), pairs.counts);  // [P, r]
        const auto gradA = groupedOuter(gradH, x, pairs.counts);                // [E, r, I]
        auto gradX = groupedLinear(gradH, a.transpose(1, 2).contiguous(), pairs.counts);  // [P, I]
        if (mask.numel() > 0) gradX = at::native_dropout_backward(gradX, mask, keep);
        auto gradU = at::zeros_like(u).index_add_(0, pairs.tokens, gradX);
        return {gradU, gradA.to(masterA.scalar_type()), gradB.to(masterB.scalar_type()), gradGates.view(gates.sizes()).to(gates.scalar_type()),
                at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

} // namespace

Dispatch dispatchFromName(const std::string &name) {
    if (name == "grouped") return Dispatch::Grouped;
    if (name == "loop") return Dispatch::Loop;
    if (name == "dense") return Dispatch::Dense;
    throw FormatError("dispatch: expected grouped, loop or dense, got \"" + name + "\"");
}

at::Tensor expertDelta(const at::Tensor &u, const at::Tensor &expertA, const at::Tensor &expertB, const at::Tensor &chosen,
                       const at::Tensor &gates, double scale, double dropout, bool training, Dispatch dispatch) {
    const bool drop = training && dropout > 0;
    if (dispatch == Dispatch::Dense) {
        const auto E = expertA.size(0), r = expertA.size(1), H = expertB.size(1);
        const auto x = drop ? applyDropout(u, dropout) : u;
        const auto h = at::linear(x, expertA.reshape({E * r, -1}));  // [N, E r]
        const auto weights = at::zeros({u.size(0), E}, gates.options()).scatter_add(1, chosen, gates).to(h.scalar_type()) * scale;
        const auto weighted = (h.view({-1, E, r}) * weights.unsqueeze(2)).reshape({-1, E * r});
        return at::linear(weighted, expertB.permute({1, 0, 2}).reshape({H, E * r}));
    }
    if (dispatch == Dispatch::Grouped) {
        return GroupedExpertLora::apply(u, expertA, expertB, gates, chosen, drop ? dropout : 0.0, scale);
    }
    auto out = at::zeros({u.size(0), expertB.size(1)}, u.options());
    for (std::int64_t e = 0; e < expertA.size(0); ++e) {
        const auto hit = chosen.eq(e);                       // [N, K]
        const auto rows = hit.any(1).nonzero().squeeze(1);   // tokens that chose e
        if (rows.numel() == 0) continue;
        const auto gate = (gates * hit.to(gates.scalar_type())).sum(1).index_select(0, rows);
        auto x = u.index_select(0, rows);
        if (drop) x = applyDropout(x, dropout);
        const auto y = at::linear(at::linear(x, expertA[e]), expertB[e]) * (gate.unsqueeze(1).to(x.scalar_type()) * scale);
        out = out.index_add(0, rows, y);
    }
    return out;
}

at::Tensor moeDelta(const at::Tensor &u, const at::Tensor &routerInput, const MoeWeights &w, const AdapterConfig &c,
                    bool training, Dispatch dispatch, Routing *routingOut) {
    const double scale = c.alpha / c.rank;
    auto routing = route(at::linear(routerInput, w.expertRouter.t()),
                         w.dialectRouter.defined() ? at::linear(routerInput, w.dialectRouter.t()) : at::Tensor(), c);
    auto out = expertDelta(u, w.expertA, w.expertB, routing.chosen, routing.gates, scale, c.dropout, training, dispatch);
    if (w.sharedA.defined()) out = out + loraDelta(u, {w.sharedA, w.sharedB}, scale, c.dropout, training);
    if (routingOut) *routingOut = std::move(routing);
    return out;
}

// ---- adapter sets ------------------------------------------------------------------------------

std::vector<std::pair<std::string, at::Tensor>> AdapterLayer::namedTensors() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    auto add = [&](const std::string &name, const at::Tensor &t) {
        if (t.defined()) out.emplace_back(name, t);
    };
    for (const auto &[proj, w] : lora) {
        const std::string block = proj == "gate_proj" || proj == "up_proj" || proj == "down_proj" ? "mlp." : "self_attn.";
        add(block + proj + ".lora_A", w.a);
        add(block + proj + ".lora_B", w.b);
    }
    add("mlp.down_proj.experts.lora_A", moe.expertA);
    add("mlp.down_proj.experts.lora_B", moe.expertB);
    add("mlp.down_proj.shared.lora_A", moe.sharedA);
    add("mlp.down_proj.shared.lora_B", moe.sharedB);
    add("mlp.down_proj.expert_router", moe.expertRouter);
    add("mlp.down_proj.dialect_router", moe.dialectRouter);
    add("input_layernorm.weight", inputNorm);
    add("post_attention_layernorm.weight", postNorm);
    return out;
}

std::vector<std::pair<std::string, at::Tensor>> AdapterState::namedParameters() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (auto &[name, t] : layers[l].namedTensors()) out.emplace_back("layers." + std::to_string(l) + "." + name, std::move(t));
    if (finalNorm.defined()) out.emplace_back("norm.weight", finalNorm);
    return out;
}

namespace {

// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = size(-1): kaiming_uniform_(a = sqrt(5)).
at::Tensor kaimingUniform(std::vector<std::int64_t> shape, const at::TensorOptions &o) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(shape.back()));
    return at::empty(shape, o).uniform_(-bound, bound);
}

LoraWeights newLora(std::int64_t in, std::int64_t out, int rank, const at::TensorOptions &o) {
    return {kaimingUniform({rank, in}, o), at::zeros({out, rank}, o)};
}

std::pair<std::int64_t, std::int64_t> projectionShape(const ModelConfig &c, const std::string &proj) {
    const std::int64_t H = c.hiddenSize, I = c.intermediateSize, q = std::int64_t{c.numHeads} * c.headDim,
                       kv = std::int64_t{c.numKeyValueHeads} * c.headDim;
    if (proj == "q_proj") return {H, q};
    if (proj == "k_proj" || proj == "v_proj") return {H, kv};
    if (proj == "o_proj") return {q, H};
    if (proj == "gate_proj" || proj == "up_proj") return {H, I};
    return {I, H};  // down_proj
}

} // namespace

AdapterState createAdapters(const LanguageModel::Impl &model, const AdapterConfig &c, std::uint64_t seed) {
    AdapterState s;
    s.config = c;
    at::manual_seed(seed);
    const auto o = at::TensorOptions().dtype(at::kFloat).device(model.device);  // fp32 master weights
    const auto &mc = model.config;
    const std::int64_t I = mc.intermediateSize, H = mc.hiddenSize;
    const int r = c.rank;
    for (std::size_t l = 0; l < model.layers.size(); ++l) {
        AdapterLayer L;
        if (c.method != TrainMethod::Full) {
            for (const auto &proj : c.targets) {
                if (proj == "down_proj" && c.hasMoe()) continue;  // the MoE replaces it
                const auto [in, out] = projectionShape(mc, proj);
                L.lora[proj] = newLora(in, out, r, o);
            }
            if (c.hasMoe()) {
                const std::int64_t E = c.expertCount(), D = c.dialectCount();
                const std::int64_t routerIn = c.routerInput == RouterInput::Intermediate ? I : H;
                L.moe.expertA = kaimingUniform({E, r, I}, o);
                L.moe.expertB = at::zeros({E, H, r}, o);
                if (c.sharedExperts > 0) {
                    L.moe.sharedA = kaimingUniform({std::int64_t{c.sharedExperts} * r, I}, o);
                    L.moe.sharedB = at::zeros({H, std::int64_t{c.sharedExperts} * r}, o);
                }
                L.moe.expertRouter = kaimingUniform({routerIn, E}, o);
                if (c.dialectRouter) L.moe.dialectRouter = kaimingUniform({routerIn, D}, o);
            }
        }
        if (c.trainNorms || c.method == TrainMethod::Full) {
            L.inputNorm = model.layers[l].inputNorm.to(o, false, true);
            L.postNorm = model.layers[l].postNorm.to(o, false, true);
        }
        s.layers.push_back(std::move(L));
    }
    if (c.trainNorms || c.method == TrainMethod::Full) s.finalNorm = model.finalNorm.to(o, false, true);
    for (auto &[name, t] : s.namedParameters()) t.requires_grad_(true);
    return s;
}

void saveAdapters(const AdapterState &adapters, const std::string &dir) {
    std::filesystem::create_directories(dir);
    saveNamedTensors(adapters.namedParameters(), dir + "/adapter_model.safetensors", {{"format", "momq"}});
    writeFileAtomically(dir + "/adapter_config.json", adapterConfigToJson(adapters.config) + "\n");
}

void loadAdapterValues(AdapterState &adapters, const std::string &path) { loadNamedTensors(adapters.namedParameters(), path); }

AdapterState loadAdapters(const LanguageModel::Impl &model, const std::string &dir) {
    const std::string configPath = dir + "/adapter_config.json";
    auto adapters = createAdapters(model, adapterConfigFromJson(readTextFile(configPath), configPath), 0);
    loadAdapterValues(adapters, dir + "/adapter_model.safetensors");
    for (auto &[name, t] : adapters.namedParameters()) t.requires_grad_(false);
    // Inference has no dropout, where dense dispatch equals the others and is the fastest here:
    // the demo model scored 100 test items in 7.8 s instead of 10.7 s (grouped), same predictions.
    adapters.dispatch = Dispatch::Dense;
    return adapters;
}

Adapter::Adapter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Adapter::~Adapter() = default;
const AdapterConfig &Adapter::config() const { return impl_->state.config; }

std::shared_ptr<const Adapter> Adapter::load(const LanguageModel &model, const std::string &directory) {
    try {
        auto impl = std::make_unique<Impl>();
        impl->state = loadAdapters(model.impl(), directory);
        if (impl->state.config.method == TrainMethod::Full)
            throw FormatError("a full fine-tune is a model of its own: load it with --model");
        // Inference runs in the model's dtype.
        for (auto &[name, t] : impl->state.namedParameters()) {
            at::NoGradGuard noGrad;
            const_cast<at::Tensor &>(t).set_data(t.to(model.impl().dtype));
        }
        return std::shared_ptr<const Adapter>(new Adapter(std::move(impl)));
    } catch (...) {
        rethrowWithContext("loading adapter " + directory);
    }
}

// ---- losses ------------------------------------------------------------------------------------

at::Tensor languageModelLoss(const at::Tensor &logits, const at::Tensor &labels) {
    const auto T = logits.size(1);
    const auto shifted = atLeastFloat(logits.narrow(1, 0, T - 1).reshape({-1, logits.size(2)}));
    const auto targets = labels.narrow(1, 1, T - 1).reshape({-1});
    return at::cross_entropy_loss(shifted, targets, {}, at::Reduction::Mean, -100);
}

namespace {
// Smoothed one-hot targets: (1 - eps) onehot + eps / D.
at::Tensor smoothedTargets(const at::Tensor &dialect, int64_t D, double smoothing) {
    return at::one_hot(dialect, D).to(at::kDouble) * (1.0 - smoothing) + smoothing / static_cast<double>(D);
}
} // namespace

at::Tensor dialectRouterLoss(const std::vector<at::Tensor> &dialectLogits, const at::Tensor &dialect, const at::Tensor &valid,
                             RoutingVariant variant, double smoothing) {
    if (dialectLogits.empty()) throw Error("dialect router loss: no dialect logits");
    const auto D = dialectLogits[0].size(-1);
    const auto targets = smoothedTargets(dialect, D, smoothing);  // [B, D]
    if (variant == RoutingVariant::Reference) {
        auto mean = atLeastFloat(at::stack(dialectLogits)).mean(0).mean(1);  // [B, D]: layers, then positions
        return -(targets.to(mean.scalar_type()) * at::log_softmax(mean, -1)).sum(-1).mean();
    }
    at::Tensor total;
    for (const auto &z : dialectLogits) {
        const auto logp = at::log_softmax(atLeastFloat(z), -1);
        const auto mask = valid.to(logp.scalar_type());  // [B, T]
        const auto perToken = -(targets.to(logp.scalar_type()).unsqueeze(1) * logp).sum(-1);  // [B, T]
        const auto layer = (perToken * mask).sum() / mask.sum();
        total = total.defined() ? total + layer : layer;
    }
    return total / static_cast<double>(dialectLogits.size());
}

namespace {
// M sum f P over one set of rows: probs [R, M] of valid rows, top-k indices from the same probs.
at::Tensor switchBalance(const at::Tensor &probs, std::int64_t k) {
    const auto M = probs.size(1);
    const auto R = static_cast<double>(probs.size(0));
    const auto chosen = std::get<1>(probs.topk(k, -1));
    const auto f = at::zeros({M}, probs.options()).index_add_(0, chosen.reshape({-1}), at::ones({chosen.numel()}, probs.options())) / R;
    const auto P = probs.mean(0);
    return static_cast<double>(M) * (f * P).sum();
}
} // namespace

at::Tensor balanceLoss(const std::vector<at::Tensor> &expertLogits, const at::Tensor &valid, const AdapterConfig &c) {
    if (expertLogits.empty()) throw Error("balance loss: no expert logits");
    const auto rows = valid.reshape({-1}).nonzero().squeeze(1);
    const auto E = c.expertCount();
    const bool grouped = c.routing == RoutingVariant::Paper && c.dialectRouter;
    if (!grouped) {
        std::vector<at::Tensor> pooled;
        for (const auto &a : expertLogits) pooled.push_back(a.reshape({-1, E}).index_select(0, rows));
        return switchBalance(at::softmax(atLeastFloat(at::cat(pooled)), -1), c.topK);
    }
    const int D = c.dialectCount(), M = c.expertsPerGroup;
    at::Tensor total;
    for (const auto &a : expertLogits) {
        const auto probs = at::softmax(atLeastFloat(a.reshape({-1, D, M}).index_select(0, rows)), -1);  // [R, D, M]
        for (int g = 0; g < D; ++g) {
            const auto term = switchBalance(probs.select(1, g), c.topK);
            total = total.defined() ? total + term : term;
        }
    }
    return total / static_cast<double>(expertLogits.size() * D);
}

} // namespace momq
