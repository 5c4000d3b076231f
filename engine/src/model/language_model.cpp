#include "model/qwen2_model.h"
#include "model/tensor_io.h"

#include "adapt/adapters.h"
#include "core/text.h"
#include "model/autocast.h"

#include "momq/compute.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/safetensors.h"
#include "momq/tokenizer.h"

#include <ATen/Context.h>
#include <ATen/core/grad_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <c10/core/InferenceMode.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <fstream>
#include <set>
#include <sstream>

namespace momq {

void KvCache::select(const at::Tensor &order) {
    for (auto *list : {&keys, &values})
        for (auto &t : *list) t = t.index_select(0, order);
}

KvCache LanguageModel::Impl::newCache(std::int64_t batch, std::int64_t capacity) const {
    KvCache cache;
    cache.capacity = capacity;
    const auto options = at::TensorOptions().dtype(dtype).device(device);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        cache.keys.push_back(at::empty({batch, config.numKeyValueHeads, capacity, config.headDim}, options));
        cache.values.push_back(at::empty({batch, config.numKeyValueHeads, capacity, config.headDim}, options));
    }
    return cache;
}

namespace {

// x: [..., H]. Normalised in float32 and cast back before the weight, as the reference does.
at::Tensor rmsNorm(const at::Tensor &x, const at::Tensor &weight, double eps) {
    const auto h = at::rms_norm(x.to(at::kFloat), {x.size(-1)}, std::nullopt, eps);
    return weight * h.to(x.scalar_type());
}

// x: [B, heads, T, D]; cos, sin: [B, 1, T, D].
at::Tensor applyRotary(const at::Tensor &x, const at::Tensor &cos, const at::Tensor &sin) {
    const auto half = x.size(-1) / 2;
    const auto rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
    return x * cos + rotated * sin;
}

// ---- gradient checkpointing ---------------------------------------------------------------

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The tensors of one layer that receive gradients: the model's own (full fine-tuning) and the
// adapters'.
std::vector<at::Tensor> trainableTensors(const LanguageModel::Impl &m, std::size_t l, const AdapterState *adapters) {
    std::vector<at::Tensor> out;
    auto add = [&](const at::Tensor &t) {
        if (t.defined() && t.requires_grad()) out.push_back(t);
    };
    const auto &L = m.layers[l];
    for (const at::Tensor *t : L.tensors()) add(*t);
    if (adapters)
        for (const auto &[name, t] : adapters->layers[l].namedTensors()) add(t);
    return out;
}

// A layer's output and routing as one list (a routing field that is not there: an empty tensor).
variable_list packLayerOutputs(const at::Tensor &h, const Routing &r) {
    variable_list out{h};
    for (const at::Tensor *t :
         {&r.expertLogits, &r.dialectLogits, &r.dialectProbs, &r.expertProbs, &r.chosen, &r.gates})
        out.push_back(t->defined() ? *t : at::empty({0}, h.options()));
    return out;
}

class CheckpointedLayer : public torch::autograd::Function<CheckpointedLayer> {
public:
    // inputs: the layer's input h, then trainableTensors(); autograd routes their gradients here.
    static variable_list forward(AutogradContext *ctx, at::TensorList inputs, const LanguageModel::Impl *model,
                                 std::int64_t layer, const LanguageModel::Impl::LayerPass *pass, bool withRouting) {
        // The generator's state now, so that the backward pass draws the same dropout masks.
        ctx->saved_data["rng"] = at::globalContext().defaultGenerator(inputs[0].device()).get_state();
        ctx->saved_data["model"] = reinterpret_cast<std::int64_t>(model);
        ctx->saved_data["adapters"] = reinterpret_cast<std::int64_t>(pass->adapters);
        ctx->saved_data["layer"] = layer;
        ctx->saved_data["cos"] = pass->cos;
        ctx->saved_data["sin"] = pass->sin;
        ctx->saved_data["causal"] = pass->causal;
        ctx->saved_data["routing"] = withRouting;
        // The backward pass runs outside the caller's autocast scope: recompute under the same one.
        const auto deviceType = inputs[0].device().type();
        ctx->saved_data["autocast"] = at::autocast::is_autocast_enabled(deviceType);
        ctx->saved_data["autocast_type"] = static_cast<std::int64_t>(at::autocast::get_autocast_dtype(deviceType));
        if (pass->mask.defined()) ctx->saved_data["mask"] = pass->mask;
        ctx->save_for_backward({inputs[0]});
        Routing r;
        auto outputs = packLayerOutputs(
            model->layerForward(static_cast<std::size_t>(layer), inputs[0], *pass, withRouting ? &r : nullptr), r);
        ctx->mark_non_differentiable({outputs[5]});  // the chosen experts' ids
        return outputs;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs) {
        const auto *model = reinterpret_cast<const LanguageModel::Impl *>(ctx->saved_data["model"].toInt());
        LanguageModel::Impl::LayerPass pass;
        pass.adapters = reinterpret_cast<const AdapterState *>(ctx->saved_data["adapters"].toInt());
        pass.cos = ctx->saved_data["cos"].toTensor();
        pass.sin = ctx->saved_data["sin"].toTensor();
        pass.causal = ctx->saved_data["causal"].toBool();
        if (ctx->saved_data.count("mask")) pass.mask = ctx->saved_data["mask"].toTensor();
        const auto layer = static_cast<std::size_t>(ctx->saved_data["layer"].toInt());
        const bool withRouting = ctx->saved_data["routing"].toBool();
        const auto input = ctx->get_saved_variables()[0].detach().requires_grad_(true);
        const auto weights = trainableTensors(*model, layer, pass.adapters);

        auto generator = at::globalContext().defaultGenerator(input.device());
        const auto now = generator.get_state();
        generator.set_state(ctx->saved_data["rng"].toTensor());
        variable_list outputs;
        {
            at::AutoGradMode enabled(true);
            AutocastScope autocast(input.device().type(), ctx->saved_data["autocast"].toBool(),
                                   static_cast<at::ScalarType>(ctx->saved_data["autocast_type"].toInt()));
            Routing r;
            outputs = packLayerOutputs(model->layerForward(layer, input, pass, withRouting ? &r : nullptr), r);
        }
        generator.set_state(now);

        variable_list differentiable, grads;
        for (std::size_t i = 0; i < outputs.size(); ++i)
            if (outputs[i].requires_grad() && gradOutputs[i].defined()) {
                differentiable.push_back(outputs[i]);
                grads.push_back(gradOutputs[i]);
            }
        variable_list wrt{input};
        wrt.insert(wrt.end(), weights.begin(), weights.end());
        auto result = torch::autograd::grad(differentiable, wrt, grads, false, false, true);
        result.resize(result.size() + 4);  // model, layer, pass and withRouting take none
        return result;
    }
};

at::Tensor checkpointedLayer(const LanguageModel::Impl &model, std::size_t layer, const at::Tensor &h,
                             const LanguageModel::Impl::LayerPass &pass, Routing *routing) {
    std::vector<at::Tensor> inputs{h};
    const auto weights = trainableTensors(model, layer, pass.adapters);
    inputs.insert(inputs.end(), weights.begin(), weights.end());
    const auto out = CheckpointedLayer::apply(at::TensorList(inputs), &model, static_cast<std::int64_t>(layer), &pass,
                                              routing != nullptr);
    if (routing) {
        auto field = [&](int i) { return out[i].numel() == 0 && out[i].dim() == 1 ? at::Tensor() : out[i]; };
        *routing = {field(1), field(2), field(3), field(4), field(5), field(6)};
    }
    return out[0];
}

}  // namespace

