#include "momq/model_config.h"

#include "momq/files.h"
#include "momq/error.h"
#include "core/json_document.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace momq {

using nlohmann::json;

std::int64_t ModelConfig::parameterCount() const {
    const std::int64_t h = hiddenSize, q = std::int64_t{numHeads} * headDim, kv = std::int64_t{numKeyValueHeads} * headDim;
    std::int64_t perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
    if (attentionBias) perLayer += q + 2 * kv;
    std::int64_t total = perLayer * numLayers + std::int64_t{vocabSize} * h + h;
    if (!tieWordEmbeddings) total += std::int64_t{vocabSize} * h;
    return total;
}

namespace {

int positiveInt(const json &j, const char *key, const std::string &source) {
    if (!j.contains(key)) throw FormatError(source + ": " + key + ": missing required field");
    const auto &v = j[key];
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0 || v.get<std::int64_t>() > (1 << 30))
        throw FormatError(source + ": " + key + ": expected a positive integer, found " + v.dump());
    return v.get<int>();
}

std::vector<int> tokenIds(const json &v) {
    if (v.is_number_integer()) return {v.get<int>()};
    std::vector<int> out;
    if (v.is_array())
        for (const auto &x : v)
            if (x.is_number_integer()) out.push_back(x.get<int>());
    return out;
}

} // namespace

ModelConfig parseModelConfig(const std::string &text, const std::string &source) {
    const json j = parseJsonObject(text, source);
    ModelConfig c;
    if (!j.contains("model_type") || !j["model_type"].is_string()) throw FormatError(source + ": model_type: missing or not a string");
    c.modelType = j["model_type"].get<std::string>();
    if (c.modelType != "qwen2" && c.modelType != "llama")
        throw FormatError(source + ": model_type \"" + c.modelType + "\" is not supported (expected qwen2 or llama)");
    c.hiddenSize = positiveInt(j, "hidden_size", source);
    c.intermediateSize = positiveInt(j, "intermediate_size", source);
    c.numLayers = positiveInt(j, "num_hidden_layers", source);
    c.numHeads = positiveInt(j, "num_attention_heads", source);
    c.numKeyValueHeads = j.contains("num_key_value_heads") && !j["num_key_value_heads"].is_null()
                             ? positiveInt(j, "num_key_value_heads", source)
                             : c.numHeads;
    c.vocabSize = positiveInt(j, "vocab_size", source);
    c.maxPositionEmbeddings = positiveInt(j, "max_position_embeddings", source);
    if (j.contains("head_dim") && !j["head_dim"].is_null()) c.headDim = positiveInt(j, "head_dim", source);
    else if (c.hiddenSize % c.numHeads == 0) c.headDim = c.hiddenSize / c.numHeads;
    else throw FormatError(source + ": hidden_size " + std::to_string(c.hiddenSize) + " is not a multiple of num_attention_heads " + std::to_string(c.numHeads));
    if (c.numHeads % c.numKeyValueHeads != 0)
        throw FormatError(source + ": num_attention_heads " + std::to_string(c.numHeads) + " is not a multiple of num_key_value_heads " +
                          std::to_string(c.numKeyValueHeads));
    if (c.headDim % 2 != 0) throw FormatError(source + ": head_dim " + std::to_string(c.headDim) + " must be even for rotary embeddings");

    // transformers 5 writes rope_parameters {rope_theta, rope_type}; earlier versions rope_theta
    // and rope_scaling. Only plain RoPE is implemented: anything else is refused, not ignored.
    const json *rope = j.contains("rope_parameters") && j["rope_parameters"].is_object() ? &j["rope_parameters"] : nullptr;
    const json &thetaHolder = rope ? *rope : j;
    if (thetaHolder.contains("rope_theta")) {
        if (!thetaHolder["rope_theta"].is_number()) throw FormatError(source + ": rope_theta: expected a number");
        c.ropeTheta = thetaHolder["rope_theta"].get<double>();
    }
    const json *scaling = rope ? rope : (j.contains("rope_scaling") && !j["rope_scaling"].is_null() ? &j["rope_scaling"] : nullptr);
    if (scaling) {
        const std::string type = scaling->value("rope_type", scaling->value("type", std::string("default")));
        if (type != "default")
            throw FormatError(source + ": rope scaling \"" + type + "\" is not supported (only default RoPE)");
    }
    if (j.contains("rms_norm_eps")) c.rmsNormEps = j["rms_norm_eps"].get<double>();
    if (j.contains("tie_word_embeddings")) c.tieWordEmbeddings = j["tie_word_embeddings"].get<bool>();
    c.attentionBias = c.modelType == "qwen2" || j.value("attention_bias", false);
    if (j.value("mlp_bias", false)) throw FormatError(source + ": mlp_bias true is not supported");
    if (j.contains("hidden_act") && j["hidden_act"] != "silu")
        throw FormatError(source + ": hidden_act " + j["hidden_act"].dump() + " is not supported (expected silu)");
    for (const char *key : {"dtype", "torch_dtype"})
        if (j.contains(key) && j[key].is_string()) c.torchDtype = j[key].get<std::string>();
    c.useSlidingWindow = j.value("use_sliding_window", false);
    if (j.contains("sliding_window") && j["sliding_window"].is_number_integer()) c.slidingWindow = j["sliding_window"].get<int>();
    if (j.contains("max_window_layers") && j["max_window_layers"].is_number_integer()) c.maxWindowLayers = j["max_window_layers"].get<int>();
    if (c.useSlidingWindow)
        throw FormatError(source + ": use_sliding_window true is not supported (full attention only)");
    if (j.contains("eos_token_id")) c.eosTokenIds = tokenIds(j["eos_token_id"]);
    if (j.contains("bos_token_id") && j["bos_token_id"].is_number_integer()) c.bosTokenId = j["bos_token_id"].get<int>();
    if (j.contains("pad_token_id") && j["pad_token_id"].is_number_integer()) c.padTokenId = j["pad_token_id"].get<int>();
    return c;
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

} // namespace momq
