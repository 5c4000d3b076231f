#include "momq/query_check.h"

#include "db/pg_parse_tree.h"
#include "eval/query_grammar.h"
#include "momq/execution.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

namespace momq {

namespace {

std::string quotedIdentifier(const std::string &name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

QueryCheck sqliteCheck(const std::string &query, const Schema &schema) {
    QueryCheck out{QueryCheck::Verdict::Valid, "SQLite (empty schema)", ""};
    sqlite3 *raw = nullptr;
    sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
    for (const auto &t : schema.tables) {
        std::string ddl = "CREATE TABLE " + quotedIdentifier(t.name) + " (";
        for (std::size_t c = 0; c < t.columns.size(); ++c)
            ddl += (c ? ", " : "") + quotedIdentifier(t.columns[c].name);  // SQLite needs no types to resolve names
        if (t.columns.empty()) ddl += "_";
        sqlite3_exec(db.get(), (ddl + ")").c_str(), nullptr, nullptr, nullptr);
    }
    sqlite3_stmt *st = nullptr;
    const char *tail = nullptr;
    if (sqlite3_prepare_v2(db.get(), query.c_str(), static_cast<int>(query.size()), &st, &tail) != SQLITE_OK) {
        out = {QueryCheck::Verdict::Invalid, out.checkedBy, sqlite3_errmsg(db.get())};
    } else if (!st) {
        out = {QueryCheck::Verdict::Invalid, out.checkedBy, "empty query"};
    }
    sqlite3_finalize(st);
    return out;
}

void collect(const nlohmann::json &node, std::set<std::string> &tables, std::set<std::string> &ctes) {
    if (node.is_array()) {
        for (const auto &n : node) collect(n, tables, ctes);
        return;
    }
    if (!node.is_object()) return;
    for (const auto &[key, value] : node.items()) {
        if (key == "RangeVar" && value.contains("relname")) {  // "s.t" as introspection names it; public.t is t
            const std::string schema = value.value("schemaname", std::string());
            const std::string rel = lower(value["relname"].get<std::string>());
            tables.insert(schema.empty() || lower(schema) == "public" ? rel : lower(schema) + "." + rel);
        }
        if (key == "CommonTableExpr" && value.contains("ctename"))
            ctes.insert(lower(value["ctename"].get<std::string>()));
        collect(value, tables, ctes);
    }
}

QueryCheck postgresCheck(const std::string &query, const Schema &schema) {
    QueryCheck out{QueryCheck::Verdict::Valid, "PostgreSQL parser (libpg_query)", ""};
    std::string error;
    const auto tree = postgresParseTree(query, error);
    if (tree.is_null()) return {QueryCheck::Verdict::Invalid, out.checkedBy, error};
    std::set<std::string> tables, ctes;
    collect(tree, tables, ctes);
    std::set<std::string> known;
    for (const auto &t : schema.tables) known.insert(lower(t.name));
    for (const auto &t : tables)
        if (!known.count(t) && !ctes.count(t))
            return {QueryCheck::Verdict::Invalid, out.checkedBy, "the schema has no table " + t};
    return out;
}

}  // namespace

QueryCheck checkQuery(Dialect dialect, const std::string &query, const Schema &schema, QueryExecutor *database) {
    switch (dialect) {
    case Dialect::SQLite: return sqliteCheck(query, schema);
    case Dialect::PostgreSQL: return postgresCheck(query, schema);
    default: break;
    }
    QueryCheck check;
    std::string unchecked;  // why the server did not check it
    if (database) {
        try {
            if (const auto server = database->checkWithoutRunning(query)) {
                check.verdict = server->error.empty() ? QueryCheck::Verdict::Valid : QueryCheck::Verdict::Invalid;
                check.checkedBy = server->checkedBy;
                check.message = server->error;
                return check;
            }
        } catch (const ExecutionError &e) {
            unchecked = std::string("server not asked: ") + e.what() + "; ";
        }
    }
    // No server to ask (nGQL never has one here): the dialect's grammar over the schema decides.
    std::string why;
    const bool valid = grammarAccepts(dialect, schema, query, &why);
    return {valid ? QueryCheck::Verdict::Valid : QueryCheck::Verdict::Invalid,
            std::string(dialectInfo(dialect).displayName) + " grammar (XGrammar)", unchecked + why};
}

const char *verdictName(QueryCheck::Verdict verdict) {
    switch (verdict) {
    case QueryCheck::Verdict::Valid: return "valid";
    case QueryCheck::Verdict::Invalid: return "invalid";
    case QueryCheck::Verdict::NotChecked: break;
    }
    return "not checked";
}

}  // namespace momq
