// Scoring predictions against gold queries (spec Part 7): relational EX and EXEC by executing both
// on the real database, read-only; dialects without a configured database are scored by
// normalised exact match and labelled so in every report — never an EX that was not executed.
#pragma once

#include "momq/dataset.h"
#include "momq/execution.h"

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace momq {

// Which database answers a (db_id, dialect) pair. JSON:
// {"databases": [{"db_id": "shop", "dialect": "postgresql", "host": "127.0.0.1", "port": 5432,
//                 "database": "shop", "user": "me", "password_env": "PGPASSWORD"},
//                {"db_id": "shop", "dialect": "sqlite", "path": "shop.sqlite"},
//                {"db_id": "movies", "dialect": "cypher", "host": "127.0.0.1", "port": 6379, "graph": "movies"}]}
// "engine" defaults from the dialect (cypher: falkordb).
// Passwords come from "password_env" or an owner-only "password_file", never from the file itself.
struct DatabaseConfig {
    std::map<std::pair<std::string, std::string>, ConnectionSettings> databases;  // (db_id, dialect)
    const ConnectionSettings *find(const std::string &dbId, const std::string &dialect) const;
};
DatabaseConfig loadDatabaseConfig(const std::string &path);

// ResultTooLarge: gold and prediction both ran past the row cap, so they cannot be compared
// (left out of the denominators and counted apart, like a gold that fails).
enum class ItemStatus {
    Match,
    Mismatch,
    PredictionFailed,
    GoldExcluded,
    GoldFailed,
    ExactMatch,
    NoExactMatch,
    ResultTooLarge
};
const char *itemStatusName(ItemStatus status);
// FormatError naming the accepted values.
ItemStatus itemStatusFromName(const std::string &name);

struct ItemOutcome {
    std::string itemId, dialect, dbId, question, gold, prediction;
    ItemStatus status = ItemStatus::Mismatch;
    std::string error;                           // the prediction's (or the gold's) error message
    std::string goldPreview, predictionPreview;  // first rows as text
    std::string promptNote;                      // how the prompt was cut to fit, when it was
};

struct DialectScore {
    std::string method;  // "execution" or "exact match (no database configured)"
    int items = 0, valid = 0, failed = 0, matched = 0;
    int strictMatched = 0;  // relational: the stricter variant (order kept when the gold orders, 1e-6 tolerance)
    // Items outside `valid`, counted so that a report says what it left out
    int goldFailed = 0, goldExcluded = 0, tooLarge = 0;
    double ex() const { return valid ? 100.0 * matched / valid : 0.0; }
    double exStrict() const { return valid ? 100.0 * strictMatched / valid : 0.0; }
    double exec() const { return valid ? 100.0 * (valid - failed) / valid : 0.0; }
};

struct EvaluationReport {
    std::vector<ItemOutcome> items;
    std::map<std::string, DialectScore> dialects;
    std::string toJson() const;
    // The reader of toJson()'s form; errors name `source` and the field.
    static EvaluationReport fromJson(const std::string &text, const std::string &source);
    static EvaluationReport load(const std::string &path);
    std::string table() const;  // per dialect EX, EXEC, strict EX and the average, as the paper's Table 1
    // Says on each item how its prompt was cut to fit, from Predictions::promptNotes.
    void notePrompts(const std::map<std::string, std::string> &notes);
};

// Leaves out the first `offset` items of each dialect, then keeps the next `limit` (0: all).
std::vector<DatasetItem> selectPerDialect(std::vector<DatasetItem> items, int limit, int offset = 0);

// A model's own predictions for dataset items, greedy, each from the item's prompt with its
// schema (`schemaDir`/<db_id>.json).
struct PredictionOptions {
    std::string modelDir, adapterDir, schemaDir;
    std::string device = "cpu", dtype = "f32";
    int maxNewTokens = 256;
    bool constrainToSchema = true;  // QueryGenerator::Options::constrainToSchema
    // Above 1, with `databases`: execution-checked candidates (generateChecked) on the item's own
    // database, read-only within `execution`'s limits; items without one get the greedy query.
    int candidates = 1;
    const DatabaseConfig *databases = nullptr;
    ExecutionOptions execution;
    const std::atomic<bool> *cancel = nullptr;
    std::function<void(std::size_t done, std::size_t total)> onProgress;
};
struct Predictions {
    std::map<std::string, std::string> queries;      // item id -> query; none for a prompt that does not fit
    std::map<std::string, std::string> promptNotes;  // item id -> how its prompt was cut
    bool cancelled = false;                          // the rest are missing, scored as failures
};
Predictions predictQueries(const std::vector<DatasetItem> &items, const PredictionOptions &options);

// The predictions file: JSONL of {"id", "query"}.
std::map<std::string, std::string> readPredictions(const std::string &path);
// Whitespace outside string literals collapsed (inside '…', "…" and `…` it is kept as written),
// outer blanks and a trailing ';' dropped.
std::string normaliseQuery(const std::string &query);

EvaluationReport scorePredictions(const std::vector<DatasetItem> &items,
                                  const std::map<std::string, std::string> &predictions,
                                  const DatabaseConfig &databases, const ExecutionOptions &options = {});

}  // namespace momq
