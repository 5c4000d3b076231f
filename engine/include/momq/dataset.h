// Dataset items and their JSONL form: {"id","dialect","db_id","question","query","evidence"?},
// one object per line. Bad lines are reported with file, line and field, never skipped silently.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace momq {

struct DatasetItem {
    std::string itemId;  // the item's own id in its source file
    std::string dialect, dbId, question, query, evidence;
    // Other gold queries that count as right ("alternatives" in JSONL): sql-eval's golds give column
    // choices and several statements; a prediction matching any gold scores.
    std::vector<std::string> alternatives;
};

struct ItemProblem {
    std::string file;
    int line = 0;  // 1-based; 0 when not tied to a line
    std::string itemId;
    std::string message;  // "dialect: ..." names the field

    std::string describe() const;  // "train.jsonl:12 (item q7): dialect: unknown dialect \"oracle\""
};

// Reads a JSONL file. Each malformed line goes to `onProblem` and is left out; the caller decides
// whether a problem stops the work. Throws only when the file cannot be read.
std::vector<DatasetItem> readDatasetJsonl(const std::string &path,
                                          const std::function<void(const ItemProblem &)> &onProblem);
// Items that carry their file line, for later per-item reports.
struct NumberedItem {
    DatasetItem item;
    int line = 0;
};
std::vector<NumberedItem> readNumberedDatasetJsonl(const std::string &path,
                                                   const std::function<void(const ItemProblem &)> &onProblem);

// A text corpus: JSONL of {"text": "..."} documents, one per line (blank lines skipped). The first
// bad line is a FormatError naming file and line ("corpus.jsonl:3: text: expected a string").
std::vector<std::string> readTextCorpusJsonl(const std::string &path);

}  // namespace momq
