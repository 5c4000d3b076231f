// Importers from public dataset formats into MoMQ's item format. Each reports malformed input with
// file, line (or record) and field through `onProblem` and leaves that record out.
#pragma once

#include "momq/dataset.h"

#include <functional>
#include <string>
#include <vector>

namespace momq {

using ProblemSink = std::function<void(const ItemProblem &)>;

// MoMQ's conversation records (spec Part 10): a JSON array or JSONL of {"id", "db_name",
// "sql_type", "conversations": [{"role": "user", "content": PROMPT}, {"role": "assistant",
// "content": QUERY}]}; the question and evidence are read back out of the prompt's sections.
std::vector<DatasetItem> importMomqConversations(const std::string &path, const ProblemSink &onProblem);
// Spider (question, query) or BIRD (question, SQL, evidence) JSON arrays; dialect sqlite.
std::vector<DatasetItem> importSpiderJson(const std::string &path, const ProblemSink &onProblem);
// sql-eval's gold notation as separate queries: statements split at `;`, and the first `{a, b}` of
// each expanded into every non-empty subset of its columns (all of them first), a `GROUP BY {}`
// after it taking the same columns.
std::vector<std::string> expandDefogGold(const std::string &gold);
// Defog sql-eval CSV: db_name, question, query, optional instructions; dialect postgresql. The
// query's golds (expandDefogGold) become the item's query and its alternatives.
std::vector<DatasetItem> importDefogCsv(const std::string &path, const ProblemSink &onProblem);
// neo4j text2cypher CSV: question, cypher, database (or data_source); dialect cypher.
std::vector<DatasetItem> importText2CypherCsv(const std::string &path, const ProblemSink &onProblem);

// RFC 4180 CSV: quoted fields with doubled quotes and line breaks inside. Each row with the line
// it starts on.
struct CsvRow {
    int line = 0;
    std::vector<std::string> fields;
};
std::vector<CsvRow> readCsv(const std::string &path);

std::string datasetItemToJsonLine(const DatasetItem &item);

}  // namespace momq
