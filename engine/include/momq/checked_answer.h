// Execution-checked candidates: the beam's distinct queries, each run read-only on the user's
// database within the executor's limits; the first that runs and returns rows is kept, else the
// first that runs. When none runs, one more generation with the database's error in the prompt's
// evidence section (the paper's 【参考信息】), marked as a retry.
#pragma once

#include "momq/execution.h"
#include "momq/query_generator.h"

#include <optional>
#include <string>
#include <vector>

namespace momq {

struct CandidateOutcome {
    enum class Status { Chosen, Failed, EmptyResult, NotNeeded };
    std::string query;
    Status status = Status::NotNeeded;
    std::string message;  // the database's error, or why the candidate was passed over
    bool fromRetry = false;
};
const char *candidateStatusName(CandidateOutcome::Status status);

struct CheckedAnswer {
    QueryAnswer answer;  // the generation the kept query came from; answer.query is the kept query
    std::vector<CandidateOutcome> candidates;
    std::optional<QueryResult> result;  // the kept query's rows; empty when no candidate ran
    bool retried = false;               // a second generation was made with the error as evidence
    std::string retryEvidence;
};

// `candidates` beams (1: greedy); `options.numBeams` is set from it.
CheckedAnswer generateChecked(const QueryGenerator &generator, const QueryRequest &request,
                              QueryGenerator::Options options, int candidates, QueryExecutor &executor);

}  // namespace momq
