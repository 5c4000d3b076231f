#include "qwen2_model.h"

#include "momq/compute.h"
#include "momq/error.h"
#include "momq/safetensors.h"

#include <c10/core/InferenceMode.h>

#include <set>
#include <sstream>

namespace momq {

at::ScalarType scalarTypeFromName(const std::string &name) {
    if (name == "f32") return at::kFloat;
    if (name == "bf16") return at::kBFloat16;
    if (name == "f16") return at::kHalf;
    throw FormatError("dtype: expected auto, f32, bf16 or f16, got \"" + name + "\"");
}

std::string scalarTypeName(at::ScalarType type) {
    return type == at::kBFloat16 ? "bf16" : type == at::kHalf ? "f16" : "f32";
}

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

} // namespace

at::Tensor LanguageModel::Impl::forward(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyValid,
                                        KvCache *cache, bool lastOnly) const {
    const auto B = ids.size(0), T = ids.size(1);
    const auto nH = config.numHeads, nKV = config.numKeyValueHeads, D = config.headDim;
    const auto past = cache ? cache->length : 0;
    const auto S = past + T;
    if (cache && S > cache->capacity) throw Error("KV cache full: " + std::to_string(S) + " positions, capacity " + std::to_string(cache->capacity));

    // Rotary tables for these positions: [B, 1, T, D] in the model's dtype.
    auto freqs = positions.to(at::kFloat).unsqueeze(-1) * inverseFrequencies;  // [B, T, D/2]
    auto angles = at::cat({freqs, freqs}, -1).unsqueeze(1);
    const auto cos = angles.cos().to(dtype), sin = angles.sin().to(dtype);

    // Attention mask, true = may attend: [B, 1, T, S]. Omitted when plain causal attention over an
    // empty cache (or a single new token without padding) says the same.
    std::optional<at::Tensor> mask;
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

    auto h = at::embedding(embed, ids);  // [B, T, H]
    const auto qSize = nH * D, kvSize = nKV * D;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const Layer &L = layers[l];
        auto x = rmsNorm(h, L.inputNorm, config.rmsNormEps);
        auto qkv = at::linear(x, L.qkvWeight, L.qkvBias);  // [B, T, q + 2 kv]
        // Queries and keys rotate together: one pass over [B, heads + kv_heads, T, D].
        auto qk = applyRotary(qkv.narrow(-1, 0, qSize + kvSize).view({B, T, nH + nKV, D}).transpose(1, 2), cos, sin);
        auto q = qk.narrow(1, 0, nH);
        auto k = qk.narrow(1, nH, nKV);
        auto v = qkv.narrow(-1, qSize + kvSize, kvSize).view({B, T, nKV, D}).transpose(1, 2);
        at::Tensor keys = k, values = v;
        if (cache) {
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
            attn = at::scaled_dot_product_attention(q, keys, values, mask, 0.0, causal, std::nullopt, nKV != nH);
        }
        h = h + at::linear(attn.transpose(1, 2).reshape({B, T, qSize}), L.oWeight);
        x = rmsNorm(h, L.postNorm, config.rmsNormEps);
        auto gateUp = at::linear(x, L.gateUpWeight);  // [B, T, 2 I]
        const auto I = config.intermediateSize;
        h = h + at::linear(at::silu(gateUp.narrow(-1, 0, I)) * gateUp.narrow(-1, I, I), L.downWeight);
    }
    if (cache) cache->length = S;
    if (lastOnly) h = h.narrow(1, T - 1, 1);
    h = rmsNorm(h, finalNorm, config.rmsNormEps);
    return at::linear(h, lmHead).to(at::kFloat);
}

// ---- loading -----------------------------------------------------------------------------------

namespace {

std::string shapeText(at::IntArrayRef shape) {
    std::ostringstream s;
    s << "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    return s.str() + "]";
}

at::ScalarType fileScalarType(DType d) {
    return d == DType::F32 ? at::kFloat : d == DType::F16 ? at::kHalf : at::kBFloat16;
}

class WeightBinder {
public:
    WeightBinder(const Checkpoint &ckpt, const std::string &dir, at::TensorOptions target)
        : ckpt_(ckpt), dir_(dir), target_(target) {}

