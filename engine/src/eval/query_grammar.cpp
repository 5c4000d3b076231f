#include "eval/query_grammar.h"

#include "eval/schema_constraint.h"

#include "momq/error.h"

#include <xgrammar/xgrammar.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace momq {

namespace {

std::string lowered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string uppered(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

// An EBNF string literal for `text`; control characters as \uXXXX (a fixed-width escape, since
// \x takes every hex digit that follows).
std::string literal(const std::string &text) {
    std::string out = "\"";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

// Builds the grammar text: rules in order, and a keyword rule (upper | lower case) per keyword used.
class GrammarText {
public:
    void rule(const std::string &name, const std::string &body) { rules_ << name << " ::= " << body << "\n"; }
    // "k_select" for "SELECT", defined once; multi-word keywords ("GROUP BY") are separate words.
    std::string kw(const std::string &word) {
        const std::string name = "k_" + lowered(word);
        if (keywords_.insert(name).second) rule(name, literal(uppered(word)) + " | " + literal(lowered(word)));
        return name;
    }
    // A choice of names as alternatives; `none` when the list is empty (a rule that matches nothing
    // would make the grammar invalid, so an impossible character class stands in).
    void names(const std::string &name, const std::set<std::string> &alternatives) {
        if (alternatives.empty()) {
            rule(name, "[\\u0000]");  // NUL never appears in a query
            return;
        }
        std::string body;
        for (const auto &a : alternatives) body += (body.empty() ? "" : " | ") + literal(a);
        rule(name, body);
    }
    // One of the functions, each as written and in lower and upper case.
    void functions(const std::string &name, const std::vector<std::string> &fns) {
        std::set<std::string> spelled;
        for (const auto &f : fns) spelled.insert({f, lowered(f), uppered(f)});
        names(name, spelled);
    }
    std::string text() const { return rules_.str(); }

private:
    std::ostringstream rules_;
    std::set<std::string> keywords_;
};

// The ways a name may be written, added to `into`: bare where it is a plain identifier, and quoted. (PostgreSQL folds
// a bare name to lower case, so bare "sailorName" finds a column created without quotes; quoted
// names are exact.)
void addSpellings(std::set<std::string> &into, const std::string &name, const std::vector<std::string> &quotes) {
    if (!needsQuotes(name)) into.insert(name);
    for (const auto &q : quotes) {
        const std::string close = q == "[" ? "]" : q;
        if (name.find(close) == std::string::npos) into.insert(q + name + close);
    }
}

const char *const kNumber = R"(number ::= [0-9]+ ("." [0-9]*)? ([eE] [+\-]? [0-9]+)? | "." [0-9]+)"
                            "\n"
                            R"(integer ::= [0-9]+)";

// Rule `name`: an identifier that is none of `words` in any letter case, built as a trie so that the
// grammar stays context-free (one rule a prefix of some word).
void identifierExcept(GrammarText &g, const std::string &name, const std::vector<std::string> &words) {
    std::set<std::string> prefixes, whole;
    for (const auto &w : words) {
        whole.insert(lowered(w));
        for (std::size_t n = 1; n < w.size(); ++n) prefixes.insert(lowered(w.substr(0, n)));
    }
    const auto ruleFor = [&](const std::string &prefix) { return prefix.empty() ? name : name + "_" + prefix; };
    std::set<std::string> nodes = prefixes;
    nodes.insert(whole.begin(), whole.end());
    nodes.insert("");
    for (const auto &p : nodes) {
        std::set<char> next;
        for (const auto &q : nodes)
            if (q.size() == p.size() + 1 && q.compare(0, p.size(), p) == 0) next.insert(q.back());
        std::string body, excluded;
        for (const char c : next) {
            body += std::string(body.empty() ? "" : " | ") + "[" + c + static_cast<char>(std::toupper(c)) + "] " +
                    ruleFor(p + c);
            excluded += std::string(1, c) + static_cast<char>(std::toupper(c));
        }
        // Any other identifier character leaves every word behind.
        std::string allowed;
        for (int c = 0; c < 128; ++c) {
            const bool ident = std::isalpha(c) || c == '_' || (!p.empty() && std::isdigit(c));
            if (ident && excluded.find(static_cast<char>(c)) == std::string::npos) allowed += static_cast<char>(c);
        }
        if (!allowed.empty()) body += std::string(body.empty() ? "" : " | ") + "[" + allowed + "] [A-Za-z0-9_]*";
        if (!p.empty() && !whole.count(p)) body += " | \"\"";
        g.rule(ruleFor(p), body);
    }
}

void sqlGrammar(GrammarText &g, Dialect d, const Schema &schema, GrammarUse use) {
    const bool pg = d == Dialect::PostgreSQL, my = d == Dialect::MySQL, lite = d == Dialect::SQLite;
    const std::vector<std::string> quotes = pg   ? std::vector<std::string>{"\""}
                                            : my ? std::vector<std::string>{"`"}
                                                 : std::vector<std::string>{"\"", "`", "["};
    std::set<std::string> tables, columns;
    for (const auto &t : schema.tables) {
        addSpellings(tables, t.name, quotes);
        for (const auto &c : t.columns) addSpellings(columns, c.name, quotes);
    }
    const auto K = [&](const char *w) { return g.kw(w); };
    g.rule("query", "(" + K("WITH") + " sp (" + K("RECURSIVE") +
                        " sp)? cte (ws \",\" ws cte)* sp)? set_expr (sp order_by)? (sp limit_clause)?");
    g.rule("cte",
           "alias (ws \"(\" ws alias (ws \",\" ws alias)* ws \")\")? sp " + K("AS") + " ws \"(\" ws query ws \")\"");
    g.rule("set_expr", "select_operand (sp set_op sp select_operand)*");
    g.rule("select_operand", "select_core | \"(\" ws query ws \")\"");
    g.rule("set_op",
           K("UNION") + " (sp (" + K("ALL") + " | " + K("DISTINCT") + "))? | " + K("INTERSECT") + " | " + K("EXCEPT"));
    const std::string distinctOn = pg ? " (sp " + K("ON") + " ws \"(\" ws expr_list ws \")\")?" : "";
    g.rule("select_core", K("SELECT") + " (sp (" + K("DISTINCT") + distinctOn + " | " + K("ALL") +
                              "))? sp select_list (sp " + K("FROM") + " sp from_clause)? (sp " + K("WHERE") +
                              " sp expr)? (sp " + K("GROUP") + " sp " + K("BY") + " sp group_list)? (sp " +
                              K("HAVING") + " sp expr)?");
    g.rule("select_list", "select_item (ws \",\" ws select_item)*");
    g.rule("select_item", "\"*\" | qualifier \".*\" | expr (sp " + K("AS") + " sp out_name)?");
    // An output name may be grouped and ordered by; decoding keeps to expressions, since a free
    // word there is where a small model writes names the schema does not have.
    const std::string groupItem = use == GrammarUse::Decoding ? "expr" : "(expr | alias)";
    g.rule("group_list", groupItem + " (ws \",\" ws " + groupItem + ")*");
    g.rule("from_clause", "from_item (ws \",\" ws from_item | sp join_clause)*");
    g.rule("join_clause", "(join_kind sp)? " + K("JOIN") + " sp from_item (sp " + K("ON") + " sp expr | sp " +
                              K("USING") + " ws \"(\" ws column (ws \",\" ws column)* ws \")\")?");
    g.rule("join_kind", K("INNER") + " | " + K("CROSS") + " | " + K("NATURAL") + " | (" + K("LEFT") + " | " +
                            K("RIGHT") + " | " + K("FULL") + ") (sp " + K("OUTER") + ")?");
    g.rule("from_item", std::string(use == GrammarUse::Decoding ? "table" : "(table | \"(\" ws query ws \")\")") +
                            " (sp " + K("AS") + " sp alias | sp short_alias)?");
    if (use == GrammarUse::Decoding)
        g.rule("short_alias", "[A-Za-z] [0-9]{0,2}");
    else  // any word but those that may follow a table
        identifierExcept(g, "short_alias",
                         {"where",  "group", "having", "order",  "limit", "offset", "union", "intersect",
                          "except", "join",  "inner",  "left",   "right", "full",   "cross", "natural",
                          "on",     "using", "as",     "window", "fetch", "for",    "outer", "lock"});
    g.rule("order_by", K("ORDER") + " sp " + K("BY") + " sp order_item (ws \",\" ws order_item)*");
    g.rule("order_item",
           groupItem + " (sp (" + K("ASC") + " | " + K("DESC") + "))?" +
               (my ? std::string() : " (sp " + K("NULLS") + " sp (" + K("FIRST") + " | " + K("LAST") + "))?"));
    std::string limit = K("LIMIT") + " sp (integer" + (pg ? " | " + K("ALL") : std::string()) + ") (sp " + K("OFFSET") +
                        " sp integer)?";
    if (!pg) limit += " | " + K("LIMIT") + " sp integer ws \",\" ws integer";
    if (pg) limit += " | " + K("OFFSET") + " sp integer";
    g.rule("limit_clause", limit);

    g.rule("expr_list", "expr (ws \",\" ws expr)*");
    g.rule("expr", "and_expr (sp " + K("OR") + " sp and_expr)*");
    g.rule("and_expr", "not_expr (sp " + K("AND") + " sp not_expr)*");
    g.rule("not_expr", K("NOT") + " sp not_expr | predicate");
    std::string likeOps = K("LIKE");
    if (pg) likeOps += " | " + K("ILIKE") + " | " + K("SIMILAR") + " sp " + K("TO");
    if (my) likeOps += " | " + K("REGEXP") + " | " + K("RLIKE");
    if (lite) likeOps += " | " + K("GLOB") + " | " + K("REGEXP");
    g.rule("like_op", likeOps);
    std::string cmp = R"("=" | "!=" | "<>" | "<" | "<=" | ">" | ">=")";
    if (my) cmp += R"( | "<=>")";
    if (pg) cmp += R"( | "~" | "~*" | "!~" | "!~*")";
    if (lite) cmp += R"( | "==")";
    g.rule("cmp_op", cmp);
    g.rule("predicate", "sum (ws cmp_op ws (sum | quantified) | sp " + K("IS") + " (sp " + K("NOT") + ")? sp (" +
                            K("NULL") + " | " + K("TRUE") + " | " + K("FALSE") +
                            (pg || lite ? " | " + K("DISTINCT") + " sp " + K("FROM") + " sp sum" : std::string()) +
                            ") | (sp " + K("NOT") + ")? sp " + K("BETWEEN") + " sp sum sp " + K("AND") +
                            " sp sum | (sp " + K("NOT") + ")? sp " + K("IN") +
                            " ws \"(\" ws (query | expr_list) ws \")\" | (sp " + K("NOT") +
                            ")? sp like_op sp sum (sp " + K("ESCAPE") + " sp string)?)?");
    g.rule("quantified", "(" + K("ANY") + " | " + K("ALL") + " | " + K("SOME") + ") ws \"(\" ws query ws \")\"");
    g.rule("sum", R"(term (ws ("+" | "-" | "||") ws term)*)");
    g.rule("term", "unary (mul_op unary)*");
    g.rule("mul_op",
           std::string(R"G(ws ("*" | "/" | "%") ws)G") + (my ? " | sp (" + K("DIV") + " | " + K("MOD") + ") sp" : ""));
    g.rule("unary", R"(("-" | "+") ws unary | postfix)");
    g.rule("postfix", pg ? "primary (ws \"::\" ws type_name)*" : "primary");
    std::string primary = "number | string | " + K("NULL") + " | " + K("TRUE") + " | " + K("FALSE") +
                          " | column_ref | function_call | cast_expr | case_expr | " + K("EXISTS") +
                          " ws \"(\" ws query ws \")\" | \"(\" ws expr_list ws \")\" | \"(\" ws query ws \")\" | " +
                          K("CURRENT_DATE") + " | " + K("CURRENT_TIMESTAMP") + " | " + K("CURRENT_TIME");
    if (!lite) {
        primary += " | (" + K("DATE") + " | " + K("TIMESTAMP") + " | " + K("TIME") + ") sp string | extract_expr";
        primary += " | " + K("INTERVAL") + " sp " + (pg ? std::string("string") : "sum sp date_unit");
    }
    g.rule("primary", primary);
    g.rule("column_ref", "column | qualifier \".\" column");
    g.rule("qualifier", use == GrammarUse::Decoding ? "table | short_alias" : "table | alias");
    g.rule("function_call",
           "function ws \"(\" ws ((" + K("DISTINCT") + " sp)? expr_list | \"*\")? ws \")\" (sp window)?");
    g.rule("window",
           K("OVER") + " ws \"(\" ws (" + K("PARTITION") + " sp " + K("BY") + " sp expr_list)? ws order_by? ws \")\"");
    g.rule("cast_expr", K("CAST") + " ws \"(\" ws expr sp " + K("AS") + " sp type_name ws \")\"");
    g.rule("case_expr", K("CASE") + " (sp expr)? (sp " + K("WHEN") + " sp expr sp " + K("THEN") + " sp expr)+ (sp " +
                            K("ELSE") + " sp expr)? sp " + K("END"));
    g.rule("type_name", "ident (ws \"(\" ws number (ws \",\" ws number)? ws \")\")? | " + K("DOUBLE") + " sp " +
                            K("PRECISION") + " | (" + K("SIGNED") + " | " + K("UNSIGNED") + ") sp (" + K("INTEGER") +
                            " | " + K("INT") + ")");
    if (!lite) {
        g.rule("date_unit", K("YEAR") + " | " + K("QUARTER") + " | " + K("MONTH") + " | " + K("WEEK") + " | " +
                                K("DAY") + " | " + K("HOUR") + " | " + K("MINUTE") + " | " + K("SECOND") +
                                (pg ? " | " + K("DOW") + " | " + K("DOY") + " | " + K("EPOCH") + " | " + K("CENTURY") +
                                          " | " + K("DECADE") + " | " + K("ISODOW")
                                    : std::string()));
        g.rule("extract_expr", K("EXTRACT") + " ws \"(\" ws date_unit sp " + K("FROM") + " sp expr ws \")\"");
    }
    // Literals: single quotes everywhere (doubled to escape; MariaDB also takes backslashes);
    // MariaDB and SQLite also read a double-quoted word as a string when it names nothing.
    std::string str = my ? R"("'" ([^'\\] | "''" | "\\" [^])* "'")" : R"("'" ([^'] | "''")* "'")";
    if (!pg) str += R"( | "\"" ([^"\\] | "\"\"" | "\\" [^])* "\"")";
    g.rule("string", str);
    g.rule("out_name", "alias | string");
    std::string alias = "ident";
    for (const auto &q : quotes) {
        const std::string close = q == "[" ? "]" : q;
        alias += " | " + literal(q) + " [^" +
                 (close == "]"    ? std::string("\\]")
                  : close == "\"" ? "\\\""
                                  : close) +
                 "\\n]+ " + literal(close);
    }
    g.rule("alias", alias);
    g.names("table", tables);
    g.names("column", columns);
    std::vector<std::string> fns = {"COUNT",    "SUM",        "AVG",    "MIN",       "MAX",    "ROUND", "ABS",
                                    "COALESCE", "NULLIF",     "LOWER",  "UPPER",     "LENGTH", "TRIM",  "LTRIM",
                                    "RTRIM",    "REPLACE",    "SUBSTR", "SUBSTRING", "CEIL",   "FLOOR", "ROW_NUMBER",
                                    "RANK",     "DENSE_RANK", "LAG",    "LEAD",      "CONCAT"};
    if (pg)
        fns.insert(fns.end(), {"DATE_TRUNC", "DATE_PART",   "TO_CHAR",  "TO_DATE",    "TO_TIMESTAMP",
                               "NOW",        "AGE",         "CEILING",  "STRING_AGG", "ARRAY_AGG",
                               "GREATEST",   "LEAST",       "POSITION", "SPLIT_PART", "LEFT",
                               "RIGHT",      "CHAR_LENGTH", "STDDEV",   "VARIANCE",   "PERCENTILE_CONT",
                               "MOD",        "POWER",       "SQRT",     "EXP",        "LN",
                               "LOG",        "RANDOM",      "BOOL_OR",  "BOOL_AND"});
    if (my)
        fns.insert(fns.end(),
                   {"YEAR",     "MONTH",    "DAY",          "HOUR",     "MINUTE",      "DATE",          "NOW",
                    "CURDATE",  "DATEDIFF", "DATE_FORMAT",  "DATE_ADD", "DATE_SUB",    "TIMESTAMPDIFF", "STR_TO_DATE",
                    "IFNULL",   "IF",       "GROUP_CONCAT", "CEILING",  "CHAR_LENGTH", "LEFT",          "RIGHT",
                    "LOCATE",   "INSTR",    "MOD",          "POWER",    "POW",         "SQRT",          "STDDEV",
                    "VARIANCE", "GREATEST", "LEAST",        "TRUNCATE", "RAND"});
    if (lite)
        fns.insert(fns.end(), {"DATE", "TIME", "DATETIME", "JULIANDAY", "STRFTIME", "IFNULL", "IIF", "INSTR",
                               "GROUP_CONCAT", "TOTAL", "RANDOM", "TYPEOF", "PRINTF", "UNICODE", "CHAR", "HEX"});
    g.functions("function", fns);
}

// Cypher (FalkorDB, Neo4j) and nGQL (NebulaGraph 3) share the MATCH language; nGQL adds its own
// statements, pipes and `var.tag.prop` property access.
void graphGrammar(GrammarText &g, Dialect d, const Schema &schema) {
    const bool ngql = d == Dialect::Ngql;
    std::set<std::string> labels, relTypes, props;
    const std::vector<std::string> quotes = {"`"};
    for (const auto &n : schema.nodes) {
        addSpellings(labels, n.label, quotes);
        for (const auto &p : n.properties) addSpellings(props, p.name, quotes);
    }
    for (const auto &r : schema.relationships) {
        addSpellings(relTypes, r.type, quotes);
        for (const auto &p : r.properties) addSpellings(props, p.name, quotes);
    }
    const auto K = [&](const char *w) { return g.kw(w); };
    if (ngql) {
        g.rule("statement", "sentence (ws \"|\" ws sentence)*");
        g.rule("sentence", "match_query | lookup | go | fetch | yield_clause (sp " + K("WHERE") +
                               " sp expr)? | group_by | order_by | limit_sentence");
        g.rule("lookup", K("LOOKUP") + " sp " + K("ON") + " sp (label | rel_type) (sp " + K("WHERE") +
                             " sp expr)? (sp yield_clause)?");
        g.rule("go", K("GO") + " sp (number sp (" + K("TO") + " sp number sp)? (" + K("STEPS") + " | " + K("STEP") +
                         ") sp)? " + K("FROM") + " sp expr_list sp " + K("OVER") +
                         " sp (rel_type (ws \",\" ws rel_type)* | \"*\") (sp (" + K("REVERSELY") + " | " +
                         K("BIDIRECT") + "))? (sp " + K("WHERE") + " sp expr)? (sp yield_clause)?");
        g.rule(
            "fetch",
            K("FETCH") + " sp " + K("PROP") + " sp " + K("ON") +
                " sp ((label (ws \",\" ws label)* | \"*\") sp expr_list | rel_type sp edge_key (ws \",\" ws edge_key)*) (sp yield_clause)?");
        g.rule("edge_key", "additive ws \"->\" ws additive (ws \"@\" ws number)?");
        g.rule("yield_clause", K("YIELD") + " sp (" + K("DISTINCT") + " sp)? projection_items");
        g.rule("group_by", K("GROUP") + " sp " + K("BY") + " sp expr_list sp yield_clause");
        g.rule("limit_sentence", K("LIMIT") + " sp integer (ws \",\" ws integer)?");
        g.rule("match_query", "(clause sp)* return_clause");
    } else {
        g.rule("statement", "single_query (sp " + K("UNION") + " (sp " + K("ALL") + ")? sp single_query)*");
        g.rule("single_query", "(clause sp)* return_clause");
    }
    g.rule("clause", "match_clause | with_clause | unwind_clause");
    g.rule("match_clause", "(" + K("OPTIONAL") + " sp)? " + K("MATCH") + " sp pattern (ws \",\" ws pattern)* (sp " +
                               K("WHERE") + " sp expr)?");
    g.rule("pattern", "(var ws \"=\" ws)? (pattern_element | (" + K("shortestPath") + " | " + K("allShortestPaths") +
                          ") ws \"(\" ws pattern_element ws \")\")");
    g.rule("pattern_element", "node (ws relationship ws node)*");
    g.rule("node", "\"(\" ws var? (ws \":\" ws label)* (ws property_map)? ws \")\"");
    g.rule(
        "relationship",
        R"("<"? "-" ("[" ws var? (ws ":" ws rel_type (ws "|" ws ":"? ws rel_type)*)? (ws hops)? (ws property_map)? ws "]")? "-" ">"?)");
    g.rule("hops", R"("*" ws number? (ws ".." ws number?)?)");
    g.rule("property_map", "\"{\" ws (property ws \":\" ws expr (ws \",\" ws property ws \":\" ws expr)*)? ws \"}\"");
    g.rule("with_clause", K("WITH") + " sp (" + K("DISTINCT") + " sp)? projection (sp " + K("WHERE") + " sp expr)?");
    g.rule("return_clause", K("RETURN") + " sp (" + K("DISTINCT") + " sp)? projection");
    g.rule("projection",
           "projection_items (sp order_by)? (sp " + K("SKIP") + " sp expr)? (sp " + K("LIMIT") + " sp expr)?");
    g.rule("projection_items", "(\"*\" | projection_item) (ws \",\" ws projection_item)*");
    g.rule("projection_item", "expr (sp " + K("AS") + " sp var)?");
    g.rule("order_by", K("ORDER") + " sp " + K("BY") + " sp sort_item (ws \",\" ws sort_item)*");
    g.rule("sort_item",
           "expr (sp (" + K("ASC") + " | " + K("DESC") + " | " + K("ASCENDING") + " | " + K("DESCENDING") + "))?");
    g.rule("unwind_clause", K("UNWIND") + " sp expr sp " + K("AS") + " sp var");

    g.rule("expr_list", "expr (ws \",\" ws expr)*");
    g.rule("expr", "xor_expr (sp " + K("OR") + " sp xor_expr)*");
    g.rule("xor_expr", "and_expr (sp " + K("XOR") + " sp and_expr)*");
    g.rule("and_expr", "not_expr (sp " + K("AND") + " sp not_expr)*");
    g.rule("not_expr", K("NOT") + " sp not_expr | comparison");
    g.rule("comparison", "additive (ws cmp_op ws additive | sp " + K("IN") + " sp additive | sp " + K("STARTS") +
                             " sp " + K("WITH") + " sp additive | sp " + K("ENDS") + " sp " + K("WITH") +
                             " sp additive | sp " + K("CONTAINS") + " sp additive | sp " + K("IS") + " (sp " +
                             K("NOT") + ")? sp (" + K("NULL") + (ngql ? " | " + K("EMPTY") : std::string()) + "))*");
    g.rule("cmp_op", ngql ? R"("==" | "!=" | "<>" | "<" | "<=" | ">" | ">=" | "=~")"
                          : R"("=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" | "=~")");
    g.rule("additive", R"(multiplicative (ws ("+" | "-") ws multiplicative)*)");
    g.rule("multiplicative", R"(power (ws ("*" | "/" | "%") ws power)*)");
    g.rule("power", R"(unary (ws "^" ws unary)*)");
    g.rule("unary", R"(("-" | "+") ws unary | postfix)");
    // nGQL reads n.tag.prop; Cypher n.prop. Either way the names after the dots are the schema's.
    g.rule("postfix", std::string("atom (\".\" ") + (ngql ? "(label | rel_type | property)" : "property") +
                          R"( | "[" ws expr ws "]" | "[" ws expr? ws ".." ws expr? ws "]")*)");
    std::string atom =
        "number | string | " + K("TRUE") + " | " + K("FALSE") + " | " + K("NULL") +
        " | case_expr | count_star | function_call | list_comprehension | \"[\" ws expr_list? ws \"]\" | map_literal" +
        " | node (ws relationship ws node)+ | \"(\" ws expr ws \")\" | var | " + K("EXISTS") +
        " ws \"{\" ws (match_clause | pattern_element) ws \"}\"";
    if (ngql)
        atom += R"G( | "$-." var | "$$" | "$^" | "$" ident)G";
    else
        atom += R"( | "$" ident)";
    g.rule("atom", atom);
    g.rule("count_star", K("count") + " ws \"(\" ws \"*\" ws \")\"");
    g.rule("function_call", "function ws \"(\" ws ((" + K("DISTINCT") + " sp)? expr_list)? ws \")\"");
    g.rule("list_comprehension",
           "\"[\" ws var sp " + K("IN") + " sp expr (sp " + K("WHERE") + " sp expr)? (ws \"|\" ws expr)? ws \"]\"");
    g.rule("map_literal", "\"{\" ws (var ws \":\" ws expr (ws \",\" ws var ws \":\" ws expr)*)? ws \"}\"");
    g.rule("case_expr", K("CASE") + " (sp expr)? (sp " + K("WHEN") + " sp expr sp " + K("THEN") + " sp expr)+ (sp " +
                            K("ELSE") + " sp expr)? sp " + K("END"));
    g.rule("string", R"("'" ([^'\\] | "\\" [^])* "'" | "\"" ([^"\\] | "\\" [^])* "\"")");
    g.rule("var", "ident | \"`\" [^`\\n]+ \"`\"");
    g.names("label", labels);
    g.names("rel_type", relTypes);
    g.names("property", props);
    std::vector<std::string> fns = {"count",
                                    "sum",
                                    "avg",
                                    "min",
                                    "max",
                                    "collect",
                                    "size",
                                    "length",
                                    "labels",
                                    "type",
                                    "id",
                                    "keys",
                                    "properties",
                                    "nodes",
                                    "relationships",
                                    "startNode",
                                    "endNode",
                                    "coalesce",
                                    "head",
                                    "last",
                                    "tail",
                                    "range",
                                    "reverse",
                                    "abs",
                                    "ceil",
                                    "floor",
                                    "round",
                                    "sqrt",
                                    "sign",
                                    "toLower",
                                    "toUpper",
                                    "toString",
                                    "toInteger",
                                    "toFloat",
                                    "trim",
                                    "replace",
                                    "substring",
                                    "left",
                                    "right",
                                    "split",
                                    "exists",
                                    "date",
                                    "datetime",
                                    "timestamp",
                                    "percentileCont",
                                    "percentileDisc",
                                    "stDev",
                                    "all",
                                    "any",
                                    "none",
                                    "single",
                                    "isEmpty"};
    if (ngql)
        fns.insert(fns.end(), {"src", "dst", "rank", "tags", "lower", "upper", "concat", "hash", "now", "time",
                               "substr", "string", "strcasecmp", "lpad", "rpad", "std", "bit_and", "bit_or"});
    else
        fns.insert(fns.end(), {"elementId", "toBoolean", "ltrim", "rtrim", "duration", "localdatetime", "stDevP"});
    g.functions("function", fns);
}

std::string buildGrammar(Dialect dialect, const Schema &schema, GrammarUse use) {
    GrammarText g;
    const bool graph = dialectInfo(dialect).graph;
    g.rule("root", std::string("ws ") + (graph ? "statement" : "query") + " ws (\";\" ws)? (\"```\" ws)?");
    if (graph)
        graphGrammar(g, dialect, schema);
    else
        sqlGrammar(g, dialect, schema, use);
    if (use == GrammarUse::Decoding) {
        g.rule("ws", "sp?");
        g.rule("sp", "\" \" | \"\\n\" [ ]{0,8}");
        g.rule("ident", "[A-Za-z_] [A-Za-z0-9_]{0,23}");
    } else {
        g.rule("ws", "[ \\t\\n]*");
        g.rule("sp", "[ \\t\\n]+");
        g.rule("ident", "[A-Za-z_] [A-Za-z0-9_]*");
    }
    return g.text() + kNumber + "\n";
}

// Compiling a grammar against a vocabulary is the expensive step (tens of milliseconds for 4,096
// tokens, seconds for 150k): compiled grammars are kept per tokenizer and grammar text, a few at a
// time, since an evaluation asks about the same schema and dialect over and over.
class CompiledGrammars {
public:
    static CompiledGrammars &instance() {
        static CompiledGrammars cache;
        return cache;
    }
    xgrammar::CompiledGrammar get(const Tokenizer *tokenizer, const std::function<xgrammar::TokenizerInfo()> &info,
                                  const std::vector<int> &stops, const std::string &grammar) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(tokenizer)) + "/";
        for (const int s : stops) key += std::to_string(s) + ",";
        key += "\n" + grammar;
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->first == key) {
                entries_.splice(entries_.begin(), entries_, it);
                return it->second;
            }
        auto compilers = compilers_.find(tokenizer);
        if (compilers == compilers_.end())
            compilers = compilers_.emplace(tokenizer, std::make_shared<xgrammar::GrammarCompiler>(info(), 2)).first;
        auto compiled = compilers->second->CompileGrammar(grammar, "root");
        entries_.emplace_front(key, compiled);
        if (entries_.size() > 16) entries_.pop_back();
        return compiled;
    }

private:
    std::mutex mutex_;
    // Keyed by the tokenizer's address: a tokenizer outlives the generator that holds it, and a new one
    // at a recycled address would be a different vocabulary, so entries remember the pointer they
    // were made for only while it is alive (the generator keeps it).
    std::map<const Tokenizer *, std::shared_ptr<xgrammar::GrammarCompiler>> compilers_;
    std::list<std::pair<std::string, xgrammar::CompiledGrammar>> entries_;
};

}  // namespace

