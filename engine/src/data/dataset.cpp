#include "momq/dataset.h"

#include "core/json_document.h"
#include "momq/dialect.h"

#include "momq/error.h"
#include "momq/files.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

namespace momq {

using nlohmann::json;

std::string ItemProblem::describe() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (!itemId.empty()) out += " (item " + itemId + ")";
    return out + ": " + message;
}

std::vector<NumberedItem> readNumberedDatasetJsonl(const std::string &path,
                                                   const std::function<void(const ItemProblem &)> &onProblem) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open file for reading");
    std::vector<NumberedItem> items;
    std::map<std::string, int> lineOfId;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        if (line == 1) dropByteOrderMark(text);
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are allowed
        json j;
        try {
            j = parseJson(text, "");
        } catch (const FormatError &e) {
            onProblem({path, line, "", e.what()});  // "not valid JSON: ..." without the empty source
            continue;
        }
        if (!j.is_object()) {
            onProblem({path, line, "", "expected a JSON object"});
            continue;
        }
        DatasetItem item;
        if (j.contains("id") && (j["id"].is_string() || j["id"].is_number_integer()))
            item.itemId = j["id"].is_string() ? j["id"].get<std::string>() : std::to_string(j["id"].get<long long>());
        std::string problem;
        auto field = [&](const char *key, std::string &out, bool required) {
            if (!problem.empty()) return;
            if (!j.contains(key) || j[key].is_null()) {
                if (required) problem = std::string(key) + ": missing required field";
                return;
            }
            if (!j[key].is_string()) {
                problem = std::string(key) + ": expected a string, found " + j[key].type_name();
                return;
            }
            out = j[key].get<std::string>();
        };
        field("dialect", item.dialect, true);
        field("db_id", item.dbId, true);
        field("question", item.question, true);
        field("query", item.query, true);
        field("evidence", item.evidence, false);
        if (problem.empty() && j.contains("alternatives") && !j["alternatives"].is_null()) {
            if (auto list = stringList(j["alternatives"]))
                item.alternatives = std::move(*list);
            else
                problem = "alternatives: expected a list of queries (strings)";
        }
        if (problem.empty() && !findDialect(item.dialect))
            problem = "dialect: unknown dialect \"" + item.dialect + "\" (expected " + dialectNameList() + ")";
        if (problem.empty() && !j.contains("id")) problem = "id: missing required field";
        if (problem.empty()) {  // scores and routing traces are kept per id: two items must not share one
            const auto [first, isNew] = lineOfId.emplace(item.itemId, line);
            if (!isNew)
                problem =
                    "id: " + shortQuoted(item.itemId) + " repeats the id of line " + std::to_string(first->second);
        }
        if (!problem.empty()) {
            onProblem({path, line, item.itemId, problem});
            continue;
        }
        items.push_back({std::move(item), line});
    }
    return items;
}

std::vector<DatasetItem> readDatasetJsonl(const std::string &path,
                                          const std::function<void(const ItemProblem &)> &onProblem) {
    std::vector<DatasetItem> out;
    for (auto &n : readNumberedDatasetJsonl(path, onProblem)) out.push_back(std::move(n.item));
    return out;
}

std::vector<std::string> readTextCorpusJsonl(const std::string &path) {
    std::vector<std::string> texts;
    forEachJsonLine(path, [&](const nlohmann::json &j, const std::string &where) {
        if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
            throw FormatError(where + ": text: expected a string");
        texts.push_back(j["text"].get<std::string>());
    });
    return texts;
}

}  // namespace momq