    // Copies the named tensor to the target device and dtype, then drops the file's pages.
    at::Tensor take(const std::string &name, std::vector<std::int64_t> shape) {
        const auto *entry = ckpt_.find(name);
        if (!entry) throw FormatError(dir_ + ": tensor " + name + " is missing from the checkpoint");
        const TensorInfo &info = *entry->tensor;
        if (info.shape != shape)
            throw FormatError(entry->file->path() + ": tensor " + name + " has shape " + shapeText(info.shape) + ", expected " +
                              shapeText(shape));
        auto view = at::from_blob(const_cast<std::uint8_t *>(entry->file->data(info)), info.shape,
                                  at::TensorOptions().dtype(fileScalarType(info.dtype)));
        auto tensor = view.to(target_, /*non_blocking=*/false, /*copy=*/true);
        entry->file->release(info);
        used_.insert(name);
        count_ += tensor.numel();
        return tensor;
    }

    void checkNothingLeft(const std::set<std::string> &ignorable) const {
        for (const auto &name : ckpt_.names())
            if (!used_.count(name) && !ignorable.count(name)) {
                const auto *e = ckpt_.find(name);
                throw FormatError(e->file->path() + ": unexpected tensor " + name + " (not part of a " + "decoder of this config)");
            }
    }
    std::int64_t count() const { return count_; }

private:
    const Checkpoint &ckpt_;
    std::string dir_;
    at::TensorOptions target_;
    std::set<std::string> used_;
    std::int64_t count_ = 0;
};

} // namespace

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
        if (impl->dtype == at::kHalf && device != "cuda") throw FormatError("dtype f16 needs a CUDA device; use f32 or bf16 on CPU");

        c10::InferenceMode guard;
        const Checkpoint ckpt = Checkpoint::open(dir);
        WeightBinder w(ckpt, dir, at::TensorOptions().dtype(impl->dtype).device(impl->device));
        const std::int64_t H = c.hiddenSize, I = c.intermediateSize, q = std::int64_t{c.numHeads} * c.headDim,
                           kv = std::int64_t{c.numKeyValueHeads} * c.headDim;
        impl->embed = w.take("model.embed_tokens.weight", {c.vocabSize, H});
        for (int l = 0; l < c.numLayers; ++l) {
            const std::string p = "model.layers." + std::to_string(l) + ".";
            Impl::Layer L;
            L.inputNorm = w.take(p + "input_layernorm.weight", {H});
            L.qkvWeight = at::cat({w.take(p + "self_attn.q_proj.weight", {q, H}), w.take(p + "self_attn.k_proj.weight", {kv, H}),
                                   w.take(p + "self_attn.v_proj.weight", {kv, H})});
            if (c.attentionBias)
                L.qkvBias = at::cat({w.take(p + "self_attn.q_proj.bias", {q}), w.take(p + "self_attn.k_proj.bias", {kv}),
                                     w.take(p + "self_attn.v_proj.bias", {kv})});
            L.oWeight = w.take(p + "self_attn.o_proj.weight", {H, q});
            L.postNorm = w.take(p + "post_attention_layernorm.weight", {H});
            L.gateUpWeight = at::cat({w.take(p + "mlp.gate_proj.weight", {I, H}), w.take(p + "mlp.up_proj.weight", {I, H})});
            L.downWeight = w.take(p + "mlp.down_proj.weight", {H, I});
            impl->layers.push_back(std::move(L));
        }
        impl->finalNorm = w.take("model.norm.weight", {H});
        std::set<std::string> ignorable;
        if (c.tieWordEmbeddings) {
            impl->lmHead = impl->embed;
            ignorable.insert("lm_head.weight");  // some exports keep the tied copy
        } else {
            impl->lmHead = w.take("lm_head.weight", {c.vocabSize, H});
        }
        for (int l = 0; l < c.numLayers; ++l) ignorable.insert("model.layers." + std::to_string(l) + ".self_attn.rotary_emb.inv_freq");
        w.checkNothingLeft(ignorable);
        impl->parameters = w.count();
        impl->inverseFrequencies =
            1.0 / at::pow(c.ropeTheta, at::arange(0, c.headDim, 2, at::TensorOptions().dtype(at::kLong)).to(at::kFloat) / c.headDim);
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

} // namespace momq