std::pair<at::Tensor, at::Tensor> LanguageModel::Impl::rotaryTables(const at::Tensor &positions) const {
    auto freqs = positions.to(at::kFloat).unsqueeze(-1) * inverseFrequencies;  // [B, T, D/2]
    auto angles = at::cat({freqs, freqs}, -1).unsqueeze(1);
    return {angles.cos().to(dtype), angles.sin().to(dtype)};
}

at::Tensor LanguageModel::Impl::forward(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyValid,
                                        KvCache *cache, bool lastOnly, const AdapterState *adapters,
                                        std::vector<Routing> *routing, bool checkpointLayers) const {
    if (decodesFused(ids, keyValid, cache, adapters)) return decodeFused(ids.item<std::int64_t>(), positions, *cache);
    const auto B = ids.size(0), T = ids.size(1);
    const auto past = cache ? cache->length : 0;
    const auto S = past + T;
    if (cache && S > cache->capacity)
        throw Error("KV cache full: " + std::to_string(S) + " positions, capacity " + std::to_string(cache->capacity));

    const auto [cos, sin] = rotaryTables(positions);

    // Attention mask, true = may attend: [B, 1, T, S]. Omitted when plain causal attention over an
    // empty cache (or a single new token without padding) says the same.
    at::Tensor mask;
    bool causal = false;
    if (T > 1 || keyValid.defined()) {
        if (!keyValid.defined() && past == 0) {
            causal = true;
        } else {
            auto qpos = at::arange(past, S, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(1);
            auto kpos = at::arange(0, S, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(0);
            auto m = (kpos <= qpos).unsqueeze(0).unsqueeze(0);  // [1, 1, T, S]
            if (keyValid.defined()) m = m & keyValid.narrow(1, 0, S).view({B, 1, 1, S});
            // A padding query row would see no key at all (NaN); let it see itself.
            m = m | (kpos == qpos).unsqueeze(0).unsqueeze(0);
            mask = m;
        }
    }

    const LayerPass pass{cos, sin, mask, causal, cache, adapters};
    const bool checkpoint = checkpointLayers && !cache;
    auto h = at::embedding(embed, ids);  // [B, T, H]
    if (routing) routing->clear();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        Routing r;
        const bool moe = adapters && adapters->layers[l].moe.expertA.defined();
        h = checkpoint ? checkpointedLayer(*this, l, h, pass, moe ? &r : nullptr)
                       : layerForward(l, h, pass, moe ? &r : nullptr);
        if (routing && moe) routing->push_back(std::move(r));
    }
    if (cache) cache->length = S;
    if (lastOnly) h = h.narrow(1, T - 1, 1);
    h = rmsNorm(h, adapters && adapters->finalNorm.defined() ? adapters->finalNorm : finalNorm, config.rmsNormEps);
    return at::linear(h, lmHead).to(at::kFloat);
}

at::Tensor LanguageModel::Impl::layerForward(std::size_t l, const at::Tensor &input, const LayerPass &pass,
                                             Routing *routing) const {
    const auto B = input.size(0), T = input.size(1);
    const auto nH = config.numHeads, nKV = config.numKeyValueHeads, D = config.headDim;
    const auto qSize = nH * D, kvSize = nKV * D;
    const auto I = config.intermediateSize;
    const AdapterState *adapters = pass.adapters;
    const double loraScale = adapters ? adapters->config.alpha / adapters->config.rank : 0.0;
    const bool training = adapters && adapters->training;
    const Layer &L = layers[l];
    const AdapterLayer *A = adapters ? &adapters->layers[l] : nullptr;
    // LoRA delta of one projection for input x, or zeros of `width` where it has none.
    auto delta = [&](const char *projection, const at::Tensor &in, std::int64_t width) {
        auto it = A ? A->lora.find(projection) : decltype(A->lora.end()){};
        if (!A || it == A->lora.end()) return at::zeros({B, T, width}, in.options());
        return loraDelta(in, it->second, loraScale, adapters->config.dropout, training);
    };
    auto has = [&](std::initializer_list<const char *> names) {
        if (!A) return false;
        for (const char *n : names)
            if (A->lora.count(n)) return true;
        return false;
    };
    std::optional<at::Tensor> mask;
    if (pass.mask.defined()) mask = pass.mask;
    auto h = input;
    auto x = rmsNorm(h, A && A->inputNorm.defined() ? A->inputNorm : L.inputNorm, config.rmsNormEps);
    auto qkv = at::linear(x, L.qkvWeight, L.qkvBias);  // [B, T, q + 2 kv]
    if (has({"q_proj", "k_proj", "v_proj"}))
        qkv = qkv + at::cat({delta("q_proj", x, qSize), delta("k_proj", x, kvSize), delta("v_proj", x, kvSize)}, -1);
    // Queries and keys rotate together: one pass over [B, heads + kv_heads, T, D].
    auto qk =
        applyRotary(qkv.narrow(-1, 0, qSize + kvSize).view({B, T, nH + nKV, D}).transpose(1, 2), pass.cos, pass.sin);
    auto q = qk.narrow(1, 0, nH);
    auto k = qk.narrow(1, nH, nKV);
    auto v = qkv.narrow(-1, qSize + kvSize, kvSize).view({B, T, nKV, D}).transpose(1, 2);
    at::Tensor keys = k, values = v;
    if (KvCache *cache = pass.cache) {
        const auto past = cache->length, S = past + T;
        cache->keys[l].narrow(2, past, T).copy_(k);
        cache->values[l].narrow(2, past, T).copy_(v);
        keys = cache->keys[l].narrow(2, 0, S);
        values = cache->values[l].narrow(2, 0, S);
    }
    at::Tensor attn;
    if (T == 1) {
        // One query per head: fold each key/value head's query group into the query axis, so
        // the cache is read once per KV head instead of being repeated per query head.
        auto grouped = q.reshape({B, nKV, nH / nKV, D});
        attn = at::scaled_dot_product_attention(grouped, keys, values, mask).reshape({B, nH, 1, D});
    } else {
        attn = at::scaled_dot_product_attention(q, keys, values, mask, 0.0, pass.causal, std::nullopt, nKV != nH);
    }
    const auto attnOut = attn.transpose(1, 2).reshape({B, T, qSize});
    h = h + at::linear(attnOut, L.oWeight);
    if (has({"o_proj"})) h = h + delta("o_proj", attnOut, config.hiddenSize);
    x = rmsNorm(h, A && A->postNorm.defined() ? A->postNorm : L.postNorm, config.rmsNormEps);
    auto gateUp = at::linear(x, L.gateUpWeight);  // [B, T, 2 I]
    if (has({"gate_proj", "up_proj"}))
        gateUp = gateUp + at::cat({delta("gate_proj", x, I), delta("up_proj", x, I)}, -1);
    const auto u = at::silu(gateUp.narrow(-1, 0, I)) * gateUp.narrow(-1, I, I);  // [B, T, I]
    h = h + at::linear(u, L.downWeight);
    if (A && A->moe.expertA.defined()) {
        // The MoE down-projection routes on u (or on the MLP's input x: router_input hidden).
        const auto &routerIn = adapters->config.routerInput == RouterInput::Intermediate ? u : x;
        Routing r;
        const auto y = moeDelta(u.reshape({B * T, I}), routerIn.reshape({B * T, routerIn.size(-1)}), A->moe,
                                adapters->config, training, adapters->dispatch, &r);
        h = h + y.view({B, T, config.hiddenSize});
        if (routing) *routing = std::move(r);
    } else if (has({"down_proj"})) {
        h = h + delta("down_proj", u, config.hiddenSize);
    }
    return h;
}

std::vector<std::pair<std::string, at::Tensor>> LanguageModel::Impl::namedWeights() const {
    std::vector<std::pair<std::string, at::Tensor>> out = {{"embed_tokens.weight", embed}};
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto &L = layers[l];
        const std::string p = "layers." + std::to_string(l) + ".";
        out.emplace_back(p + "input_layernorm.weight", L.inputNorm);
        out.emplace_back(p + "qkv.weight", L.qkvWeight);
        if (L.qkvBias.defined()) out.emplace_back(p + "qkv.bias", L.qkvBias);
        out.emplace_back(p + "o_proj.weight", L.oWeight);
        out.emplace_back(p + "post_attention_layernorm.weight", L.postNorm);
        out.emplace_back(p + "gate_up.weight", L.gateUpWeight);
        out.emplace_back(p + "down_proj.weight", L.downWeight);
    }
    out.emplace_back("norm.weight", finalNorm);
    if (!config.tieWordEmbeddings) out.emplace_back("lm_head.weight", lmHead);
    return out;
}

