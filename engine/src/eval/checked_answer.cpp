#include "momq/checked_answer.h"

#include "momq/error.h"

#include <algorithm>

namespace momq {

const char *candidateStatusName(CandidateOutcome::Status status) {
    switch (status) {
    case CandidateOutcome::Status::Chosen: return "chosen";
    case CandidateOutcome::Status::Failed: return "failed";
    case CandidateOutcome::Status::EmptyResult: return "empty result";
    case CandidateOutcome::Status::NotNeeded: return "not needed";
    }
    return "?";
}

namespace {

// Runs the candidates of one generation in order until one returns rows; records each verdict.
// Returns the index (into out.candidates) of the best that ran, or -1.
int tryCandidates(const std::vector<std::string> &queries, bool fromRetry, QueryExecutor &executor,
                  CheckedAnswer &out) {
    int firstRan = -1;
    std::optional<QueryResult> firstRanResult;
    for (const auto &query : queries) {
        CandidateOutcome c{query, CandidateOutcome::Status::NotNeeded, {}, fromRetry};
        const bool settled = firstRan >= 0 && !firstRanResult->rows.empty();
        if (settled) {
            c.message = "an earlier candidate returned rows";
            out.candidates.push_back(std::move(c));
            continue;
        }
        try {
            auto result = executor.run(query);
            const int index = static_cast<int>(out.candidates.size());
            if (result.rows.empty()) {
                c.status = CandidateOutcome::Status::EmptyResult;
                c.message = "ran, returned no rows";
            }
            if (firstRan < 0 || (firstRanResult->rows.empty() && !result.rows.empty())) {
                if (firstRan >= 0) {
                    out.candidates[firstRan].status = CandidateOutcome::Status::EmptyResult;
                    out.candidates[firstRan].message = "ran, returned no rows; a later candidate returned rows";
                }
                firstRan = index;
                firstRanResult = std::move(result);
            }
        } catch (const Error &e) {
            c.status = CandidateOutcome::Status::Failed;
            c.message = e.what();
        }
        out.candidates.push_back(std::move(c));
    }
    if (firstRan >= 0) {
        out.candidates[firstRan].status = CandidateOutcome::Status::Chosen;
        out.candidates[firstRan].message.clear();
        out.result = std::move(firstRanResult);
    }
    return firstRan;
}

std::vector<std::string> queriesOf(const QueryAnswer &a) {
    std::vector<std::string> out;
    if (!a.fits) return out;
    out.push_back(a.query);
    for (const auto &q : a.alternatives)
        if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(q);
    std::erase_if(out, [](const std::string &q) { return q.empty(); });
    return out;
}

}  // namespace

CheckedAnswer generateChecked(const QueryGenerator &generator, const QueryRequest &request,
                              QueryGenerator::Options options, int candidates, QueryExecutor &executor) {
    if (candidates < 1) throw FormatError("candidates: must be at least 1, found " + std::to_string(candidates));
    options.numBeams = candidates;
    CheckedAnswer out;
    out.answer = generator.generate(request, options);
    if (!out.answer.fits) return out;
    const int chosen = tryCandidates(queriesOf(out.answer), false, executor, out);
    if (chosen >= 0) {
        out.answer.query = out.candidates[chosen].query;
        return out;
    }
    // Every candidate failed (or there were none): once more, told why the first one failed.
    const auto firstFailure = std::find_if(out.candidates.begin(), out.candidates.end(), [](const CandidateOutcome &c) {
        return c.status == CandidateOutcome::Status::Failed;
    });
    out.retried = true;
    out.retryEvidence = firstFailure == out.candidates.end()
                            ? "The previous answer held no query."
                            : "The previous query failed on the database. Query: " + firstFailure->query +
                                  " Error: " + firstFailure->message;
    QueryRequest again = request;
    again.evidence = request.evidence.empty() ? out.retryEvidence : request.evidence + "\n" + out.retryEvidence;
    const auto retry = generator.generate(again, options);
    const int retried = tryCandidates(queriesOf(retry), true, executor, out);
    if (retried >= 0) {
        out.answer = retry;
        out.answer.query = out.candidates[retried].query;
    }
    return out;
}

}  // namespace momq
