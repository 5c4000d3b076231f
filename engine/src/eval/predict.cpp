// A model's predictions for a dataset, for scoring: what `momq eval --model` and the desktop
// program's evaluation run both do.
#include "momq/evaluation.h"

#include "momq/checked_answer.h"
#include "momq/error.h"
#include "momq/query_generator.h"

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
    const auto generator = QueryGenerator::load(options.modelDir, {options.device, options.dtype}, options.adapterDir);
    QueryGenerator::Options g;
    g.maxNewTokens = options.maxNewTokens;
    g.constrainToSchema = options.constrainToSchema;
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
        const QueryRequest request{parseDialect(item.dialect), item.question, &schema->second, item.evidence};
        const ConnectionSettings *db =
            options.candidates > 1 && options.databases ? options.databases->find(item.dbId, item.dialect) : nullptr;
        std::unique_ptr<QueryExecutor> executor;
        if (db) {
            try {
                executor = openExecutor(*db, options.execution);
            } catch (const ExecutionError &) {  // unreachable: the plain answer, scored (and failing) as such
            }
        }
        const auto r = executor ? generateChecked(generator, request, g, options.candidates, *executor).answer
                                : generator.generate(request, g);
        out.promptNotes[item.itemId] = r.promptNote;
        if (r.fits) {  // otherwise scored as an empty (failing) prediction, the note saying why
            if (r.stopReason == StopReason::Cancelled) {
                out.cancelled = true;
                break;
            }
            out.queries[item.itemId] = r.query;
        }
        if (options.onProgress) options.onProgress(i + 1, items.size());
    }
    return out;
}

}  // namespace momq
