#include "momq/benchmark.h"

#include "momq/dataset.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/prompt.h"
#include "momq/schema.h"
#include "momq/tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

namespace momq {

int writePretrainingCorpus(const std::string &benchmarkDir, const std::string &outPath, int promptEvery) {
    const auto items =
        readDatasetJsonl(benchmarkDir + "/train.jsonl", [](const ItemProblem &p) { throw FormatError(p.describe()); });
    std::map<std::string, Schema> schemas;
    std::vector<std::string> documents;
    for (const auto &item : items) {
        if (schemas.count(item.dbId)) continue;
        const auto &schema =
            schemas.emplace(item.dbId, loadSchemaFile(benchmarkDir + "/schemas/" + item.dbId + ".json")).first->second;
        const std::vector<SchemaFormat> formats =
            schema.kind == SchemaKind::Relational ? std::vector<SchemaFormat>{SchemaFormat::Relational}
                                                  : std::vector<SchemaFormat>{SchemaFormat::Cypher, SchemaFormat::Ngql};
        for (auto format : formats) documents.push_back(formatSchemaForPrompt(schema, format));
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto &item = items[i];
        if (promptEvery > 0 && i % static_cast<std::size_t>(promptEvery) == 0) {
            const auto &schema = schemas.at(item.dbId);
            const auto dialect = parseDialect(item.dialect);
            documents.push_back(chatPrompt(userPrompt(dialect, item.question,
                                                      formatSchemaForPrompt(schema, dialectInfo(dialect).schemaFormat),
                                                      item.evidence)));
        }
        if (seen.insert(item.question).second) documents.push_back(item.question);
        if (seen.insert(item.query).second) documents.push_back(item.query);
    }
    std::string out;
    for (const auto &d : documents) out += nlohmann::json{{"text", d}}.dump() + "\n";
    writeFileAtomically(outPath, out);
    return static_cast<int>(documents.size());
}

}  // namespace momq