std::unique_ptr<LanguageModel::Impl> LanguageModel::Impl::trainableCopy() const {
    auto copy = std::make_unique<Impl>(*this);
    auto own = [](at::Tensor &t) {
        if (t.defined()) t = t.detach().to(at::kFloat, false, true).requires_grad_(true);
    };
    own(copy->embed);
    own(copy->finalNorm);
    for (auto &L : copy->layers)
        for (at::Tensor *t : L.tensors()) own(*t);
    if (config.tieWordEmbeddings)
        copy->lmHead = copy->embed;
    else
        own(copy->lmHead);
    copy->dtype = at::kFloat;
    return copy;
}

void LanguageModel::Impl::exportHuggingFace(const std::string &dir) const {
    std::filesystem::create_directories(dir);
    const std::int64_t q = std::int64_t{config.numHeads} * config.headDim,
                       kv = std::int64_t{config.numKeyValueHeads} * config.headDim, I = config.intermediateSize;
    std::vector<TensorBytes> tensors;
    auto add = [&](const std::string &name, const at::Tensor &t) { tensors.push_back(toTensorBytes(name, t)); };
    add("model.embed_tokens.weight", embed);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const auto &L = layers[l];
        const std::string p = "model.layers." + std::to_string(l) + ".";
        add(p + "input_layernorm.weight", L.inputNorm);
        add(p + "self_attn.q_proj.weight", L.qkvWeight.narrow(0, 0, q));
        add(p + "self_attn.k_proj.weight", L.qkvWeight.narrow(0, q, kv));
        add(p + "self_attn.v_proj.weight", L.qkvWeight.narrow(0, q + kv, kv));
        if (L.qkvBias.defined()) {
            add(p + "self_attn.q_proj.bias", L.qkvBias.narrow(0, 0, q));
            add(p + "self_attn.k_proj.bias", L.qkvBias.narrow(0, q, kv));
            add(p + "self_attn.v_proj.bias", L.qkvBias.narrow(0, q + kv, kv));
        }
        add(p + "self_attn.o_proj.weight", L.oWeight);
        add(p + "post_attention_layernorm.weight", L.postNorm);
        add(p + "mlp.gate_proj.weight", L.gateUpWeight.narrow(0, 0, I));
        add(p + "mlp.up_proj.weight", L.gateUpWeight.narrow(0, I, I));
        add(p + "mlp.down_proj.weight", L.downWeight);
    }
    add("model.norm.weight", finalNorm);
    if (!config.tieWordEmbeddings) add("lm_head.weight", lmHead);
    writeFileAtomically(dir + "/model.safetensors", safetensorsImage(tensors, {{"format", "pt"}}));
    std::ifstream in(directory + "/config.json");
    std::ostringstream text;
    text << in.rdbuf();
    writeFileAtomically(dir + "/config.json", text.str());
}

