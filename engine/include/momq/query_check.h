// Checks of a generated query before anything runs: does it parse, and does it name only the
// schema's tables? Done by the databases' own parsers where they work offline — SQLite prepares it
// on an in-memory database holding the empty schema; PostgreSQL's parser (libpg_query) reads it
// and its tables are looked up in the schema. MariaDB and FalkorDB are asked when connected; without
// a server (nGQL always here), the dialect's grammar over the schema's names (eval/query_grammar.h).
#pragma once

#include "momq/dialect.h"
#include "momq/schema.h"

#include <string>

namespace momq {

struct QueryCheck {
    enum class Verdict { Valid, Invalid, NotChecked };
    Verdict verdict = Verdict::NotChecked;
    std::string checkedBy;  // "SQLite (empty schema)", "PostgreSQL parser", ""
    std::string message;    // why it is invalid
};

class QueryExecutor;

// `database` (may be null): the connected database of that dialect, asked when the dialect has no
// offline check (MariaDB PREPARE, FalkorDB GRAPH.EXPLAIN); null or unreachable, the grammar decides.
QueryCheck checkQuery(Dialect dialect, const std::string &query, const Schema &schema,
                      QueryExecutor *database = nullptr);
const char *verdictName(QueryCheck::Verdict verdict);  // "valid", "invalid", "not checked"

}  // namespace momq
