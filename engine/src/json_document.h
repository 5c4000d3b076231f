// Engine-internal: parsing JSON documents and JSONL files whose errors name where they came from.
#pragma once

#include "momq/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <string>

namespace momq {

// The parsed document; FormatError "SOURCE: not valid JSON: ...".
inline nlohmann::json parseJson(const std::string &text, const std::string &source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw FormatError(source + ": not valid JSON: " + e.what());
    }
}

// The parsed object; FormatError "SOURCE: not valid JSON: ..." or "SOURCE: expected a JSON object".
inline nlohmann::json parseJsonObject(const std::string &text, const std::string &source) {
    auto j = parseJson(text, source);
    if (!j.is_object()) throw FormatError(source + ": expected a JSON object");
    return j;
}

// Each non-empty line of a JSONL file, parsed, with "PATH:LINE" (1-based) for messages.
inline void forEachJsonLine(const std::string &path,
                            const std::function<void(const nlohmann::json &value, const std::string &where)> &visit) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open file for reading");
    int number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.empty()) continue;
        const std::string where = path + ":" + std::to_string(number);
        visit(parseJson(line, where), where);
    }
}

} // namespace momq
