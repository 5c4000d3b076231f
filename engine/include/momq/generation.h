// Text generation over a LanguageModel: greedy or beam search, with a KV cache, batches of
// prompts of different lengths (left padding), stop tokens, tokens streamed through a callback,
// and cancellation.
#pragma once

#include "momq/adapter.h"
#include "momq/language_model.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace momq {

struct GenerationOptions {
    int maxNewTokens = 256;
    int numBeams = 1;               // 1: greedy
    std::vector<int> stopTokenIds;  // e.g. <|im_end|>, <|endoftext|>; not part of the output
    int padTokenId = 0;             // fills the left of shorter prompts in a batch
    // Called for every new token of every sequence (greedy only; beam search reports the winner
    // at the end). Returning false stops generation, as does `cancel` turning true.
    std::function<bool(int sequence, int token)> onToken;
    // Constrained decoding: the tokens allowed next after the new tokens of a sequence of prompt
    // `prompt` (1 = allowed, indexed by id; ids past its end are not allowed), or nullptr for no
    // constraint at this step. Called for each running sequence (each beam) at every step.
    std::function<const std::vector<std::uint8_t> *(int prompt, const std::vector<int> &generated)> allowedNext;
    const std::atomic<bool> *cancel = nullptr;
    std::shared_ptr<const Adapter> adapter;  // LoRA / MoMQ deltas beside the frozen model
    RoutingTrace *routing = nullptr;         // filled for a MoMQ adapter (greedy, one prompt)
};

enum class StopReason { StopToken, MaxNewTokens, Cancelled };

struct GenerationResult {
    std::vector<std::vector<int>> tokens;  // new tokens per prompt, stop token excluded
    std::vector<StopReason> stopReasons;
    // Beam search: per prompt, every hypothesis it kept (at most numBeams), best first; the first is
    // `tokens`. Greedy: empty.
    std::vector<std::vector<std::vector<int>>> hypotheses;
    std::int64_t promptTokens = 0;  // summed over the batch, padding excluded
    std::int64_t generatedTokens = 0;
    double prefillSeconds = 0, decodeSeconds = 0;
};

GenerationResult generate(const LanguageModel &model, const std::vector<std::vector<int>> &prompts,
                          const GenerationOptions &options);

const char *stopReasonName(StopReason reason);

class Tokenizer;
// The model's eos ids (config.json) plus <|im_end|> and <|endoftext|> where the tokenizer has them.
std::vector<int> defaultStopTokens(const ModelConfig &config, const Tokenizer &tokenizer);

}  // namespace momq
