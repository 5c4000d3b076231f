// Engine-internal: the Qwen2/Llama decoder in ATen. Included only by engine .cpp files.
#pragma once

#include "momq/language_model.h"
#include "momq/safetensors.h"

#include <ATen/ATen.h>

#include <array>
#include <map>
#include <memory>
#include <optional>

namespace momq {

// Keys and values of every layer for a batch: [B, kv_heads, capacity, head_dim] each, filled up
// to `length` positions.
struct KvCache {
    std::vector<at::Tensor> keys, values;
    std::int64_t length = 0;
    std::int64_t capacity = 0;

    // Keeps rows `order` (beam search reordering and widening).
    void select(const at::Tensor &order);
};

struct AdapterState;
struct Routing;

struct LanguageModel::Impl {
    std::string directory;
    ModelConfig config;
    at::Device device{at::kCPU};
    at::ScalarType dtype = at::kFloat;
    std::int64_t parameters = 0;

    struct Layer {
        at::Tensor inputNorm, qkvWeight, qkvBias, oWeight;  // q, k and v stacked: [q + 2 kv, H]
        at::Tensor postNorm, gateUpWeight, downWeight;      // gate and up stacked: [2 I, H]

        // All of the above (qkvBias may be undefined), for the loops over every weight.
        std::array<const at::Tensor *, 7> tensors() const {
            return {&inputNorm, &qkvWeight, &qkvBias, &oWeight, &postNorm, &gateUpWeight, &downWeight};
        }
        std::array<at::Tensor *, 7> tensors() {
            return {&inputNorm, &qkvWeight, &qkvBias, &oWeight, &postNorm, &gateUpWeight, &downWeight};
        }
    };
    at::Tensor embed, finalNorm, lmHead;  // lmHead aliases embed when embeddings are tied
    std::vector<Layer> layers;
    at::Tensor inverseFrequencies;  // [head_dim / 2], float32

    KvCache newCache(std::int64_t batch, std::int64_t capacity) const;

    // Every weight by an internal name ("layers.0.qkv.weight": q, k, v stacked), for full
    // fine-tuning. The tied output layer is not listed apart from the embedding.
    std::vector<std::pair<std::string, at::Tensor>> namedWeights() const;
    // A deep copy in float32 whose weights require gradients (full fine-tuning).
    std::unique_ptr<Impl> trainableCopy() const;
    // Writes config.json (copied) and model.safetensors with Hugging Face names, atomically.
    void exportHuggingFace(const std::string &directory) const;

    // ids, positions: [B, T] int64. `keyValid` [B, S] bool marks real (non-padding) keys among the
    // cache's S = cache.length + T positions; undefined means no padding. Appends to `cache` when
    // given. Returns float32 logits [B, T, V], or [B, 1, V] for the last position only.
    // With `adapters`, LoRA deltas and the MoE down-projection are added beside the frozen
    // products, and `routing` (when given) receives each layer's routing for the N = B T tokens.
    // With `checkpointLayers` (training, no cache), each layer keeps only its input for the
    // backward pass and computes itself again there, with the same dropout masks: activation
    // memory of one layer instead of all of them, for about one more forward pass of time.
    at::Tensor forward(const at::Tensor &ids, const at::Tensor &positions, const at::Tensor &keyValid, KvCache *cache,
                       bool lastOnly, const AdapterState *adapters = nullptr, std::vector<Routing> *routing = nullptr,
                       bool checkpointLayers = false) const;

    // Whether forward() takes the fused one-token path (decode_cpu.cpp): one new token of one
    // sequence on the CPU, float32 or bfloat16, no adapters, no gradients.
    bool decodesFused(const at::Tensor &ids, const at::Tensor &keyValid, const KvCache *cache,
                      const AdapterState *adapters) const;
    // That path: token `id` at `position` ([1, 1]) appended to `cache`; float32 logits [1, 1, V].
    at::Tensor decodeFused(std::int64_t id, const at::Tensor &position, KvCache &cache) const;
    // Rotary tables for positions [B, T]: cos and sin [B, 1, T, D] in the model's dtype.
    std::pair<at::Tensor, at::Tensor> rotaryTables(const at::Tensor &positions) const;

    // What the layers of one forward pass share.
    struct LayerPass {
        at::Tensor cos, sin;  // rotary tables [B, 1, T, D]
        at::Tensor mask;      // [B, 1, T, S], true = may attend; undefined: none (or plain causal)
        bool causal = false;
        KvCache *cache = nullptr;
        const AdapterState *adapters = nullptr;
    };
    // One decoder layer: h [B, T, H] -> [B, T, H]; its routing into `routing` for MoMQ adapters.
    at::Tensor layerForward(std::size_t layer, const at::Tensor &h, const LayerPass &pass, Routing *routing) const;
};

}  // namespace momq
