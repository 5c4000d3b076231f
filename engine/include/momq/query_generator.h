// Question -> query: the one path the desktop app, `momq generate --question`, `momq eval --model`
// and `momq ask` share. It builds the dialect's prompt within one token budget (the model's context
// less the answer's budget), generates, and reads the query out of the answer with one rule.
#pragma once

#include "momq/adapter.h"
#include "momq/dialect.h"
#include "momq/generation.h"
#include "momq/language_model.h"
#include "momq/schema.h"
#include "momq/tokenizer.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace momq {

struct QueryRequest {
    Dialect dialect = Dialect::MySQL;
    std::string question;
    const Schema *schema = nullptr;
    std::string evidence;
};

struct QueryAnswer {
    std::string query;                      // the answer's query, cleaned (queryFromAnswer)
    std::vector<std::string> alternatives;  // beam search: the other hypotheses' queries, best first
    std::string answer;                     // the decoded answer as generated
    std::vector<int> tokens;                // its token ids, the stop token excluded
    std::string promptText;                 // the whole ChatML prompt
    int promptTokens = 0;
    std::string promptNote;  // how the schema was cut to fit, "" when whole
    bool fits = true;        // false: nothing generated, the prompt is over the budget
    StopReason stopReason = StopReason::MaxNewTokens;
    // Cut off by the token limit under the constraint, then ended at its last whole query (tokens,
    // answer and query are that shorter one).
    bool cutToWholeQuery = false;
    int generatedTokens = 0;
    double prefillSeconds = 0, decodeSeconds = 0;  // of the whole batch it was generated in
    RoutingTrace trace;                            // filled when asked for and the adapter is MoMQ
};

class QueryGenerator {
public:
    struct Options {
        int maxNewTokens = 256;
        int numBeams = 1;
        bool traceRouting = false;
        // Names after FROM/JOIN, `x.`, `(n:` and `[r:` must be the schema's (eval/schema_constraint.h).
        bool constrainToSchema = true;
        const std::atomic<bool> *cancel = nullptr;
        std::function<void(const std::string &piece)> onText;  // text as it becomes final
    };

    QueryGenerator(std::shared_ptr<const LanguageModel> model, std::shared_ptr<const Tokenizer> tokenizer,
                   std::shared_ptr<const Adapter> adapter = nullptr);
    // Loads the model folder (and an adapter folder, "" for none).
    static QueryGenerator load(const std::string &modelDir, const LoadOptions &load, const std::string &adapterDir);

    QueryAnswer generate(const QueryRequest &request, const Options &options) const;
    // Several requests in one batch (greedy: one forward pass per step for all, left-padded; beams:
    // one after another), each with its own prompt and constraint. Streaming (onText) and the
    // routing trace are for a single request only.
    std::vector<QueryAnswer> generateBatch(const std::vector<QueryRequest> &requests, const Options &options) const;

    const LanguageModel &model() const { return *model_; }
    const std::shared_ptr<const Tokenizer> &tokenizer() const { return tokenizer_; }
    const std::shared_ptr<const Adapter> &adapter() const { return adapter_; }

private:
    std::shared_ptr<const LanguageModel> model_;
    std::shared_ptr<const Tokenizer> tokenizer_;
    std::shared_ptr<const Adapter> adapter_;
};

}  // namespace momq
