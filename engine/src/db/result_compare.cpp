#include "momq/execution.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>

namespace momq {

std::string Value::display() const {
    switch (kind) {
    case Kind::Null: return "NULL";
    case Kind::Integer: return std::to_string(integer);
    case Kind::Real: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", real);
        return buf;
    }
    case Kind::Text: return text;
    }
    return {};
}

namespace {

// A key equal for values Python's == holds equal: integers and integral reals share one form.
std::string key(const Value &v) {
    switch (v.kind) {
    case Value::Kind::Null: return "N";
    case Value::Kind::Integer: return "I" + std::to_string(v.integer);
    case Value::Kind::Real:
        if (std::isfinite(v.real) && v.real == std::trunc(v.real) && std::abs(v.real) < 9.2e18)
            return "I" + std::to_string(static_cast<std::int64_t>(v.real));
        {
            char buf[64];
            std::snprintf(buf, sizeof buf, "R%.17g", v.real);
            return buf;
        }
    case Value::Kind::Text: return "T" + v.text;
    }
    return {};
}

std::vector<std::string> sortedColumn(const QueryResult &r, std::size_t c) {
    std::vector<std::string> out;
    for (const auto &row : r.rows) out.push_back(key(row[c]));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

bool Value::operator==(const Value &o) const { return key(*this) == key(o); }

namespace {

bool closeEnough(const Value &a, const Value &b) {
    const bool an = a.kind == Value::Kind::Integer || a.kind == Value::Kind::Real;
    const bool bn = b.kind == Value::Kind::Integer || b.kind == Value::Kind::Real;
    if (an && bn) {
        const double x = a.kind == Value::Kind::Integer ? static_cast<double>(a.integer) : a.real;
        const double y = b.kind == Value::Kind::Integer ? static_cast<double>(b.integer) : b.real;
        return std::abs(x - y) <= 1e-6 * std::max(std::abs(x), std::abs(y));
    }
    return a.kind == b.kind && a.text == b.text;  // NULL with NULL, text with the same text
}

// Depth-first over one-to-one maps from gold columns to predicted columns that `allowed` permits;
// true as soon as `accept` holds for a complete map (mapping[g] = predicted column of gold column g).
bool someColumnMapping(std::size_t columns, const std::vector<std::vector<bool>> &allowed,
                       const std::function<bool(const std::vector<std::size_t> &)> &accept) {
    std::vector<std::size_t> mapping(columns);
    std::vector<bool> used(columns, false);
    std::function<bool(std::size_t)> search = [&](std::size_t g) {
        if (g == columns) return accept(mapping);
        for (std::size_t p = 0; p < columns; ++p) {
            if (used[p] || !allowed[g][p]) continue;
            used[p] = true;
            mapping[g] = p;
            if (search(g + 1)) return true;
            used[p] = false;
        }
        return false;
    };
    return search(0);
}

bool rowsClose(const std::vector<Value> &g, const std::vector<Value> &p, const std::vector<std::size_t> &mapping) {
    for (std::size_t c = 0; c < g.size(); ++c)
        if (!closeEnough(g[c], p[mapping[c]])) return false;
    return true;
}

}  // namespace

bool relationalResultsMatchStrict(const QueryResult &gold, const QueryResult &pred, bool goldOrders) {
    if (gold.rows.empty() && pred.rows.empty()) return true;
    if (gold.rows.size() != pred.rows.size()) return false;
    const std::size_t C = gold.rows.front().size();
    if (pred.rows.front().size() != C) return false;
    // Columns that can correspond: their values, sorted, agree one by one within the tolerance.
    auto sortedValues = [](const QueryResult &r, std::size_t c) {
        std::vector<Value> v;
        for (const auto &row : r.rows) v.push_back(row[c]);
        std::sort(v.begin(), v.end(), [](const Value &a, const Value &b) {
            const auto num = [](const Value &x) {
                return x.kind == Value::Kind::Integer ? static_cast<double>(x.integer) : x.real;
            };
            const int ka = a.kind == Value::Kind::Text ? 2 : a.kind == Value::Kind::Null ? 0 : 1;
            const int kb = b.kind == Value::Kind::Text ? 2 : b.kind == Value::Kind::Null ? 0 : 1;
            if (ka != kb) return ka < kb;
            return ka == 1 ? num(a) < num(b) : a.text < b.text;
        });
        return v;
    };
    std::vector<std::vector<bool>> compatible(C, std::vector<bool>(C, false));
    for (std::size_t g = 0; g < C; ++g) {
        const auto gv = sortedValues(gold, g);
        for (std::size_t p = 0; p < C; ++p) {
            const auto pv = sortedValues(pred, p);
            bool same = true;
            for (std::size_t i = 0; i < gv.size() && same; ++i) same = closeEnough(gv[i], pv[i]);
            compatible[g][p] = same;
        }
    }
    return someColumnMapping(C, compatible, [&](const std::vector<std::size_t> &mapping) {
        if (goldOrders) {
            for (std::size_t r = 0; r < gold.rows.size(); ++r)
                if (!rowsClose(gold.rows[r], pred.rows[r], mapping)) return false;
            return true;
        }
        std::vector<bool> taken(pred.rows.size(), false);  // each gold row pairs with a distinct predicted row
        for (const auto &row : gold.rows) {
            bool found = false;
            for (std::size_t r = 0; r < pred.rows.size() && !found; ++r)
                if (!taken[r] && rowsClose(row, pred.rows[r], mapping)) taken[r] = found = true;
            if (!found) return false;
        }
        return true;
    });
}

bool excludedFromRelationalEx(const QueryResult &gold) {
    if (gold.rows.empty()) return true;
    for (const auto &row : gold.rows)
        for (const auto &v : row)
            if (v.kind == Value::Kind::Null) return true;
    return false;
}

bool relationalResultsMatch(const QueryResult &gold, const QueryResult &pred) {
    if (gold.rows.empty() && pred.rows.empty()) return true;
    if (gold.rows.size() != pred.rows.size()) return false;
    const std::size_t C = gold.rows.front().size();
    if (pred.rows.front().size() != C) return false;
    // Candidate predicted columns for each gold column: those holding the same multiset of values.
    std::vector<std::vector<bool>> candidates(C, std::vector<bool>(C, false));
    std::vector<std::vector<std::string>> predColumns;
    for (std::size_t p = 0; p < C; ++p) predColumns.push_back(sortedColumn(pred, p));
    for (std::size_t g = 0; g < C; ++g) {
        const auto gold_col = sortedColumn(gold, g);
        for (std::size_t p = 0; p < C; ++p) candidates[g][p] = predColumns[p] == gold_col;
        if (std::find(candidates[g].begin(), candidates[g].end(), true) == candidates[g].end()) return false;
    }
    std::vector<std::string> goldRows;
    for (const auto &row : gold.rows) {
        std::string k;
        for (const auto &v : row) k += key(v) + '\x1f';
        goldRows.push_back(std::move(k));
    }
    std::sort(goldRows.begin(), goldRows.end());
    // A permutation of the candidates under which the row multisets are equal.
    return someColumnMapping(C, candidates, [&](const std::vector<std::size_t> &mapping) {
        std::vector<std::string> rows;
        for (const auto &row : pred.rows) {
            std::string k;
            for (std::size_t c = 0; c < C; ++c) k += key(row[mapping[c]]) + '\x1f';
            rows.push_back(std::move(k));
        }
        std::sort(rows.begin(), rows.end());
        return rows == goldRows;
    });
}

bool ordersOutermostResult(const std::string &query) {
    // Words outside string literals, quoted names and comments, at bracket depth 0: an ORDER BY in a
    // subquery, a window (OVER (...)) or a list comprehension does not order what the query returns.
    int depth = 0;
    std::string previous, word;
    auto endWord = [&] {
        if (word.empty()) return false;
        std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
        const bool orderBy = previous == "order" && word == "by";
        previous = std::move(word);
        word.clear();
        return orderBy;
    };
    for (std::size_t i = 0; i < query.size(); ++i) {
        const char c = query[i];
        if (c == '\'' || c == '"' || c == '`') {  // a literal or quoted name: skip to its close (doubled or escaped)
            if (endWord() && depth == 0) return true;
            previous.clear();
            for (++i; i < query.size(); ++i) {
                if (query[i] == '\\') {
                    ++i;
                } else if (query[i] == c) {
                    if (i + 1 < query.size() && query[i + 1] == c)
                        ++i;
                    else
                        break;
                }
            }
            continue;
        }
        if (c == '-' && i + 1 < query.size() && query[i + 1] == '-') {  // a line comment separates words
            if (endWord() && depth == 0) return true;
            i = query.find('\n', i);
            if (i == std::string::npos) break;
            continue;
        }
        if (c == '/' && i + 1 < query.size() && query[i + 1] == '*') {
            if (endWord() && depth == 0) return true;
            i = query.find("*/", i + 2);
            if (i == std::string::npos) break;
            ++i;
            continue;
        }
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
            word += c;
            continue;
        }
        if (endWord() && depth == 0) return true;
        if (c == '(' || c == '[' || c == '{') ++depth;
        if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
        if (!std::isspace(static_cast<unsigned char>(c))) previous.clear();  // "ORDER, BY" is not the phrase
    }
    return endWord() && depth == 0;
}

bool ordersRows(const std::string &goldQuery, const std::string &predictedQuery) {
    return ordersOutermostResult(goldQuery) || ordersOutermostResult(predictedQuery);
}

bool graphResultsMatch(const QueryResult &gold, const QueryResult &pred, bool orderMatters) {
    if (gold.rows.size() != pred.rows.size()) return false;
    // Each row as the set of its values (keys as in Python's == and hash).
    auto rowSets = [](const QueryResult &r) {
        std::vector<std::vector<std::string>> out;
        for (const auto &row : r.rows) {
            std::vector<std::string> keys;
            for (const auto &v : row) keys.push_back(key(v));
            std::sort(keys.begin(), keys.end());
            keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
            out.push_back(std::move(keys));
        }
        return out;
    };
    auto a = rowSets(gold), b = rowSets(pred);
    if (!orderMatters) {  // similarity 1 needs some pairing of equal rows: equal multisets of rows
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
    }
    return a == b;
}

}  // namespace momq
