// Engine-internal: PostgreSQL's own parser (libpg_query), for the executor's allow-list and the
// offline query check.
#pragma once

#include "core/json_document.h"

#include <pg_query.h>

#include <memory>
#include <string>

namespace momq {

// The parse tree as JSON, or the parser's message in `error` (the tree is then null).
inline nlohmann::json postgresParseTree(const std::string &query, std::string &error) {
    PgQueryParseResult parsed = pg_query_parse(query.c_str());
    const std::unique_ptr<PgQueryParseResult, void (*)(PgQueryParseResult *)> free(
        &parsed, [](PgQueryParseResult *r) { pg_query_free_parse_result(*r); });
    if (parsed.error) {
        error = parsed.error->message;
        return nullptr;
    }
    return parseJson(parsed.parse_tree, "PostgreSQL parse tree");
}

}  // namespace momq
