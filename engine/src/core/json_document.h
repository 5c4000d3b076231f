// Engine-internal: parsing JSON documents and JSONL files whose errors name where they came from.
#pragma once

#include "core/utf8.h"
#include "momq/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace momq {

// Deeper nesting than any file we read needs is refused while parsing, so that nothing later
// (a recursive reader, a message built from a value) can run out of stack on a hostile file.
inline constexpr int kMaxJsonDepth = 64;

// The parsed document (a string, string_view or stream); FormatError "SOURCE: not valid JSON: ..."
// or "SOURCE: not valid JSON: nested deeper than 64 levels" ("not valid JSON: ..." for an empty
// source, whose caller names the place).
template <typename Input> nlohmann::json parseJsonInput(Input &&input, const std::string &source) {
    const std::string prefix = source.empty() ? "" : source + ": ";
    const nlohmann::json::parser_callback_t bounded = [&prefix](int depth, nlohmann::json::parse_event_t,
                                                                nlohmann::json &) {
        if (depth > kMaxJsonDepth)
            throw FormatError(prefix + "not valid JSON: nested deeper than " + std::to_string(kMaxJsonDepth) +
                              " levels");
        return true;
    };
    try {
        return nlohmann::json::parse(std::forward<Input>(input), bounded);
    } catch (const nlohmann::json::exception &e) {
        throw FormatError(prefix + "not valid JSON: " + e.what());
    }
}

inline nlohmann::json parseJson(const std::string &text, const std::string &source) {
    return parseJsonInput(text, source);
}

// The strings of a JSON array of strings; nullopt for anything else.
inline std::optional<std::vector<std::string>> stringList(const nlohmann::json &value) {
    if (!value.is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto &v : value) {
        if (!v.is_string()) return std::nullopt;
        out.push_back(v.get<std::string>());
    }
    return out;
}

// A user's text for a message: quoted, at most `limit` bytes of it (cut on a character boundary),
// invalid UTF-8 replaced, so that messages stay one short line whatever a file holds.
inline std::string shortQuoted(const std::string &text, std::size_t limit = 80) {
    std::string out = "\"";
    std::size_t i = 0;
    while (i < text.size() && out.size() <= limit) {
        int consumed = 0;
        const int len = utf8SequenceAt(text, i, consumed);
        if (!len)
            out += "\xEF\xBF\xBD";
        else if (text[i] == '\n')
            out += "\\n";
        else
            out.append(text, i, len);
        i += consumed;
    }
    return out + (i < text.size() ? "…\"" : "\"");
}

// What a JSON value is, for "expected X, found Y" messages: its type, and a scalar's short text.
inline std::string describeJson(const nlohmann::json &value) {
    if (value.is_string()) return "string " + shortQuoted(value.get_ref<const std::string &>(), 40);
    if (value.is_primitive()) return std::string(value.type_name()) + " " + value.dump();
    return std::string(value.type_name()) + " of " + std::to_string(value.size()) +
           (value.is_array() ? " elements" : " members");
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

}  // namespace momq
