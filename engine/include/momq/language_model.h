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
    std::string device() const;   // "cpu" | "cuda"
    std::string dtype() const;    // "f32" | "bf16" | "f16"
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

} // namespace momq
