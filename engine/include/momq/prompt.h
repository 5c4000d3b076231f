// MoMQ's prompts (spec Part 6): one Chinese role sentence per dialect, the question before and
// after the schema, the evidence section, and an open code fence; wrapped in ChatML.
#pragma once

#include "momq/dialect.h"
#include "momq/schema.h"

#include <string>
#include <vector>

namespace momq {

// The user turn of spec 6.2 for a dialect, with the schema already serialised. It ends with the
// dialect's open code fence.
std::string userPrompt(Dialect dialect, const std::string &question, const std::string &schemaText,
                       const std::string &evidence);

// The answer format, one rule for training and for reading a model's answer back: the assistant
// turn is the query followed by the end of the turn.
std::string answerText(const std::string &query);
// The query in a decoded answer: an opening fence the model repeated is dropped, the text is cut
// at the closing fence, and surrounding white space trimmed.
std::string queryFromAnswer(const std::string &decoded);

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
BudgetedPrompt buildPrompt(const Tokenizer &tokenizer, Dialect dialect, const std::string &question,
                           const Schema &schema, const std::string &evidence, int tokenBudget);

}  // namespace momq
