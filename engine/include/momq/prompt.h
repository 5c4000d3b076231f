// MoMQ's prompts (spec Part 6): one Chinese role sentence per dialect, the question before and
// after the schema, the evidence section, and an open code fence; wrapped in ChatML.
#pragma once

#include "momq/schema.h"

#include <string>
#include <vector>

namespace momq {

// Dialects with a prompt template: mysql, postgresql, sqlite, cypher, ngql.
const std::vector<std::string> &knownDialects();
bool isKnownDialect(const std::string &dialect);
// The schema serialisation a dialect's prompts use; FormatError for an unknown dialect.
SchemaFormat schemaFormatForDialect(const std::string &dialect);
// Whether the dialect queries a property graph (its prompts carry a graph schema).
bool isGraphDialect(const std::string &dialect);

// The user turn of spec 6.2 for a dialect, with the schema already serialised.
std::string userPrompt(const std::string &dialect, const std::string &question, const std::string &schemaText,
                       const std::string &evidence);

class Tokenizer;

// A ChatML prompt for one question that fits a token budget. When the whole schema does not fit,
// value examples go first, then whole tables (or node labels) least related to the question —
// fewest shared words between the question and their names — until it fits.
struct BudgetedPrompt {
    std::string text;
    std::vector<int> ids;
    bool droppedExamples = false;
    std::vector<std::string> droppedTables;  // tables or node labels left out, in the order dropped
    bool fits = true;                        // false: even the smallest form is over the budget
    std::string note() const;                // "" or "value examples dropped; tables dropped: a, b"
};
BudgetedPrompt buildPrompt(const Tokenizer &tokenizer, const std::string &dialect, const std::string &question, const Schema &schema,
                           const std::string &evidence, int tokenBudget);

} // namespace momq
