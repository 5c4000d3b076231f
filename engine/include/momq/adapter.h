// A trained adapter loaded beside a model (adapter_config.json + adapter_model.safetensors), and
// the routing trace that generation with a MoMQ adapter can record: for every layer and token, the
// dialect-router probabilities, the expert-router probabilities, the chosen experts and gates.
#pragma once

#include "momq/adapter_config.h"
#include "momq/language_model.h"

#include <memory>
#include <string>
#include <vector>

namespace momq {

class Adapter {
public:
    // Checks every tensor's name and shape against the model.
    static std::shared_ptr<const Adapter> load(const LanguageModel &model, const std::string &directory);
    ~Adapter();
    const AdapterConfig &config() const;

    struct Impl;  // engine-internal
    const Impl &impl() const { return *impl_; }

private:
    explicit Adapter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct RoutingTrace {
    std::vector<std::string> dialects;  // the adapter's dialect table: group g is dialects[g]
    int layers = 0, dialectCount = 0, expertCount = 0, chosenPerToken = 0;
    std::vector<int> tokenIds;  // prompt then generated tokens
    int promptTokens = 0;
    // Indexed [layer][token][...], flattened; dialect probabilities are empty without a dialect router.
    std::vector<float> dialectProbs;  // layers x tokens x D
    std::vector<float> expertProbs;   // layers x tokens x E
    std::vector<int> chosen;          // layers x tokens x K
    std::vector<float> gates;         // layers x tokens x K

    int tokens() const { return static_cast<int>(tokenIds.size()); }
    // The Figure-4 quantity: per layer and expert, dialect weight times expert weight, averaged
    // over tokens [first, last). Flattened layers x E.
    std::vector<float> weightedExpertAverage(int first, int last) const;
    std::string toJson() const;
    static RoutingTrace fromJson(const std::string &text, const std::string &source);
};

}  // namespace momq
