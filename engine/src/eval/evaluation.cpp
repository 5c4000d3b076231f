#include "momq/evaluation.h"

#include "momq/files.h"
#include "core/json_document.h"
#include "momq/dialect.h"
#include "momq/error.h"
#include "momq/secrets.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace momq {

using nlohmann::json;

const ConnectionSettings *DatabaseConfig::find(const std::string &dbId, const std::string &dialect) const {
    auto it = databases.find({dbId, dialect});
    return it == databases.end() ? nullptr : &it->second;
}

DatabaseConfig loadDatabaseConfig(const std::string &path) {
    const auto j = parseJsonObject(readTextFile(path), path);
    if (!j.contains("databases") || !j["databases"].is_array())
        throw FormatError(path + ": databases: missing or not an array");
    DatabaseConfig config;
    const auto base = std::filesystem::path(path).parent_path();
    for (std::size_t i = 0; i < j["databases"].size(); ++i) {
        const auto &d = j["databases"][i];
        const std::string where = path + ": databases[" + std::to_string(i) + "]";
        try {
            const std::string dbId = d.at("db_id").get<std::string>(), dialect = d.at("dialect").get<std::string>();
            ConnectionSettings s;
            const auto &info = dialectInfo(parseDialect(dialect));
            s.engine = engineFromName(d.value("engine", std::string(*info.engine ? info.engine : info.name)));
            if (s.engine == DatabaseEngine::SQLite) {
                const std::filesystem::path file = d.at("path").get<std::string>();
                s.path = (file.is_relative() ? base / file : file).string();
            } else {
                s.host = d.value("host", std::string("127.0.0.1"));
                s.port = d.value("port", 0);
                s.database = d.value(s.engine == DatabaseEngine::FalkorDB ? "graph" : "database", dbId);
                s.user = d.value("user", std::string());
                if (d.contains("password_env"))
                    s.password = readSecretFromEnvironment(d["password_env"].get<std::string>());
                else if (d.contains("password_file"))
                    s.password = readSecretFromFile(d["password_file"].get<std::string>());
                if (d.contains("password"))
                    throw FormatError("password: not allowed here; use password_env or password_file");
            }
            if (!config.databases.emplace(std::pair{dbId, dialect}, s).second)
                throw FormatError("db_id " + dbId + " is listed twice for " + dialect);
        } catch (const json::exception &e) {
            throw FormatError(where + ": " + e.what());
        } catch (...) {
            rethrowWithContext(where);
        }
    }
    return config;
}

const char *itemStatusName(ItemStatus s) {
    switch (s) {
    case ItemStatus::Match: return "match";
    case ItemStatus::Mismatch: return "mismatch";
    case ItemStatus::PredictionFailed: return "prediction_failed";
    case ItemStatus::GoldExcluded: return "gold_excluded";
    case ItemStatus::GoldFailed: return "gold_failed";
    case ItemStatus::ExactMatch: return "exact_match";
    case ItemStatus::NoExactMatch: return "no_exact_match";
    case ItemStatus::ResultTooLarge: return "result_too_large";
    }
    return "?";
}

ItemStatus itemStatusFromName(const std::string &name) {
    for (auto s :
         {ItemStatus::Match, ItemStatus::Mismatch, ItemStatus::PredictionFailed, ItemStatus::GoldExcluded,
          ItemStatus::GoldFailed, ItemStatus::ExactMatch, ItemStatus::NoExactMatch, ItemStatus::ResultTooLarge})
        if (name == itemStatusName(s)) return s;
    throw FormatError("unknown item status \"" + name +
                      "\" (expected match, mismatch, prediction_failed, gold_excluded, gold_failed, exact_match, "
                      "no_exact_match or result_too_large)");
}

