// Engine-internal: per-dialect grammars of the queries the engine writes and reads, in XGrammar's
// EBNF, whose identifier slots are the schema's own names, and decoding constrained by them.
//
// One grammar per dialect: MySQL (MariaDB), PostgreSQL, SQLite, Cypher as FalkorDB and Neo4j run
// it, and nGQL as NebulaGraph 3 runs it. A table, column, label, relationship type or property may
// only be one the schema has, spelled as the schema spells it (quoted where the engine needs it);
// aliases, variables and output names are free. Keywords are upper or lower case. A query may end
// with ';' and the closing fence.
#pragma once

#include "momq/dialect.h"
#include "momq/schema.h"
#include "momq/tokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace momq {

// Checking a query someone wrote accepts what the engines read. Decoding is narrower where a small
// model would otherwise find a way round the schema: one space or a line break (and an indent of up
// to 8) between words, no runs of blanks to stall in; names of at most 24 characters; a bare table
// alias (and a column's qualifier that is not a table) of a letter and at most two digits (T1, a),
// which no keyword is; GROUP BY and ORDER BY over expressions, not output names; and no subquery in
// FROM, where a model that wants a table the schema lacks would escape to one.
enum class GrammarUse { Decoding, Checking };

// Whether `query` is a complete sentence of the dialect's grammar over `schema`; on false, `why`
// (when given) says where it stops being one.
bool grammarAccepts(Dialect dialect, const Schema &schema, const std::string &query, std::string *why = nullptr,
                    GrammarUse use = GrammarUse::Checking);

// Decoding constrained by the grammar: the tokens that keep the answer a prefix of a query of the
// grammar (stop tokens once it is a whole one). Beams share one matcher, rolled back to the common
// prefix of the last sequence asked about, so each call costs the tokens that differ.
class GrammarConstraint {
public:
    GrammarConstraint(Dialect dialect, const Schema &schema, std::shared_ptr<const Tokenizer> tokenizer,
                      std::vector<int> stopTokens);
    ~GrammarConstraint();
    GrammarConstraint(const GrammarConstraint &) = delete;
    GrammarConstraint &operator=(const GrammarConstraint &) = delete;

    // The tokens allowed after `generated` (1 = allowed, indexed by id). When `generated` has left the
    // grammar (a token another constraint allowed), only the stop tokens.
    const std::vector<std::uint8_t> &allowedNext(const std::vector<int> &generated);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace momq