bool grammarAccepts(Dialect dialect, const Schema &schema, const std::string &query, std::string *why, GrammarUse use) {
    try {
        // Checking text needs no vocabulary: one placeholder token (and the cache key nullptr).
        const auto placeholder = [] { return xgrammar::TokenizerInfo(std::vector<std::string>{"\x01"}); };
        const auto compiled =
            CompiledGrammars::instance().get(nullptr, placeholder, {}, buildGrammar(dialect, schema, use));
        xgrammar::GrammarMatcher matcher(compiled);
        if (matcher.AcceptString(query) && matcher.IsCompleted()) return true;
        if (!why) return false;
        // Again character by character, so that the refusal can name the place.
        matcher.Reset();
        for (std::size_t i = 0; i < query.size(); ++i)
            if (!matcher.AcceptString(query.substr(i, 1))) {
                *why = "not valid " + std::string(dialectInfo(dialect).displayName) +
                       " over this schema at character " + std::to_string(i + 1) + ": \"" + query.substr(0, i) +
                       "<here>" + query.substr(i) + "\"";
                return false;
            }
        *why = "incomplete " + std::string(dialectInfo(dialect).displayName) + " query (it stops too early)";
        return false;
    } catch (const std::exception &e) {
        throw Error(std::string("query grammar for ") + dialectName(dialect) + ": " + e.what());
    }
}

