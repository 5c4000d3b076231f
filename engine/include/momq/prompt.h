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

// The user turn of spec 6.2 for a dialect, with the schema already serialised.
std::string userPrompt(const std::string &dialect, const std::string &question, const std::string &schemaText,
                       const std::string &evidence);

} // namespace momq
