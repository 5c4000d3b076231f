#include "momq/importers.h"

#include "core/json_document.h"
#include "core/text.h"
#include "core/utf8.h"

#include "momq/files.h"
#include "momq/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

namespace momq {

using nlohmann::json;

namespace {

// A JSON array, or one object per line; each record with the line it starts on (1 for arrays'
// records, whose position is given as the record index instead).
std::vector<std::pair<int, json>> readRecords(const std::string &path, const ProblemSink &onProblem) {
    const std::string text = readTextFile(path);
    std::vector<std::pair<int, json>> out;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '[') {
        const json doc = parseJson(text, path);
        for (std::size_t i = 0; i < doc.size(); ++i) out.emplace_back(-static_cast<int>(i), doc[i]);
        return out;
    }
    std::istringstream lines(text);
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        try {
            out.emplace_back(n, parseJson(line, ""));
        } catch (const FormatError &e) {
            onProblem({path, n, "", e.what()});
        }
    }
    return out;
}

// Reports a record's problem: JSONL records by line, array records by index.
ItemProblem problemAt(const std::string &path, int where, const std::string &id, const std::string &message) {
    if (where > 0) return {path, where, id, message};
    return {path, 0, id, "record " + std::to_string(-where) + ": " + message};
}

std::string stringField(const json &j, const char *key) {
    if (!j.contains(key)) throw FormatError(std::string(key) + ": missing required field");
    if (!j[key].is_string()) throw FormatError(std::string(key) + ": expected a string, found " + j[key].type_name());
    return j[key].get<std::string>();
}

std::string idOf(const json &j, const std::string &fallback) {
    if (j.contains("id") && j["id"].is_string()) return j["id"].get<std::string>();
    if (j.contains("id") && j["id"].is_number_integer()) return std::to_string(j["id"].get<long long>());
    return fallback;
}

// The text of a 【marker】 section of a MoMQ prompt: from after "【marker】\n" to the next blank line.
std::string section(const std::string &prompt, const std::string &marker) {
    const std::string head = "【" + marker + "】\n";
    const auto start = prompt.find(head);
    if (start == std::string::npos) throw FormatError("prompt has no 【" + marker + "】 section");
    const auto from = start + head.size();
    const auto end = prompt.find("\n\n", from);
    return prompt.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

// Rows of a CSV file with a header, as name -> value maps.
std::vector<std::pair<int, std::map<std::string, std::string>>> csvRecords(const std::string &path,
                                                                           const ProblemSink &onProblem) {
    const auto rows = readCsv(path);
    if (rows.empty()) throw FormatError(path + ": empty, expected a header row");
    std::vector<std::pair<int, std::map<std::string, std::string>>> out;
    const auto &header = rows[0].fields;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].fields.size() == 1 && rows[r].fields[0].empty()) continue;  // blank line
        if (rows[r].fields.size() != header.size()) {
            onProblem({path, rows[r].line, "",
                       "expected " + std::to_string(header.size()) + " fields as in the header, found " +
                           std::to_string(rows[r].fields.size())});
            continue;
        }
        std::map<std::string, std::string> record;
        for (std::size_t c = 0; c < header.size(); ++c) record[header[c]] = rows[r].fields[c];
        out.emplace_back(rows[r].line, std::move(record));
    }
    return out;
}

std::string csvField(const std::map<std::string, std::string> &record, std::initializer_list<const char *> names) {
    for (const char *n : names)
        if (auto it = record.find(n); it != record.end() && !it->second.empty()) return it->second;
    throw FormatError(std::string(*names.begin()) + ": missing or empty");
}

}  // namespace