struct GrammarConstraint::Impl {
    std::shared_ptr<const Tokenizer> tokenizer;
    std::vector<int> stops;
    std::unique_ptr<xgrammar::GrammarMatcher> matcher;
    std::vector<int> accepted;  // the tokens the matcher holds
    std::vector<std::int32_t> bitmask;
    std::vector<std::uint8_t> allowed, stopsOnly;
    int vocab = 0;
};

GrammarConstraint::GrammarConstraint(Dialect dialect, const Schema &schema, std::shared_ptr<const Tokenizer> tokenizer,
                                     std::vector<int> stopTokens)
    : impl_(std::make_unique<Impl>()) {
    auto &m = *impl_;
    m.tokenizer = std::move(tokenizer);
    m.stops = std::move(stopTokens);
    m.vocab = m.tokenizer->vocabSize();
    const auto info = [&] {
        // The vocabulary as byte-level BPE entries; special tokens, holes and pieces holding a control
        // byte other than tab and newline as "" (never text: a query has none, and string literals
        // would otherwise take them).
        std::vector<std::string> encoded(static_cast<std::size_t>(m.vocab));
        for (int id = 0; id < m.vocab; ++id) {
            if (m.tokenizer->isSpecial(id)) continue;
            std::string bytes;
            try {
                bytes = m.tokenizer->decode({id}, true);
            } catch (const std::exception &) {
                continue;
            }
            if (std::any_of(bytes.begin(), bytes.end(),
                            [](unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f; }))
                continue;
            encoded[static_cast<std::size_t>(id)] = m.tokenizer->tokenText(id);
        }
        return xgrammar::TokenizerInfo(encoded, xgrammar::VocabType::BYTE_LEVEL, m.vocab, m.stops);
    };
    try {
        const auto compiled = CompiledGrammars::instance().get(m.tokenizer.get(), info, m.stops,
                                                               buildGrammar(dialect, schema, GrammarUse::Decoding));
        m.matcher = std::make_unique<xgrammar::GrammarMatcher>(compiled, m.stops);
    } catch (const std::exception &e) {
        throw Error(std::string("query grammar for ") + dialectName(dialect) + ": " + e.what());
    }
    m.bitmask.assign(static_cast<std::size_t>(xgrammar::GetBitmaskSize(m.vocab)), 0);
    m.allowed.assign(static_cast<std::size_t>(m.vocab), 0);
    m.stopsOnly.assign(static_cast<std::size_t>(m.vocab), 0);
    for (const int s : m.stops)
        if (s >= 0 && s < m.vocab) m.stopsOnly[static_cast<std::size_t>(s)] = 1;
}

