#include "momq/prompt.h"

#include "momq/error.h"

#include <algorithm>

namespace momq {

namespace {

struct DialectTemplate {
    const char *dialect, *expert, *schemaHeader, *knowledge, *statement, *fence;
};

// Spec 6.2: the role sentence's blanks per dialect (X, SCHEMA_HDR, Y, Z, FENCE).
constexpr DialectTemplate kTemplates[] = {
    {"mysql", "MySQL", "数据库schema", "MySQL", "sql", "sql"},
    {"postgresql", "PostgreSQL", "数据库schema", "PostgreSQL", "sql", "sql"},
    {"sqlite", "SQLite", "数据库schema", "SQLite", "sql", "sql"},
    {"cypher", "Neo4j", "图数据库schema", "Cypher", "Cypher Query", "cypher"},
    {"ngql", "NebulaGraph", "图数据库schema", "nGQL", "Graph Query", "ngql"},
};

const DialectTemplate &templateFor(const std::string &dialect) {
    for (const auto &t : kTemplates)
        if (dialect == t.dialect) return t;
    throw FormatError("unknown dialect \"" + dialect + "\" (expected mysql, postgresql, sqlite, cypher or ngql)");
}

} // namespace

const std::vector<std::string> &knownDialects() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto &t : kTemplates) v.emplace_back(t.dialect);
        return v;
    }();
    return names;
}

bool isKnownDialect(const std::string &dialect) {
    const auto &all = knownDialects();
    return std::find(all.begin(), all.end(), dialect) != all.end();
}

SchemaFormat schemaFormatForDialect(const std::string &dialect) {
    const std::string fence = templateFor(dialect).fence;
    return fence == "cypher" ? SchemaFormat::Cypher : fence == "ngql" ? SchemaFormat::Ngql : SchemaFormat::Relational;
}

std::string userPrompt(const std::string &dialect, const std::string &question, const std::string &schemaText,
                       const std::string &evidence) {
    const auto &t = templateFor(dialect);
    const std::string header = t.schemaHeader;
    std::string schema = schemaText;
    while (!schema.empty() && (schema.back() == '\n' || schema.back() == ' ')) schema.pop_back();
    return std::string("你是一名") + t.expert + "专家，现在需要阅读并理解下面的【" + header + "】描述，以及可能用到的【参考信息】，并运用" +
           t.knowledge + "知识生成" + t.statement + "语句回答【用户问题】。\n" + "【用户问题】\n" + question + "\n\n" + "【" + header +
           "】\n" + schema + "\n\n" + "【参考信息】\n" + evidence + "\n\n" + "【用户问题】\n" + question + "\n\n" + "```" + t.fence;
}

} // namespace momq
