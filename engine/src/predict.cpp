// A model's predictions for a dataset, for scoring: what `momq eval --model` and the desktop
// program's evaluation run both do.
#include "momq/evaluation.h"

#include "momq/adapter.h"
#include "momq/generation.h"
#include "momq/language_model.h"
#include "momq/prompt.h"
#include "momq/schema.h"
#include "momq/tokenizer.h"

namespace momq {

std::vector<DatasetItem> selectPerDialect(std::vector<DatasetItem> items, int limit, int offset) {
    std::map<std::string, int> seen;
    std::erase_if(items, [&](const DatasetItem &i) {
        const int n = seen[i.dialect]++;
        return n < offset || (limit > 0 && n >= offset + limit);
    });
    return items;
}

Predictions predictQueries(const std::vector<DatasetItem> &items, const PredictionOptions &options) {
    if (options.schemaDir.empty()) throw FormatError("schemas: a model's predictions need the schema folder");
    const auto tokenizer = Tokenizer::load(options.modelDir);
    const auto model = LanguageModel::load(options.modelDir, {options.device, options.dtype});
    GenerationOptions g;
    g.maxNewTokens = options.maxNewTokens;
    g.stopTokenIds = defaultStopTokens(model->config(), *tokenizer);
    if (!options.adapterDir.empty()) g.adapter = Adapter::load(*model, options.adapterDir);
    g.cancel = options.cancel;
    std::map<std::string, Schema> schemas;  // read once per database
    Predictions out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (options.cancel && *options.cancel) {
            out.cancelled = true;
            break;
        }
        const auto &item = items[i];
        auto schema = schemas.find(item.dbId);
        if (schema == schemas.end())
            schema = schemas.emplace(item.dbId, loadSchemaFile(options.schemaDir + "/" + item.dbId + ".json")).first;
        const auto prompt = buildPrompt(*tokenizer, item.dialect, item.question, schema->second, item.evidence,
                                        model->config().maxPositionEmbeddings - g.maxNewTokens);
        out.promptNotes[item.itemId] = prompt.note();
        if (prompt.fits) {  // otherwise scored as an empty (failing) prediction, the note saying why
            const auto r = generate(*model, {prompt.ids}, g);
            if (r.stopReasons[0] == StopReason::Cancelled) {
                out.cancelled = true;
                break;
            }
            out.queries[item.itemId] = tokenizer->decode(r.tokens[0], true);
        }
        if (options.onProgress) options.onProgress(i + 1, items.size());
    }
    return out;
}

} // namespace momq