GrammarConstraint::~GrammarConstraint() = default;

const std::vector<std::uint8_t> &GrammarConstraint::allowedNext(const std::vector<int> &generated) {
    auto &m = *impl_;
    std::size_t common = 0;
    while (common < m.accepted.size() && common < generated.size() && m.accepted[common] == generated[common]) ++common;
    if (common < m.accepted.size()) {
        m.matcher->Rollback(static_cast<int>(m.accepted.size() - common));
        m.accepted.resize(common);
    }
    for (std::size_t i = common; i < generated.size(); ++i) {
        if (!m.matcher->AcceptToken(generated[i])) return m.stopsOnly;  // left the grammar: stop here
        m.accepted.push_back(generated[i]);
    }
    int64_t shape[1] = {static_cast<int64_t>(m.bitmask.size())};
    DLTensor tensor{};
    tensor.data = m.bitmask.data();
    tensor.device = DLDevice{kDLCPU, 0};
    tensor.ndim = 1;
    tensor.dtype = xgrammar::GetBitmaskDLType();
    tensor.shape = shape;
    m.matcher->FillNextTokenBitmask(&tensor);
    for (int id = 0; id < m.vocab; ++id)
        m.allowed[static_cast<std::size_t>(id)] = (static_cast<std::uint32_t>(m.bitmask[id >> 5]) >> (id & 31)) & 1u;
    return m.allowed;
}

}  // namespace momq