std::vector<CsvRow> readCsv(const std::string &path) {
    const std::string text = readTextFile(path);
    std::vector<CsvRow> rows;
    CsvRow row{1, {}};
    std::string field;
    bool quoted = false, fieldStarted = false;
    int line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && !fieldStarted) {
            quoted = fieldStarted = true;
        } else if (c == ',') {
            row.fields.push_back(std::move(field));
            field.clear();
            fieldStarted = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.fields.push_back(std::move(field));
            field.clear();
            fieldStarted = false;
            rows.push_back(std::move(row));
            row = CsvRow{++line, {}};
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted) throw FormatError(path + ":" + std::to_string(row.line) + ": a quoted field is never closed");
    if (fieldStarted || !row.fields.empty()) {
        row.fields.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

namespace {

// The scaffolding every JSON importer shares: each record converted by `build`, whose FormatError
// becomes a problem naming the record; `idFor` gives the id used in that report.
template <typename IdFor, typename Build>
std::vector<DatasetItem> convertJsonRecords(const std::string &path, const ProblemSink &onProblem, IdFor &&idFor,
                                            Build &&build) {
    std::vector<DatasetItem> out;
    for (const auto &[where, j] : readRecords(path, onProblem)) {
        // the record's own position, so that a record skipped before it does not shift its id
        const std::string id =
            idFor(j, where > 0 ? static_cast<std::size_t>(where - 1) : static_cast<std::size_t>(-where));
        try {
            if (!j.is_object()) throw FormatError("expected an object");
            DatasetItem item = build(j);
            item.itemId = id;
            out.push_back(std::move(item));
        } catch (const FormatError &e) {
            onProblem(problemAt(path, where, id, e.what()));
        }
    }
    return out;
}

// The same for CSV importers; items take the id PREFIX-STEM-LINE (STEM: the file's name without its
// extension), so that items imported from two files of one benchmark keep apart.
template <typename Build>
std::vector<DatasetItem> convertCsvRecords(const std::string &path, const ProblemSink &onProblem,
                                           const std::string &idPrefix, Build &&build) {
    std::vector<DatasetItem> out;
    for (const auto &[line, record] : csvRecords(path, onProblem)) {
        try {
            DatasetItem item = build(record);
            // CSV bytes are whatever the file held; JSON (and the store) take UTF-8 only.
            for (const auto &[field, text] : {std::pair{"db_id", &item.dbId}, std::pair{"question", &item.question},
                                              std::pair{"query", &item.query}, std::pair{"evidence", &item.evidence}})
                if (const auto at = invalidUtf8Offset(*text))
                    throw FormatError(std::string(field) + ": invalid UTF-8 at byte " + std::to_string(*at) +
                                      " of the field");
            for (const auto &alternative : item.alternatives)  // found by fuzz_import: a second gold went unchecked
                if (const auto at = invalidUtf8Offset(alternative))
                    throw FormatError("query: invalid UTF-8 at byte " + std::to_string(*at) + " of a further gold");
            item.itemId = idPrefix + "-" + std::filesystem::path(path).stem().string() + "-" + std::to_string(line);
            out.push_back(std::move(item));
        } catch (const FormatError &e) {
            onProblem({path, line, "", e.what()});
        }
    }
    return out;
}

}  // namespace

std::vector<DatasetItem> importMomqConversations(const std::string &path, const ProblemSink &onProblem) {
    return convertJsonRecords(
        path, onProblem, [](const json &j, std::size_t n) { return idOf(j, std::to_string(n)); },
        [](const json &j) {
            DatasetItem item;
            item.dbId = stringField(j, "db_name");
            item.dialect =
                j.contains("sql_type") ? stringField(j, "sql_type") : "postgresql";  // the reference's default
            if (!j.contains("conversations") || !j["conversations"].is_array() || j["conversations"].size() != 2)
                throw FormatError("conversations: expected [user, assistant]");
            const auto &user = j["conversations"][0], &assistant = j["conversations"][1];
            if (user.value("role", "") != "user" || assistant.value("role", "") != "assistant")
                throw FormatError("conversations: expected roles user then assistant");
            const std::string prompt = stringField(user, "content");
            item.query = stringField(assistant, "content");
            item.question = section(prompt, "用户问题");
            item.evidence = section(prompt, "参考信息");
            return item;
        });
}

std::vector<DatasetItem> importSpiderJson(const std::string &path, const ProblemSink &onProblem) {
    return convertJsonRecords(
        path, onProblem,
        [](const json &j, std::size_t n) {
            return idOf(j, j.contains("question_id") && j["question_id"].is_number_integer()
                               ? std::to_string(j["question_id"].get<long long>())
                               : std::to_string(n));
        },
        [](const json &j) {
            DatasetItem item;
            item.dialect = "sqlite";
            item.dbId = stringField(j, "db_id");
            item.question = stringField(j, "question");
            item.query = j.contains("SQL") ? stringField(j, "SQL") : stringField(j, "query");  // BIRD, Spider
            if (j.contains("evidence")) item.evidence = stringField(j, "evidence");
            return item;
        });
}

std::vector<std::string> expandDefogGold(const std::string &gold) {
    std::vector<std::string> statements(1);  // split at semicolons outside quotes
    char quote = 0;
    for (char c : gold) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ';') {
            statements.emplace_back();
            continue;
        }
        statements.back() += c;
    }
    std::vector<std::string> out;
    for (const auto &raw : statements) {
        const std::string statement = trimmed(raw);
        if (statement.empty()) continue;
        const auto open = statement.find('{');
        const auto close = open == std::string::npos ? std::string::npos : statement.find('}', open);
        if (close == std::string::npos || close == open + 1) {  // no group (or GROUP BY {} alone)
            out.push_back(statement);
            continue;
        }
        std::vector<std::string> options;
        std::string option;
        for (char c : statement.substr(open + 1, close - open - 1) + ",")
            if (c == ',') {
                if (auto o = trimmed(option); !o.empty()) options.push_back(std::move(o));
                option.clear();
            } else {
                option += c;
            }
        // every non-empty subset, in the options' order: all of them first, then fewer
        const std::size_t n = std::min<std::size_t>(options.size(), 10);
        std::vector<std::pair<int, std::string>> expanded;  // (columns taken, query)
        for (std::size_t mask = 1; mask < (std::size_t{1} << n); ++mask) {
            std::string columns;
            int taken = 0;
            for (std::size_t b = 0; b < n; ++b)
                if (mask & (std::size_t{1} << b)) {
                    columns += (columns.empty() ? "" : ", ") + options[b];
                    ++taken;
                }
            std::string right = statement.substr(close + 1);
            for (std::size_t at; (at = right.find("GROUP BY {}")) != std::string::npos;)
                right.replace(at, 11, "GROUP BY " + columns);
            expanded.emplace_back(taken, statement.substr(0, open) + columns + right);
        }
        std::stable_sort(expanded.begin(), expanded.end(),
                         [](const auto &a, const auto &b) { return a.first > b.first; });
        for (auto &e : expanded) out.push_back(std::move(e.second));
    }
    return out;
}

