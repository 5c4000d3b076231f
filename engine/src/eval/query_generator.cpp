#include "momq/query_generator.h"

#include "momq/error.h"
#include "momq/prompt.h"

#include "eval/query_grammar.h"
#include "eval/schema_constraint.h"

#include <algorithm>
#include <memory>

namespace momq {

QueryGenerator::QueryGenerator(std::shared_ptr<const LanguageModel> model, std::shared_ptr<const Tokenizer> tokenizer,
                               std::shared_ptr<const Adapter> adapter)
    : model_(std::move(model)), tokenizer_(std::move(tokenizer)), adapter_(std::move(adapter)) {}

QueryGenerator QueryGenerator::load(const std::string &modelDir, const LoadOptions &load,
                                    const std::string &adapterDir) {
    auto tokenizer = Tokenizer::load(modelDir);
    auto model = LanguageModel::load(modelDir, load);
    std::shared_ptr<const Adapter> adapter;
    if (!adapterDir.empty()) adapter = Adapter::load(*model, adapterDir);
    return QueryGenerator(std::move(model), std::move(tokenizer), std::move(adapter));
}

QueryAnswer QueryGenerator::generate(const QueryRequest &request, const Options &options) const {
    return generateBatch({request}, options).front();
}

std::vector<QueryAnswer> QueryGenerator::generateBatch(const std::vector<QueryRequest> &requests,
                                                       const Options &options) const {
    std::vector<QueryAnswer> out(requests.size());
    std::vector<std::vector<int>> prompts;
    std::vector<std::size_t> rowOf;  // prompt -> request, for the requests whose prompt fits
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto &request = requests[i];
        if (!request.schema) throw Error("generating a query needs a schema");
        const auto prompt =
            buildPrompt(*tokenizer_, request.dialect, request.question, *request.schema, request.evidence,
                        model_->config().maxPositionEmbeddings - options.maxNewTokens);
        out[i].promptText = prompt.text;
        out[i].promptTokens = static_cast<int>(prompt.ids.size());
        out[i].promptNote = prompt.note();
        out[i].fits = prompt.fits;
        if (!prompt.fits) continue;
        prompts.push_back(prompt.ids);
        rowOf.push_back(i);
    }
    if (prompts.empty()) return out;

    const bool single = requests.size() == 1;
    GenerationOptions g;
    g.maxNewTokens = options.maxNewTokens;
    g.numBeams = options.numBeams;
    g.stopTokenIds = defaultStopTokens(model_->config(), *tokenizer_);
    g.adapter = adapter_;
    g.cancel = options.cancel;
    if (single && options.traceRouting && adapter_ && adapter_->config().hasMoe() && options.numBeams == 1)
        g.routing = &out[0].trace;
    // Per prompt: the dialect's grammar over the schema's names, the lexical check that puts a
    // column after `alias.` in that alias's table, and values copied from the question or the
    // schema's examples; a token must pass all three.
    struct Constraint {
        GrammarConstraint grammar;
        SchemaConstraint names;
        LiteralConstraint values;
        std::vector<std::uint8_t> all;
    };
    std::vector<std::unique_ptr<Constraint>> constraints;
    if (options.constrainToSchema) {
        for (const auto row : rowOf) {
            const auto &r = requests[row];
            constraints.push_back(std::unique_ptr<Constraint>(
                new Constraint{GrammarConstraint(r.dialect, *r.schema, tokenizer_, g.stopTokenIds),
                               SchemaConstraint(r.dialect, *r.schema, tokenizer_, g.stopTokenIds),
                               LiteralConstraint(r.dialect, *r.schema, r.question, r.evidence, tokenizer_),
                               {}}));
        }
        g.allowedNext = [&](int prompt, const std::vector<int> &generated) -> const std::vector<std::uint8_t> * {
            auto &c = *constraints[static_cast<std::size_t>(prompt)];
            const auto &grammar = c.grammar.allowedNext(generated);
            const auto *names = c.names.allowedNext(generated);
            const auto *values = c.values.allowedNext(generated);
            if (!names && !values) return &grammar;
            c.all = grammar;
            for (const auto *mask : {names, values})
                if (mask)
                    for (std::size_t i = 0; i < c.all.size(); ++i) c.all[i] &= i < mask->size() ? (*mask)[i] : 0;
            // The lexical checks are heuristics; where they leave nothing the grammar has the last word
            // (an empty mask would make decoding pick an arbitrary token).
            if (std::none_of(c.all.begin(), c.all.end(), [](std::uint8_t a) { return a != 0; })) return &grammar;
            return &c.all;
        };
    }
    IncrementalDecoder stream(tokenizer_);
    if (single && options.onText)
        g.onToken = [&](int, int token) {
            if (const auto piece = stream.push(token); !piece.empty()) options.onText(piece);
            return true;
        };
    const auto result = momq::generate(*model_, prompts, g);
    if (single && options.onText)
        if (const auto rest = stream.finish(); !rest.empty()) options.onText(rest);
    for (std::size_t k = 0; k < rowOf.size(); ++k) {
        auto &answer = out[rowOf[k]];
        answer.tokens = result.tokens[k];
        // Cut off by the token limit under the constraint: end at the last place where the answer was
        // a whole query, if it ever was — a shorter query that parses beats a longer one that does not.
        if (g.allowedNext && result.stopReasons[k] == StopReason::MaxNewTokens)
            for (std::size_t n = answer.tokens.size(); n > 0; --n) {
                const std::vector<int> prefix(answer.tokens.begin(), answer.tokens.begin() + static_cast<long>(n));
                const auto *mask = g.allowedNext(static_cast<int>(k), prefix);
                const bool whole = std::any_of(g.stopTokenIds.begin(), g.stopTokenIds.end(), [&](int stop) {
                    return mask && stop >= 0 && static_cast<std::size_t>(stop) < mask->size() && (*mask)[stop];
                });
                if (whole) {
                    answer.cutToWholeQuery = n < answer.tokens.size();
                    answer.tokens.resize(n);
                    break;
                }
            }
        answer.answer = tokenizer_->decode(answer.tokens, true);
        answer.query = queryFromAnswer(answer.answer);
        if (k < result.hypotheses.size())
            for (std::size_t h = 1; h < result.hypotheses[k].size(); ++h)
                answer.alternatives.push_back(queryFromAnswer(tokenizer_->decode(result.hypotheses[k][h], true)));
        answer.stopReason = result.stopReasons[k];
        answer.generatedTokens = static_cast<int>(answer.tokens.size());
        answer.prefillSeconds = result.prefillSeconds;
        answer.decodeSeconds = result.decodeSeconds;
    }
    return out;
}

}  // namespace momq
