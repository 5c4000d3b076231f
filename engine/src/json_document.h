// Engine-internal: parsing a JSON document whose errors name where it came from.
#pragma once

#include "momq/error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace momq {

// The parsed object; FormatError "SOURCE: not valid JSON: ..." or "SOURCE: expected a JSON object".
inline nlohmann::json parseJsonObject(const std::string &text, const std::string &source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw FormatError(source + ": not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw FormatError(source + ": expected a JSON object");
    return j;
}

} // namespace momq
