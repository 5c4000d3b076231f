// The built-in multi-dialect benchmark: generated databases (relational and property-graph forms
// of the same data) and parallel items — one question with its MySQL, PostgreSQL, SQLite, Cypher
// and nGQL query — in English and Chinese. Test databases are disjoint from training databases.
//
// Layout written by synthesizeBenchmark(DIR):
//   DIR/train.jsonl, DIR/test.jsonl           items; ids "<split>-<db>-<n>-<lang>-<dialect>", the
//                                             part before the dialect names the parallel group
//   DIR/<split>.<subset>.jsonl                the same items by subset: "handwritten" (the six
//                                             domains; hospital and retail test), "procedural"
//   DIR/schemas/<db_id>.json                  relational "<domain>", graph "<domain>_graph"
//   DIR/sqlite/<domain>.sqlite                the SQLite databases (the sqlite dialect runs here)
//   DIR/load/<domain>.postgresql.sql, .mysql.sql, <domain>_graph.cypher, <domain>_graph.ngql
//                                             loading scripts, one statement per line
//   DIR/databases.json                        database config with the SQLite entries
//   DIR/manifest.json                         seed, databases per split, item counts
#pragma once

#include "momq/connection.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace momq {

struct SynthOptions {
    std::string outDir;
    std::uint64_t seed = 20240601;
    // Generated domains beside the six hand-written ones (subset "procedural"), drawn from word lists
    // that differ between the splits.
    int proceduralTrain = 0, proceduralTest = 0;
};

struct SynthSummary {
    std::map<std::string, int> trainItems, testItems;  // per dialect
    std::vector<std::string> trainDomains, testDomains;
};

// Deterministic for a seed: the same seed writes byte-identical files. Every gold query is run on
// the SQLite form while generating; items whose answer is empty, NULL, very long or (for averages)
// on a rounding tie are left out.
SynthSummary synthesizeBenchmark(const SynthOptions &options);

// Creates (or re-creates) every benchmark database on one server — a PostgreSQL or MariaDB database
// per domain, or a FalkorDB graph per graph domain — from DIR/load, and records them in the database
// config at `configPath` (merged with what it already lists; written atomically). `server.database`
// is the database to connect to first (PostgreSQL: "postgres" when empty). `passwordEnv`, when
// given and the server has a password, is written as the entries' "password_env"; the password
// itself never is.
// `onlySplit` ("train" or "test"), when given, loads that split's databases only.
// Returns the db_ids loaded.
// A SELECT-only account to create for the loaded databases (PostgreSQL: a login role in
// pg_read_all_data; MariaDB: SELECT and SHOW VIEW on each database), which the config then names
// instead of the loading account; its password is recorded as `passwordEnv` only.
struct ReaderAccount {
    std::string user, password, passwordEnv;
};
std::vector<std::string> loadBenchmarkDatabases(const std::string &benchmarkDir, const ConnectionSettings &server,
                                                const std::string &configPath, const std::string &passwordEnv = {},
                                                const ReaderAccount *reader = nullptr,
                                                const std::string &onlySplit = {});

// Text for tokenizer training and pre-training, from the training split only (never the test
// split): the training schemas in their prompt formats, the prompts of every `promptEvery`-th item
// (question and schema, without the answer), and every distinct question and query on its own.
// Written as JSONL {"text"} documents; returns how many.
int writePretrainingCorpus(const std::string &benchmarkDir, const std::string &outPath, int promptEvery = 8);

}  // namespace momq