// ---- loading -----------------------------------------------------------------------------------

namespace {

at::ScalarType fileScalarType(DType d) {
    return d == DType::F32 ? at::kFloat : d == DType::F16 ? at::kHalf : at::kBFloat16;
}

class WeightBinder {
public:
    WeightBinder(const Checkpoint &ckpt, at::TensorOptions target) : ckpt_(ckpt), target_(target) {}

    // Copies the named tensor to the target device and dtype, then drops the file's pages. The
    // checkpoint was checked against the config before (checkCheckpointMatchesConfig).
    at::Tensor take(const std::string &name) {
        const auto *entry = ckpt_.find(name);
        const TensorInfo &info = *entry->tensor;
        auto view = at::from_blob(const_cast<std::uint8_t *>(entry->file->data(info)), info.shape,
                                  at::TensorOptions().dtype(fileScalarType(info.dtype)));
        auto tensor = view.to(target_, /*non_blocking=*/false, /*copy=*/true);
        entry->file->release(info);
        count_ += tensor.numel();
        return tensor;
    }
    std::int64_t count() const { return count_; }

private:
    const Checkpoint &ckpt_;
    at::TensorOptions target_;
    std::int64_t count_ = 0;
};

}  // namespace

LanguageModel::LanguageModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LanguageModel::~LanguageModel() = default;