std::vector<DatasetItem> importDefogCsv(const std::string &path, const ProblemSink &onProblem) {
    return convertCsvRecords(path, onProblem, "defog", [](const std::map<std::string, std::string> &record) {
        DatasetItem item;
        item.dialect = "postgresql";
        item.dbId = csvField(record, {"db_name"});
        item.question = csvField(record, {"question"});
        auto golds = expandDefogGold(csvField(record, {"query"}));
        if (golds.empty()) throw FormatError("query: no statement in it");
        item.query = golds.front();
        item.alternatives.assign(golds.begin() + 1, golds.end());
        if (auto it = record.find("instructions"); it != record.end()) item.evidence = it->second;
        return item;
    });
}

std::vector<DatasetItem> importText2CypherCsv(const std::string &path, const ProblemSink &onProblem) {
    return convertCsvRecords(path, onProblem, "t2c", [](const std::map<std::string, std::string> &record) {
        DatasetItem item;
        item.dialect = "cypher";
        item.dbId = csvField(record, {"database", "data_source"});
        item.question = csvField(record, {"question"});
        item.query = csvField(record, {"cypher"});
        return item;
    });
}

std::string datasetItemToJsonLine(const DatasetItem &i) {
    json j = {
        {"id", i.itemId}, {"dialect", i.dialect}, {"db_id", i.dbId}, {"question", i.question}, {"query", i.query}};
    if (!i.evidence.empty()) j["evidence"] = i.evidence;
    if (!i.alternatives.empty()) j["alternatives"] = i.alternatives;
    return j.dump();
}

}  // namespace momq
