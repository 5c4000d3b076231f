// The one table of query dialects: every name, engine, schema format, prompt wording and
// highlighter keyword list comes from here. Strings are parsed into Dialect once, at the boundary
// (command line, JSON files, the UI).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace momq {

enum class Dialect { MySQL, PostgreSQL, SQLite, Cypher, Ngql };
inline constexpr int kDialectCount = 5;

// Prompt serialisations of spec Part 6.4 (relational) and 6.5 (Cypher, nGQL).
enum class SchemaFormat { Relational, Cypher, Ngql };

struct DialectInfo {
    Dialect dialect;
    const char *name;           // "mysql": files, the command line, the project store
    const char *displayName;    // "MySQL": the UI
    const char *engine;         // the database engine that executes it by default ("" = none here)
    SchemaFormat schemaFormat;  // how its prompts serialise the schema
    bool graph;                 // queries a property graph
    // Spec 6.2's blanks in the role sentence: expert X, schema header, knowledge Y, statement Z, fence
    const char *expert, *schemaHeader, *knowledge, *statement, *fence;
    std::vector<const char *> keywords;  // upper-case keywords for highlighting
};

// Every dialect, in Dialect's order.
const std::vector<DialectInfo> &dialects();
const DialectInfo &dialectInfo(Dialect dialect);
const char *dialectName(Dialect dialect);
std::optional<Dialect> findDialect(const std::string &name);
// FormatError "unknown dialect "x" (expected mysql, postgresql, sqlite, cypher or ngql)".
Dialect parseDialect(const std::string &name);
// "mysql, postgresql, sqlite, cypher or ngql"
std::string dialectNameList();
// "relational" | "cypher" | "ngql"; throws FormatError naming the accepted values.
SchemaFormat schemaFormatFromName(const std::string &name);

}  // namespace momq
