#include "momq/model_config.h"

#include "momq/files.h"
#include "momq/error.h"
#include "momq/safetensors.h"
#include "core/json_document.h"

#include <nlohmann/json.hpp>

#include <set>
#include <type_traits>

#include <filesystem>

namespace momq {

using nlohmann::json;

std::int64_t ModelConfig::parameterCount() const {
    std::int64_t total = 0;
    for (const auto &t : expectedTensors(*this)) {
        std::int64_t n = 1;
        for (const auto d : t.shape) n *= d;
        total += n;
    }
    return total;
}

std::vector<ExpectedTensor> expectedTensors(const ModelConfig &c) {
    const std::int64_t H = c.hiddenSize, I = c.intermediateSize, q = std::int64_t{c.numHeads} * c.headDim,
                       kv = std::int64_t{c.numKeyValueHeads} * c.headDim;
    std::vector<ExpectedTensor> out{{"model.embed_tokens.weight", {c.vocabSize, H}}};
    for (int l = 0; l < c.numLayers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        out.push_back({p + "input_layernorm.weight", {H}});
        out.push_back({p + "self_attn.q_proj.weight", {q, H}});
        out.push_back({p + "self_attn.k_proj.weight", {kv, H}});
        out.push_back({p + "self_attn.v_proj.weight", {kv, H}});
        if (c.attentionBias) {
            out.push_back({p + "self_attn.q_proj.bias", {q}});
            out.push_back({p + "self_attn.k_proj.bias", {kv}});
            out.push_back({p + "self_attn.v_proj.bias", {kv}});
        }
        out.push_back({p + "self_attn.o_proj.weight", {H, q}});
        out.push_back({p + "post_attention_layernorm.weight", {H}});
        out.push_back({p + "mlp.gate_proj.weight", {I, H}});
        out.push_back({p + "mlp.up_proj.weight", {I, H}});
        out.push_back({p + "mlp.down_proj.weight", {H, I}});
    }
    out.push_back({"model.norm.weight", {H}});
    if (!c.tieWordEmbeddings) out.push_back({"lm_head.weight", {c.vocabSize, H}});
    return out;
}

void checkCheckpointMatchesConfig(const ModelConfig &config, const Checkpoint &ckpt, const std::string &directory) {
    std::set<std::string> known;
    for (const auto &t : expectedTensors(config)) {
        const auto *entry = ckpt.find(t.name);
        if (!entry) throw FormatError(directory + ": tensor " + t.name + " is missing from the checkpoint");
        if (entry->tensor->shape != t.shape)
            throw FormatError(entry->file->path() + ": tensor " + t.name + " has shape " +
                              shapeText(entry->tensor->shape) + ", expected " + shapeText(t.shape));
        known.insert(t.name);
    }
    if (config.tieWordEmbeddings) known.insert("lm_head.weight");  // some exports keep the tied copy
    for (int l = 0; l < config.numLayers; ++l)
        known.insert("model.layers." + std::to_string(l) + ".self_attn.rotary_emb.inv_freq");
    for (const auto &name : ckpt.names())
        if (!known.count(name))
            throw FormatError(ckpt.find(name)->file->path() + ": unexpected tensor " + name +
                              " (not part of a decoder of this config)");
}

namespace {

int positiveInt(const json &j, const char *key, const std::string &source) {
    if (!j.contains(key)) throw FormatError(source + ": " + key + ": missing required field");
    const auto &v = j[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > (1 << 30))
        throw FormatError(source + ": " + key + ": expected a positive integer, found " + describeJson(v));
    return v.get<int>();
}

// An optional field of one JSON type: `fallback` when absent or null; FormatError naming the
// field and what was there otherwise.
template <typename T> T optionalField(const json &j, const char *key, T fallback, const std::string &source) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    const auto &v = j[key];
    const bool fits = std::is_same_v<T, bool>     ? v.is_boolean()
                      : std::is_same_v<T, double> ? v.is_number()
                      : std::is_same_v<T, std::string>
                          ? v.is_string()
                          : v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() < (1LL << 31);
    if (!fits) {
        const char *expected = std::is_same_v<T, bool>          ? "true or false"
                               : std::is_same_v<T, double>      ? "a number"
                               : std::is_same_v<T, std::string> ? "a string"
                                                                : "a non-negative integer";
        throw FormatError(source + ": " + key + ": expected " + expected + ", found " + describeJson(v));
    }
    return v.get<T>();
}

// eos_token_id: one id or a list of them.
std::vector<int> tokenIds(const json &j, const std::string &source) {
    if (!j.contains("eos_token_id") || j["eos_token_id"].is_null()) return {};
    const auto &v = j["eos_token_id"];
    const json list = v.is_array() ? v : json::array({v});
    std::vector<int> out;
    for (const auto &x : list) {
        if (!x.is_number_integer() || x.get<std::int64_t>() < 0 || x.get<std::int64_t>() >= (1LL << 31))
            throw FormatError(source + ": eos_token_id: expected a token id or a list of them, found " +
                              describeJson(x));
        out.push_back(x.get<int>());
    }
    return out;
}

}  // namespace