std::shared_ptr<const LanguageModel> LanguageModel::load(const std::string &dir, const LoadOptions &options) {
    try {
        auto impl = std::make_unique<Impl>();
        impl->directory = dir;
        impl->config = loadModelConfig(dir);
        const auto &c = impl->config;
        const std::string device = resolveDevice(options.device);
        impl->device = device == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
        const std::string dtypeName = options.dtype == "auto" ? (device == "cuda" ? "bf16" : "f32") : options.dtype;
        impl->dtype = scalarTypeFromName(dtypeName);
        if (impl->dtype == at::kHalf && device != "cuda")
            throw FormatError("dtype f16 needs a CUDA device; use f32 or bf16 on CPU");

        // Plain tensors without gradients, not inference tensors: training uses them in autograd.
        at::NoGradGuard guard;
        const Checkpoint ckpt = Checkpoint::open(dir);
        checkCheckpointMatchesConfig(c, ckpt, dir);
        WeightBinder w(ckpt, at::TensorOptions().dtype(impl->dtype).device(impl->device));
        impl->embed = w.take("model.embed_tokens.weight");
        for (int l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            Impl::Layer L;
            L.inputNorm = w.take(p + "input_layernorm.weight");
            L.qkvWeight = at::cat({w.take(p + "self_attn.q_proj.weight"), w.take(p + "self_attn.k_proj.weight"),
                                   w.take(p + "self_attn.v_proj.weight")});
            if (c.attentionBias)
                L.qkvBias = at::cat({w.take(p + "self_attn.q_proj.bias"), w.take(p + "self_attn.k_proj.bias"),
                                     w.take(p + "self_attn.v_proj.bias")});
            L.oWeight = w.take(p + "self_attn.o_proj.weight");
            L.postNorm = w.take(p + "post_attention_layernorm.weight");
            L.gateUpWeight = at::cat({w.take(p + "mlp.gate_proj.weight"), w.take(p + "mlp.up_proj.weight")});
            L.downWeight = w.take(p + "mlp.down_proj.weight");
            impl->layers.push_back(std::move(L));
        }
        impl->finalNorm = w.take("model.norm.weight");
        impl->lmHead = c.tieWordEmbeddings ? impl->embed : w.take("lm_head.weight");
        impl->parameters = w.count();
        impl->inverseFrequencies =
            1.0 / at::pow(c.ropeTheta,
                          at::arange(0, c.headDim, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) / c.headDim);
        impl->inverseFrequencies = impl->inverseFrequencies.to(impl->device);
        return std::shared_ptr<const LanguageModel>(new LanguageModel(std::move(impl)));
    } catch (...) {
        rethrowWithContext("loading model " + dir);
    }
}

