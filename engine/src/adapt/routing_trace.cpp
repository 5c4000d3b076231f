#include "momq/adapter.h"

#include "core/json_document.h"

#include "momq/error.h"

#include <nlohmann/json.hpp>

namespace momq {

using nlohmann::json;

std::vector<float> RoutingTrace::weightedExpertAverage(int first, int last) const {
    if (first < 0 || last > tokens() || first >= last)
        throw FormatError("routing trace: token range [" + std::to_string(first) + ", " + std::to_string(last) +
                          ") is outside 0.." + std::to_string(tokens()));
    const int T = tokens(), E = expertCount, D = dialectCount, M = D > 0 ? E / D : E;
    std::vector<float> out(static_cast<std::size_t>(layers) * E, 0.0f);
    for (int l = 0; l < layers; ++l)
        for (int t = first; t < last; ++t)
            for (int e = 0; e < E; ++e) {
                const std::size_t lt = static_cast<std::size_t>(l) * T + t;
                const float p = expertProbs[lt * E + e];
                const float d = D > 0 && !dialectProbs.empty() ? dialectProbs[lt * D + e / M] : 1.0f;
                out[static_cast<std::size_t>(l) * E + e] += d * p / static_cast<float>(last - first);
            }
    return out;
}

std::string RoutingTrace::toJson() const {
    return json{{"dialects", dialects},
                {"layers", layers},
                {"dialect_count", dialectCount},
                {"expert_count", expertCount},
                {"chosen_per_token", chosenPerToken},
                {"token_ids", tokenIds},
                {"prompt_tokens", promptTokens},
                {"dialect_probs", dialectProbs},
                {"expert_probs", expertProbs},
                {"chosen", chosen},
                {"gates", gates}}
        .dump();
}

RoutingTrace RoutingTrace::fromJson(const std::string &text, const std::string &source) {
    RoutingTrace r;
    try {
        const auto j = parseJson(text, source);
        r.dialects = j.at("dialects").get<std::vector<std::string>>();
        r.layers = j.at("layers").get<int>();
        r.dialectCount = j.at("dialect_count").get<int>();
        r.expertCount = j.at("expert_count").get<int>();
        r.chosenPerToken = j.at("chosen_per_token").get<int>();
        r.tokenIds = j.at("token_ids").get<std::vector<int>>();
        r.promptTokens = j.at("prompt_tokens").get<int>();
        r.dialectProbs = j.at("dialect_probs").get<std::vector<float>>();
        r.expertProbs = j.at("expert_probs").get<std::vector<float>>();
        r.chosen = j.at("chosen").get<std::vector<int>>();
        r.gates = j.at("gates").get<std::vector<float>>();
    } catch (const json::exception &e) {
        throw FormatError(source + ": " + e.what());
    }
    const std::size_t lt = static_cast<std::size_t>(r.layers) * r.tokenIds.size();
    if (r.expertProbs.size() != lt * r.expertCount || r.chosen.size() != lt * r.chosenPerToken ||
        r.gates.size() != r.chosen.size() || (!r.dialectProbs.empty() && r.dialectProbs.size() != lt * r.dialectCount))
        throw FormatError(source + ": array sizes do not match layers x tokens");
    return r;
}

}  // namespace momq