std::map<std::string, std::string> readPredictions(const std::string &path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot open file for reading");
    std::map<std::string, std::string> out;
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
        if (line == 1) dropByteOrderMark(text);
        if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = path + ":" + std::to_string(line);
        json j;
        try {
            j = parseJson(text, "");
            const std::string id =
                j.at("id").is_string() ? j["id"].get<std::string>() : std::to_string(j["id"].get<long long>());
            if (!out.emplace(id, j.at("query").get<std::string>()).second)
                throw FormatError("id " + id + " appears twice");
        } catch (const json::exception &e) {
            throw FormatError(where + ": " + e.what());
        } catch (const FormatError &e) {
            throw FormatError(where + ": " + e.what());
        }
    }
    return out;
}

std::string normaliseQuery(const std::string &query) {
    std::string out;
    bool space = false;
    char quote = 0;  // inside '...', "..." or `...`: kept byte for byte (a backslash escapes the next byte)
    for (std::size_t i = 0; i < query.size(); ++i) {
        const char c = query[i];
        if (quote) {
            out += c;
            if (c == '\\' && i + 1 < query.size())
                out += query[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
        if (c == '\'' || c == '"' || c == '`') quote = c;
    }
    while (!out.empty() && !quote && (out.back() == ';' || out.back() == ' ')) out.pop_back();
    return out;
}

namespace {

std::string preview(const QueryResult &r, std::size_t rows = 5) {
    std::string out;
    for (std::size_t i = 0; i < std::min(rows, r.rows.size()); ++i) {
        out += "(";
        for (std::size_t c = 0; c < r.rows[i].size(); ++c) out += (c ? ", " : "") + r.rows[i][c].display();
        out += ")\n";
    }
    if (r.rows.size() > rows) out += "… " + std::to_string(r.rows.size()) + " rows\n";
    return out;
}

// The item's gold queries (its query, then its alternatives) that ran, with their results; the
// first gold error when none ran.
struct Golds {
    std::vector<std::pair<std::string, QueryResult>> ran;
    std::string firstError;
};
Golds runGolds(QueryExecutor &executor, const DatasetItem &item) {
    Golds golds;
    std::vector<std::string> queries = {item.query};
    queries.insert(queries.end(), item.alternatives.begin(), item.alternatives.end());
    for (const auto &q : queries) {
        try {
            golds.ran.emplace_back(q, executor.run(q));
        } catch (const std::exception &e) {
            if (golds.firstError.empty()) golds.firstError = std::string("gold query: ") + e.what();
        }
    }
    return golds;
}

// The prediction's result against the golds' (a match with any of them counts). A result stopped at
// the row cap is incomplete: against a complete one it has more rows, so the two differ; when the
// prediction and every gold stopped, what lies beyond is unknown and the item is not scored
// (result_too_large, counted apart). `matches` compares one gold (its query, its result).
void compareWithGolds(const Golds &golds, const QueryResult &predicted, ItemOutcome &o, DialectScore &score,
                      const ExecutionOptions &options,
                      const std::function<bool(const std::string &, const QueryResult &)> &matches,
                      const std::function<bool(const std::string &, const QueryResult &)> &strictlyMatches = {}) {
    const std::string cap = std::to_string(options.rowCap) + " rows (the row cap)";
    const bool everyGoldTooLarge =
        std::all_of(golds.ran.begin(), golds.ran.end(), [](const auto &g) { return g.second.truncated; });
    if (predicted.truncated && everyGoldTooLarge) {
        o.status = ItemStatus::ResultTooLarge;
        o.error = "result too large: gold and prediction both return more than " + cap + ", so they were not compared";
        ++score.tooLarge;
        return;
    }
    ++score.valid;
    bool matched = false, strict = false;
    for (const auto &[query, result] : golds.ran) {
        if (result.truncated || predicted.truncated) continue;  // more rows on one side
        matched = matched || matches(query, result);
        strict = strict || (strictlyMatches && strictlyMatches(query, result));
    }
    o.status = matched ? ItemStatus::Match : ItemStatus::Mismatch;
    if (!matched && (predicted.truncated || everyGoldTooLarge))
        o.error = std::string(predicted.truncated ? "the prediction" : "the gold") + " returns more than " + cap +
                  ", the other fewer";
    score.matched += matched;
    score.strictMatched += strict;
}

// Graph EX (spec 7.4): every item counts; a gold query that fails scores the item 0.
void scoreGraphItem(QueryExecutor &executor, const DatasetItem &item, ItemOutcome &o, DialectScore &score,
                    const ExecutionOptions &options) {
    const auto golds = runGolds(executor, item);
    if (golds.ran.empty()) {
        o.error = golds.firstError;
        ++score.goldFailed;
    } else {
        o.goldPreview = preview(golds.ran.front().second);
    }
    QueryResult predicted;
    try {
        predicted = executor.run(o.prediction);
        o.predictionPreview = preview(predicted);
    } catch (const std::exception &e) {
        o.status = ItemStatus::PredictionFailed;
        o.error = e.what();
        ++score.valid;
        ++score.failed;
        return;
    }
    if (golds.ran.empty()) {
        ++score.valid;
        o.status = ItemStatus::Mismatch;
        return;
    }
    compareWithGolds(golds, predicted, o, score, options, [&](const std::string &query, const QueryResult &gold) {
        return graphResultsMatch(gold, predicted, ordersRows(query, o.prediction));
    });
}

}  // namespace

EvaluationReport scorePredictions(const std::vector<DatasetItem> &items,
                                  const std::map<std::string, std::string> &predictions,
                                  const DatabaseConfig &databases, const ExecutionOptions &options) {
    EvaluationReport report;
    std::map<std::pair<std::string, std::string>, std::unique_ptr<QueryExecutor>> executors;
    for (const auto &item : items) {
        ItemOutcome o{item.itemId, item.dialect, item.dbId, item.question, item.query, "", ItemStatus::Mismatch, "",
                      "",          "",           ""};
        auto p = predictions.find(item.itemId);
        o.prediction = p == predictions.end() ? std::string() : p->second;
        const auto &dialect = dialectInfo(parseDialect(item.dialect));
        const ConnectionSettings *db = *dialect.engine ? databases.find(item.dbId, item.dialect) : nullptr;
        DialectScore &score = report.dialects[item.dialect];
        ++score.items;
        if (!db && *dialect.engine)
            for (const auto &[key, settings] : databases.databases)
                if (key.second == item.dialect)  // the config has this dialect's databases, but not this one
                    throw FormatError(item.itemId + ": db_id " + shortQuoted(item.dbId) + " has no " + item.dialect +
                                      " database in the database config, which lists other " + item.dialect +
                                      " databases (add it, or list no " + item.dialect +
                                      " database to score the dialect by exact match)");
        if (!db) {
            score.method = "exact match (no database configured)";
            ++score.valid;
            const auto prediction = normaliseQuery(o.prediction);
            bool same = prediction == normaliseQuery(item.query);
            for (const auto &alternative : item.alternatives) same = same || prediction == normaliseQuery(alternative);
            o.status = same ? ItemStatus::ExactMatch : ItemStatus::NoExactMatch;
            score.matched += same;
            report.items.push_back(std::move(o));
            continue;
        }
        score.method = "execution";
        auto &executor = executors[{item.dbId, item.dialect}];
        if (dialect.graph) {
            try {
                if (!executor) executor = openExecutor(*db, options);
                scoreGraphItem(*executor, item, o, score, options);
            } catch (const std::exception &e) {  // the database itself is unreachable
                ++score.valid;
                ++score.failed;
                o.status = ItemStatus::PredictionFailed;
                o.error = e.what();
            }
            report.items.push_back(std::move(o));
            continue;
        }
        Golds golds;
        try {
            if (!executor) executor = openExecutor(*db, options);
            golds = runGolds(*executor, item);
        } catch (const std::exception &e) {  // the database itself is unreachable
            golds.firstError = std::string("gold query: ") + e.what();
        }
        if (golds.ran.empty()) {
            o.status = ItemStatus::GoldFailed;  // left out of every denominator, as the reference does
            o.error = golds.firstError;
            ++score.goldFailed;
            report.items.push_back(std::move(o));
            continue;
        }
        o.goldPreview = preview(golds.ran.front().second);
        // Golds whose result is empty or holds a NULL leave the item out (spec 7.3), if all of them do.
        std::erase_if(golds.ran, [](const auto &g) { return excludedFromRelationalEx(g.second); });
        if (golds.ran.empty()) {
            o.status = ItemStatus::GoldExcluded;
            ++score.goldExcluded;
            report.items.push_back(std::move(o));
            continue;
        }
        try {
            const auto predicted = executor->run(o.prediction);
            o.predictionPreview = preview(predicted);
            compareWithGolds(
                golds, predicted, o, score, options,
                [&](const std::string &, const QueryResult &gold) { return relationalResultsMatch(gold, predicted); },
                [&](const std::string &query, const QueryResult &gold) {
                    return relationalResultsMatchStrict(gold, predicted, ordersOutermostResult(query));
                });
        } catch (const std::exception &e) {
            o.status = ItemStatus::PredictionFailed;  // refused, timed out or failed: not executable
            o.error = e.what();
            ++score.valid;
            ++score.failed;
        }
        report.items.push_back(std::move(o));
    }
    // An item the predictions leave out is scored as a failure, and says why.
    for (auto &o : report.items)
        if (!predictions.count(o.itemId) && o.status != ItemStatus::GoldFailed &&
            o.status != ItemStatus::GoldExcluded && o.status != ItemStatus::ResultTooLarge)
            o.error = "no prediction for this item" + (o.error.empty() ? std::string() : " (" + o.error + ")");
    return report;
}

std::string EvaluationReport::toJson() const {
    json out = {{"dialects", json::object()}, {"items", json::array()}};
    for (const auto &[dialect, s] : dialects)
        out["dialects"][dialect] = {{"method", s.method},
                                    {"items", s.items},
                                    {"valid", s.valid},
                                    {"matched", s.matched},
                                    {"failed", s.failed},
                                    {"strict_matched", s.strictMatched},
                                    {"ex", s.ex()},
                                    {"exec", s.exec()},
                                    {"ex_strict", s.exStrict()},
                                    {"gold_failed", s.goldFailed},
                                    {"gold_excluded", s.goldExcluded},
                                    {"result_too_large", s.tooLarge}};
    for (const auto &o : items)
        out["items"].push_back({{"id", o.itemId},
                                {"dialect", o.dialect},
                                {"db_id", o.dbId},
                                {"question", o.question},
                                {"gold", o.gold},
                                {"prediction", o.prediction},
                                {"status", itemStatusName(o.status)},
                                {"error", o.error},
                                {"gold_preview", o.goldPreview},
                                {"prediction_preview", o.predictionPreview},
                                {"prompt_note", o.promptNote}});
    // Rows and messages come from servers: a byte that is not UTF-8 becomes U+FFFD, not an abort.
    return out.dump(2, ' ', false, json::error_handler_t::replace);
}

EvaluationReport EvaluationReport::fromJson(const std::string &text, const std::string &source) {
    const auto j = parseJsonObject(text, source);
    if (!j.contains("dialects") || !j["dialects"].is_object() || !j.contains("items") || !j["items"].is_array())
        throw FormatError(source + ": not an evaluation report (expected \"dialects\" and \"items\")");
    EvaluationReport report;
    std::string where;
    try {
        for (const auto &[dialect, d] : j["dialects"].items()) {
            where = "dialects." + dialect;
            DialectScore s;
            s.method = d.at("method").get<std::string>();
            s.items = d.at("items").get<int>();
            s.valid = d.at("valid").get<int>();
            s.matched = d.at("matched").get<int>();
            s.failed = d.at("failed").get<int>();
            // reports written before strict_matched was stored give the share only
            s.strictMatched = d.contains("strict_matched")
                                  ? d["strict_matched"].get<int>()
                                  : static_cast<int>(std::lround(d.value("ex_strict", 0.0) * s.valid / 100.0));
            s.goldFailed = d.value("gold_failed", 0);
            s.goldExcluded = d.value("gold_excluded", 0);
            s.tooLarge = d.value("result_too_large", 0);
            report.dialects[dialect] = s;
        }
        for (std::size_t i = 0; i < j["items"].size(); ++i) {
            where = "items[" + std::to_string(i) + "]";
            const auto &o = j["items"][i];
            ItemOutcome item;
            item.itemId = o.at("id").get<std::string>();
            item.dialect = o.at("dialect").get<std::string>();
            item.dbId = o.value("db_id", std::string());
            item.question = o.value("question", std::string());
            item.gold = o.value("gold", std::string());
            item.prediction = o.value("prediction", std::string());
            item.status = itemStatusFromName(o.at("status").get<std::string>());
            item.error = o.value("error", std::string());
            item.goldPreview = o.value("gold_preview", std::string());
            item.predictionPreview = o.value("prediction_preview", std::string());
            item.promptNote = o.value("prompt_note", std::string());
            report.items.push_back(std::move(item));
        }
    } catch (const json::exception &e) {
        throw FormatError(source + ": " + where + ": " + e.what());
    } catch (const FormatError &e) {
        throw FormatError(source + ": " + where + ": " + e.what());
    }
    return report;
}

EvaluationReport EvaluationReport::load(const std::string &path) { return fromJson(readTextFile(path), path); }

void EvaluationReport::notePrompts(const std::map<std::string, std::string> &notes) {
    for (auto &outcome : items)
        if (const auto note = notes.find(outcome.itemId); note != notes.end()) outcome.promptNote = note->second;
}

std::string EvaluationReport::table() const {
    std::ostringstream t;
    t << std::fixed << std::setprecision(2);
    t << "| dialect | items | EX | EXEC | EX strict | scored by |\n| --- | --- | --- | --- | --- | --- |\n";
    double exSum = 0, execSum = 0;
    int executed = 0;
    for (const auto &[dialect, s] : dialects) {
        const bool byExecution = s.method == "execution";
        const bool relational = !dialectInfo(parseDialect(dialect)).graph;
        t << "| " << dialect << " | " << s.items << " | " << s.ex() << " | ";
        if (byExecution)
            t << s.exec();
        else
            t << "n/a";
        t << " | ";
        if (byExecution && relational)
            t << s.exStrict();
        else
            t << "n/a";
        t << " | " << s.method << " |\n";
        exSum += s.ex();
        if (byExecution) {
            execSum += s.exec();
            ++executed;
        }
    }
    if (!dialects.empty())
        t << "| average | | " << exSum / static_cast<double>(dialects.size()) << " | "
          << (executed ? execSum / executed : 0.0) << " | | |\n";
    // Items whose gold could not score the model, said under the table rather than hidden in the items
    std::string leftOut;
    for (const auto &[dialect, s] : dialects) {
        std::string parts;
        auto add = [&](int n, const char *what) {
            if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
        };
        const bool graph = dialectInfo(parseDialect(dialect)).graph;
        add(s.goldFailed, graph ? "gold failed (scored 0, spec 7.4)" : "gold failed (left out)");
        add(s.goldExcluded, "gold empty or NULL (left out, spec 7.3)");
        add(s.tooLarge, "results too large to compare (left out)");
        if (!parts.empty()) leftOut += (leftOut.empty() ? "" : "; ") + dialect + ": " + parts;
    }
    if (!leftOut.empty()) t << "\nGold problems: " << leftOut << "\n";
    return t.str();
}

}  // namespace momq