const ModelConfig &LanguageModel::config() const { return impl_->config; }
std::string LanguageModel::device() const { return impl_->device.is_cuda() ? "cuda" : "cpu"; }
std::string LanguageModel::dtype() const { return scalarTypeName(impl_->dtype); }
std::int64_t LanguageModel::parameterCount() const { return impl_->parameters; }
const std::string &LanguageModel::directory() const { return impl_->directory; }

FloatMatrix LanguageModel::logits(const std::vector<int> &ids) const {
    if (ids.empty()) throw FormatError("logits: empty token sequence");
    for (int id : ids)
        if (id < 0 || id >= impl_->config.vocabSize)
            throw FormatError("logits: token id " + std::to_string(id) + " is outside the vocabulary (" +
                              std::to_string(impl_->config.vocabSize) + ")");
    c10::InferenceMode guard;
    const auto T = static_cast<std::int64_t>(ids.size());
    std::vector<std::int64_t> ids64(ids.begin(), ids.end());
    auto input = at::tensor(ids64, at::kLong).view({1, T}).to(impl_->device);
    auto positions = at::arange(T, at::kLong).view({1, T}).to(impl_->device);
    auto out = impl_->forward(input, positions, at::Tensor(), nullptr, false)[0].contiguous().cpu();
    FloatMatrix m;
    m.rows = out.size(0);
    m.cols = out.size(1);
    m.values.assign(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
    return m;
}

void createRandomModel(const ModelShape &shape, const std::string &tokenizerPath, const std::string &dir,
                       std::uint64_t seed) {
    if (shape.hiddenSize % shape.numHeads != 0 || shape.numHeads % shape.numKeyValueHeads != 0)
        throw FormatError("model shape: hidden size must divide into heads, and heads into key/value heads");
    const auto tok = Tokenizer::load(tokenizerPath);
    const int vocab = tok->vocabSize(), endOfText = tok->tokenId("<|endoftext|>"), imEnd = tok->tokenId("<|im_end|>");
    if (endOfText < 0 || imEnd < 0)
        throw FormatError(tokenizerPath + ": the tokenizer needs <|endoftext|> and <|im_end|>");
    const nlohmann::json config = {{"architectures", {"Qwen2ForCausalLM"}},
                                   {"model_type", "qwen2"},
                                   {"hidden_act", "silu"},
                                   {"hidden_size", shape.hiddenSize},
                                   {"intermediate_size", shape.intermediateSize},
                                   {"num_hidden_layers", shape.numLayers},
                                   {"num_attention_heads", shape.numHeads},
                                   {"num_key_value_heads", shape.numKeyValueHeads},
                                   {"vocab_size", vocab},
                                   {"max_position_embeddings", shape.maxPositions},
                                   {"rope_theta", 10000.0},
                                   {"rms_norm_eps", 1e-6},
                                   {"tie_word_embeddings", true},
                                   {"use_sliding_window", false},
                                   {"sliding_window", shape.maxPositions},
                                   {"max_window_layers", shape.numLayers},
                                   {"torch_dtype", "float32"},
                                   {"bos_token_id", nullptr},
                                   {"eos_token_id", {imEnd, endOfText}},
                                   {"pad_token_id", endOfText},
                                   {"attention_dropout", 0.0},
                                   {"initializer_range", 0.02}};
    // The tensors the config implies, in its order: norms 1, biases 0, the rest normal with std 0.02.
    at::manual_seed(seed);
    std::vector<TensorBytes> tensors;
    for (const auto &t : expectedTensors(parseModelConfig(config.dump(), "random model config"))) {
        const bool norm = endsWith(t.name, "norm.weight"), bias = endsWith(t.name, ".bias");
        tensors.push_back(toTensorBytes(t.name, norm   ? at::ones(t.shape, at::kFloat)
                                                : bias ? at::zeros(t.shape, at::kFloat)
                                                       : at::randn(t.shape, at::kFloat) * 0.02));
    }
    std::filesystem::create_directories(dir);
    writeFileAtomically(dir + "/config.json", config.dump(2) + "\n");
    writeFileAtomically(dir + "/model.safetensors", safetensorsImage(tensors, {{"format", "pt"}}));
    std::filesystem::path source(tokenizerPath);
    if (std::filesystem::is_directory(source)) source /= "tokenizer.json";
    std::filesystem::copy_file(source, dir + "/tokenizer.json", std::filesystem::copy_options::overwrite_existing);
}

}  // namespace momq
