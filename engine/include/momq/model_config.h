// The architecture of a Hugging Face decoder checkpoint, read from its config.json. Qwen2 and
// Llama load (Qwen2 is Llama with q/k/v biases); any other model_type is refused by name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace momq {

struct ModelConfig {
    std::string modelType;  // "qwen2" | "llama"
    int hiddenSize = 0;
    int intermediateSize = 0;
    int numLayers = 0;
    int numHeads = 0;
    int numKeyValueHeads = 0;
    int headDim = 0;  // hidden_size / num_attention_heads unless config.json says otherwise
    int vocabSize = 0;
    int maxPositionEmbeddings = 0;
    double ropeTheta = 10000.0;
    double rmsNormEps = 1e-6;
    bool tieWordEmbeddings = false;
    bool attentionBias = false;  // q/k/v biases (always on for Qwen2)
    std::string torchDtype;      // "float32" | "bfloat16" | "float16" | ""
    bool useSlidingWindow = false;
    int slidingWindow = 0;
    int maxWindowLayers = 0;
    std::vector<int> eosTokenIds;
    int bosTokenId = -1;
    int padTokenId = -1;

    std::int64_t parameterCount() const;
};

// Parses config.json text; `source` names the file in errors ("config.json: hidden_size: ...").
ModelConfig parseModelConfig(const std::string &jsonText, const std::string &source);
ModelConfig loadModelConfig(const std::string &modelDirectory);
std::string modelConfigToJson(const ModelConfig &config);

class Checkpoint;
// One tensor of the decoder that a config implies, in the order the loader binds them.
struct ExpectedTensor {
    std::string name;
    std::vector<std::int64_t> shape;
};
std::vector<ExpectedTensor> expectedTensors(const ModelConfig &config);
// FormatError naming the file and tensor when the checkpoint in `directory` lacks one of the config's
// tensors, holds one of another shape, or holds one that is no part of such a decoder (a tied model's
// lm_head copy and rotary inv_freq buffers are allowed). Shared by the loader and `momq info`.
void checkCheckpointMatchesConfig(const ModelConfig &config, const Checkpoint &checkpoint,
                                  const std::string &directory);

}  // namespace momq