ModelConfig parseModelConfig(const std::string &text, const std::string &source) try {
    const json j = parseJsonObject(text, source);
    ModelConfig c;
    if (!j.contains("model_type") || !j["model_type"].is_string())
        throw FormatError(source + ": model_type: missing or not a string");
    c.modelType = j["model_type"].get<std::string>();
    if (c.modelType != "qwen2" && c.modelType != "llama")
        throw FormatError(source + ": model_type " + shortQuoted(c.modelType) +
                          " is not supported (expected qwen2 or llama)");
    c.hiddenSize = positiveInt(j, "hidden_size", source);
    c.intermediateSize = positiveInt(j, "intermediate_size", source);
    c.numLayers = positiveInt(j, "num_hidden_layers", source);
    c.numHeads = positiveInt(j, "num_attention_heads", source);
    c.numKeyValueHeads = j.contains("num_key_value_heads") && !j["num_key_value_heads"].is_null()
                             ? positiveInt(j, "num_key_value_heads", source)
                             : c.numHeads;
    c.vocabSize = positiveInt(j, "vocab_size", source);
    c.maxPositionEmbeddings = positiveInt(j, "max_position_embeddings", source);
    if (j.contains("head_dim") && !j["head_dim"].is_null())
        c.headDim = positiveInt(j, "head_dim", source);
    else if (c.hiddenSize % c.numHeads == 0)
        c.headDim = c.hiddenSize / c.numHeads;
    else
        throw FormatError(source + ": hidden_size " + std::to_string(c.hiddenSize) +
                          " is not a multiple of num_attention_heads " + std::to_string(c.numHeads));
    if (c.numHeads % c.numKeyValueHeads != 0)
        throw FormatError(source + ": num_attention_heads " + std::to_string(c.numHeads) +
                          " is not a multiple of num_key_value_heads " + std::to_string(c.numKeyValueHeads));
    if (c.headDim % 2 != 0)
        throw FormatError(source + ": head_dim " + std::to_string(c.headDim) + " must be even for rotary embeddings");

    // transformers 5 writes rope_parameters {rope_theta, rope_type}; earlier versions rope_theta
    // and rope_scaling. Only plain RoPE is implemented: anything else is refused, not ignored.
    const json *rope =
        j.contains("rope_parameters") && j["rope_parameters"].is_object() ? &j["rope_parameters"] : nullptr;
    const json &thetaHolder = rope ? *rope : j;
    if (thetaHolder.contains("rope_theta")) {
        if (!thetaHolder["rope_theta"].is_number()) throw FormatError(source + ": rope_theta: expected a number");
        c.ropeTheta = thetaHolder["rope_theta"].get<double>();
    }
    // Both fields may be present (a config converted between versions): transformers then still
    // applies rope_scaling, so each one present must ask for plain RoPE.
    for (const char *key : {"rope_parameters", "rope_scaling"}) {
        if (!j.contains(key) || j[key].is_null()) continue;
        if (!j[key].is_object()) throw FormatError(source + ": " + key + ": expected an object");
        const std::string type =
            optionalField(j[key], "rope_type", optionalField(j[key], "type", std::string("default"), source), source);
        if (type != "default")
            throw FormatError(source + ": " + key + ": rope scaling \"" + type +
                              "\" is not supported (only default RoPE)");
    }
    c.rmsNormEps = optionalField(j, "rms_norm_eps", c.rmsNormEps, source);
    c.tieWordEmbeddings = optionalField(j, "tie_word_embeddings", c.tieWordEmbeddings, source);
    c.attentionBias = c.modelType == "qwen2" || optionalField(j, "attention_bias", false, source);
    if (optionalField(j, "mlp_bias", false, source)) throw FormatError(source + ": mlp_bias true is not supported");
    if (const auto act = optionalField(j, "hidden_act", std::string("silu"), source); act != "silu")
        throw FormatError(source + ": hidden_act " + shortQuoted(act) + " is not supported (expected silu)");
    for (const char *key : {"dtype", "torch_dtype"})
        if (j.contains(key) && j[key].is_string()) c.torchDtype = j[key].get<std::string>();
    c.useSlidingWindow = optionalField(j, "use_sliding_window", false, source);
    c.slidingWindow = optionalField(j, "sliding_window", c.slidingWindow, source);
    c.maxWindowLayers = optionalField(j, "max_window_layers", c.maxWindowLayers, source);
    if (c.useSlidingWindow)
        throw FormatError(source + ": use_sliding_window true is not supported (full attention only)");
    c.eosTokenIds = tokenIds(j, source);
    c.bosTokenId = optionalField(j, "bos_token_id", c.bosTokenId, source);
    c.padTokenId = optionalField(j, "pad_token_id", c.padTokenId, source);
    return c;
} catch (const json::exception &e) {  // a field of a type no check above expected
    throw FormatError(source + ": " + e.what());
}

ModelConfig loadModelConfig(const std::string &dir) {
    const auto path = (std::filesystem::path(dir) / "config.json").string();
    return parseModelConfig(readTextFile(path), path);
}

std::string modelConfigToJson(const ModelConfig &c) {
    return json{{"model_type", c.modelType},
                {"hidden_size", c.hiddenSize},
                {"intermediate_size", c.intermediateSize},
                {"num_hidden_layers", c.numLayers},
                {"num_attention_heads", c.numHeads},
                {"num_key_value_heads", c.numKeyValueHeads},
                {"head_dim", c.headDim},
                {"vocab_size", c.vocabSize},
                {"max_position_embeddings", c.maxPositionEmbeddings},
                {"rope_theta", c.ropeTheta},
                {"rms_norm_eps", c.rmsNormEps},
                {"tie_word_embeddings", c.tieWordEmbeddings},
                {"attention_bias", c.attentionBias},
                {"torch_dtype", c.torchDtype},
                {"parameters", c.parameterCount()}}
        .dump();
}

}  // namespace momq
