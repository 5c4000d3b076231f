// Fine-tuning of a frozen Qwen2 model: MoMQ, plain LoRA, full fine-tuning, or one LoRA per dialect
// (single-dialect), with AdamW, warm-up then cosine or constant learning rate, gradient
// accumulation and clipping, atomic checkpoints and exact resumption. The engine reports through
// callbacks (per step, per bad item) and stops when asked; the CLI and the app show it.
#pragma once

#include "momq/adapter_config.h"
#include "momq/dataset.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace momq {

struct TrainOptions {
    std::string modelDir, dataPath, schemaDir, outDir;
    // Pre-training (full method only): a JSONL corpus of {"text"} documents instead of items; the
    // documents, each ended by <|endoftext|>, are cut into max_length windows and every token is learned.
    std::string corpusPath;
    AdapterConfig adapter;  // holds the method
    // Optimisation (spec Part 0 and 5).
    double learningRate = 1e-5;
    double beta1 = 0.9, beta2 = 0.95, epsilon = 1e-8, weightDecay = 0.1, gradientClip = 1.0;
    double warmupRatio = 0.1;
    std::string schedule = "cosine";  // cosine | constant (after warm-up)
    int epochs = 3;
    int batchSize = 4;             // sequences per micro-batch
    int gradientAccumulation = 1;  // micro-batches per optimiser step
    int maxLength = 6144;          // tokens of prompt + answer
    std::uint64_t seed = 42;
    int saveEvery = 100;  // optimiser steps between checkpoints (and at each epoch end)
    bool groupByLength = true;
    // Items: the loss covers the prompt's tokens too, not only the answer's. Task pre-training uses
    // it: the prompt repeats the question after the schema, and predicting the schema and that copy
    // teaches the model to look back and copy far sooner than the answer's few tokens alone.
    bool promptLoss = false;
    // With promptLoss, the weight of each prompt token against an answer token's 1: below 1 the
    // answer keeps a larger share of the gradient than its few tokens would give it.
    double promptLossWeight = 1.0;
    bool skipBadItems = true;                    // false: the first bad item stops training
    std::map<std::string, int> perDialectLimit;  // the imbalanced setting: first n items per dialect
    std::string device = "auto";
    std::string dispatch =
        "grouped";              // grouped | dense (all experts' A in one product, no gathers) | loop (the reference)
    std::int64_t maxSteps = 0;  // 0: all epochs
    std::string precision = "f32";       // f32 | bf16 (frozen weights bf16, trained float32, products under autocast)
    bool gradientCheckpointing = false;  // recompute each layer in backward: less memory, ~1/4 more time
    bool tensorboard = false;            // also RUN_DIR/tensorboard/events.out.tfevents.* (scalars per step)
    bool resume = false;
};

// Parses a config file: every TrainOptions field and every adapter setting, by snake_case name.
// Unknown keys are refused.
void applyTrainConfigJson(TrainOptions &options, const std::string &jsonText, const std::string &source);
// "mysql=3000,postgresql=128"
std::map<std::string, int> parseDialectLimits(const std::string &text);

struct TrainStep {
    std::int64_t step = 0, totalSteps = 0;
    double epoch = 0;  // fractional
    double lmLoss = 0, dialectRouterLoss = 0, balanceLoss = 0, totalLoss = 0;
    double learningRate = 0, gradientNorm = 0, tokensPerSecond = 0;
    std::vector<double> routingLoad;  // mean dialect-router weight per group (MoMQ)
    double secondsElapsed = 0, secondsLeft = 0;
    std::string toJson() const;  // one metrics.jsonl line
};

// A run's metrics.jsonl (what toJson writes, a step a line): FormatError naming the file, the line
// and the field.
std::vector<TrainStep> readTrainingMetrics(const std::string &path);

struct TrainCallbacks {
    std::function<bool(const TrainStep &)> onStep;  // false: stop after this step
    std::function<void(const ItemProblem &)> onProblem;
    const std::atomic<bool> *cancel = nullptr;
};

struct TrainSummary {
    std::int64_t steps = 0;
    std::int64_t trainItems = 0, skippedItems = 0;
    std::int64_t trimmedPrompts = 0;  // items whose schema was cut down to fit max_length
    double lastLoss = 0;
    bool stoppedEarly = false;
    std::vector<std::string> adapterDirs;  // RUN_DIR/adapter, or one per dialect
};

// Throws FormatError for bad options or (with skipBadItems false) the first bad item.
TrainSummary train(const TrainOptions &options, const TrainCallbacks &callbacks);

// Writes a trained plain-LoRA adapter in PEFT's layout (adapter_config.json and
// adapter_model.safetensors with PEFT's tensor names), for use with Hugging Face PEFT.
void exportPeftAdapter(const std::string &adapterDir, const std::string &modelDir, const std::string &outDir);

// Speed of one optimiser step (forward, backward, AdamW) on random tokens, for `momq bench train`.
struct TrainBenchmarkOptions {
    std::string modelDir;
    std::string device = "auto";
    std::string precision = "f32";  // bf16: frozen weights bf16, trained float32, products under autocast
    bool gradientCheckpointing = false;
    int batchSize = 4, sequenceLength = 128, steps = 3;
};
struct TrainBenchmark {
    double secondsPerStep = 0, tokensPerSecond = 0;
    std::int64_t trainableParameters = 0;
};
TrainBenchmark benchmarkTrainStep(const TrainBenchmarkOptions &options, const AdapterConfig &adapter,
                                  const std::string &dispatch);
// Forward and backward of the routed experts alone (N tokens of width I), grouped, dense or loop,
// on "cpu" or "cuda".
double benchmarkExpertDispatch(const AdapterConfig &adapter, const std::string &dispatch, int tokens, int intermediate,
                               int hidden, int repeats, const std::string &device = "cpu");

}  // namespace momq
