// A frozen Qwen2-family decoder (Qwen2, Llama) loaded from a Hugging Face folder: config.json and
// *.safetensors, bound to parameters by name. Immutable after loading: generation sessions keep
// their own KV caches, so one model serves several sessions. No torch types in this header.
#pragma once

#include "momq/model_config.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace momq {

struct LoadOptions {
    std::string device = "auto";  // auto | cpu | cuda
    std::string dtype = "auto";   // auto (bf16 on CUDA, f32 on CPU) | f32 | bf16 | f16 (CUDA only)
};

// Row-major float matrix, e.g. logits [positions, vocab].
struct FloatMatrix {
    std::vector<float> values;
    std::int64_t rows = 0, cols = 0;
    float at(std::int64_t r, std::int64_t c) const { return values[static_cast<std::size_t>(r * cols + c)]; }
};

class LanguageModel {
public:
    // Errors name the folder, the file and the tensor (missing, unexpected, wrong shape).
    static std::shared_ptr<const LanguageModel> load(const std::string &directory, const LoadOptions &options = {});
    ~LanguageModel();

    const ModelConfig &config() const;
    std::string device() const;  // "cpu" | "cuda"
    std::string dtype() const;   // "f32" | "bf16" | "f16"
    std::int64_t parameterCount() const;
    const std::string &directory() const;

    // Logits at every position of one sequence, without a cache; for checks and scoring.
    FloatMatrix logits(const std::vector<int> &ids) const;

    struct Impl;  // engine-internal (src/qwen2_model.h)
    const Impl &impl() const { return *impl_; }

private:
    explicit LanguageModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The shape of a new model for pre-training from scratch (`momq pretrain`).
struct ModelShape {
    int hiddenSize = 256, intermediateSize = 688, numLayers = 4, numHeads = 4, numKeyValueHeads = 2,
        maxPositions = 1024;
};
// Writes a Qwen2 model with random weights (normal with std 0.02, norms 1, biases 0; tied
// embeddings) in Hugging Face layout — config.json, model.safetensors — with the tokenizer copied
// beside it. Its vocabulary is the tokenizer's; <|im_end|> and <|endoftext|> end generation.
void createRandomModel(const ModelShape &shape, const std::string &tokenizerPath, const std::string &directory,
                       std::uint64_t seed);

}  // namespace momq
