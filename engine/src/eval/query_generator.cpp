#include "momq/query_generator.h"

#include "momq/error.h"
#include "momq/prompt.h"

#include "eval/schema_constraint.h"

#include <optional>

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
    if (!request.schema) throw Error("generating a query needs a schema");
    QueryAnswer out;
    const auto prompt = buildPrompt(*tokenizer_, request.dialect, request.question, *request.schema, request.evidence,
                                    model_->config().maxPositionEmbeddings - options.maxNewTokens);
    out.promptText = prompt.text;
    out.promptTokens = static_cast<int>(prompt.ids.size());
    out.promptNote = prompt.note();
    out.fits = prompt.fits;
    if (!prompt.fits) return out;

    GenerationOptions g;
    g.maxNewTokens = options.maxNewTokens;
    g.numBeams = options.numBeams;
    g.stopTokenIds = defaultStopTokens(model_->config(), *tokenizer_);
    g.adapter = adapter_;
    g.cancel = options.cancel;
    if (options.traceRouting && adapter_ && adapter_->config().hasMoe() && options.numBeams == 1)
        g.routing = &out.trace;
    std::optional<SchemaConstraint> constraint;
    if (options.constrainToSchema) {
        constraint.emplace(request.dialect, *request.schema, tokenizer_, g.stopTokenIds);
        g.allowedNext = [&](const std::vector<int> &generated) { return constraint->allowedNext(generated); };
    }
    IncrementalDecoder stream(tokenizer_);
    if (options.onText)
        g.onToken = [&](int, int token) {
            if (const auto piece = stream.push(token); !piece.empty()) options.onText(piece);
            return true;
        };
    const auto result = momq::generate(*model_, {prompt.ids}, g);
    if (options.onText)
        if (const auto rest = stream.finish(); !rest.empty()) options.onText(rest);
    out.tokens = result.tokens[0];
    out.answer = tokenizer_->decode(out.tokens, true);
    out.query = queryFromAnswer(out.answer);
    if (!result.hypotheses.empty())
        for (std::size_t h = 1; h < result.hypotheses[0].size(); ++h)
            out.alternatives.push_back(queryFromAnswer(tokenizer_->decode(result.hypotheses[0][h], true)));
    out.stopReason = result.stopReasons[0];
    out.generatedTokens = static_cast<int>(result.generatedTokens);
    return out;
}

}  // namespace momq
