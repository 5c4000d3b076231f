// ask: the main job without a window — a question about one of the project's databases, the
// query of each dialect, and (with --run) its rows, read-only. demo: the same over the embedded
// default project, a handful of its test questions.
#include "../commands.h"

#include "momq/checked_answer.h"
#include "momq/dataset.h"
#include "momq/demo_project.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/compute.h"
#include "momq/execution.h"
#include "momq/query_check.h"
#include "momq/query_generator.h"
#include "momq/secrets.h"
#include "momq/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

namespace cli {

namespace {

using nlohmann::json;

struct AskOptions {
    std::string projectPath, dbId, question, evidence, model, adapter, passwordEnv = "MOMQ_DB_PASSWORD";
    std::vector<std::string> dialects{"all"};
    int maxNew = 128, timeoutMs = 10000, rowCap = 20, candidates = 1;
    bool run = false, asJson = false, unconstrained = false;
    std::string demoDir;
    int demoQuestions = 3;
};

std::vector<momq::Dialect> chosenDialects(const std::vector<std::string> &names) {
    std::vector<momq::Dialect> out;
    for (const auto &name : names) {
        if (name == "all") {
            for (const auto &d : momq::dialects()) out.push_back(d.dialect);
            continue;
        }
        out.push_back(momq::parseDialect(name));
    }
    return out;
}

// The model a project answers with: --model (and --adapter) when given, else the project's first
// model with the adapter of its first finished run.
momq::QueryGenerator projectGenerator(const momq::ProjectStore &store, const AskOptions &o) {
    if (!o.model.empty()) return momq::QueryGenerator::load(o.model, {"auto", "auto"}, o.adapter);
    const auto models = store.models();
    if (models.empty()) throw momq::Error(store.path() + ": the project has no model; give --model DIR");
    std::string adapter;
    for (const auto &run : store.trainingRuns())
        if (run.modelId == models.front().id && run.status == momq::RunStatus::Finished &&
            std::filesystem::exists(run.runDir + "/adapter/adapter_config.json")) {
            adapter = run.runDir + "/adapter";
            break;
        }
    return momq::QueryGenerator::load(models.front().path, {"auto", "auto"}, adapter);
}

std::string resultTable(const momq::QueryResult &r) {
    std::ostringstream out;
    for (std::size_t c = 0; c < r.columns.size(); ++c) out << (c ? " | " : "") << r.columns[c];
    out << "\n";
    for (const auto &row : r.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) out << (c ? " | " : "") << row[c].display();
        out << "\n";
    }
    out << "(" << r.rows.size() << (r.truncated ? "+" : "") << " rows)";
    return out.str();
}

json resultJson(const momq::QueryResult &r) {
    json rows = json::array();
    for (const auto &row : r.rows) {
        json values = json::array();
        for (const auto &v : row) {
            switch (v.kind) {
            case momq::Value::Kind::Null: values.push_back(nullptr); break;
            case momq::Value::Kind::Integer: values.push_back(v.integer); break;
            case momq::Value::Kind::Real: values.push_back(v.real); break;
            case momq::Value::Kind::Text: values.push_back(v.text); break;
            }
        }
        rows.push_back(std::move(values));
    }
    return {{"columns", r.columns}, {"rows", rows}, {"truncated", r.truncated}};
}

// One question over one database in every chosen dialect; text or JSON on stdout.
json ask(const momq::ProjectStore &store, const momq::QueryGenerator &generator, const AskOptions &o,
         const std::string &dbId, const std::string &question) {
    json answers = json::array();
    if (!o.asJson) std::cout << "Question: " << question << "  [" << dbId << "]\n";
    const auto dialects = chosenDialects(o.dialects);
    momq::QueryGenerator::Options g;
    g.maxNewTokens = o.maxNew;
    g.constrainToSchema = !o.unconstrained;
    if (o.candidates > 1) g.numBeams = o.candidates;  // without --run, the other beams are listed
    for (const auto dialect : dialects) {
        const std::string name = momq::dialectName(dialect);
        json answer = {{"dialect", name}};
        const auto record = store.schemaFor(dbId, dialect);
        if (!record) {
            answer["error"] = "the project has no " +
                              std::string(momq::dialectInfo(dialect).graph ? "graph" : "relational") + " schema for " +
                              dbId;
            if (!o.asJson) std::cout << "\n" << name << ": " << answer["error"].get<std::string>() << "\n";
            answers.push_back(std::move(answer));
            continue;
        }
        const momq::QueryRequest request{dialect, question, &record->schema, o.evidence};
        // With --run: the database to check candidates on, when the schema has a usable connection.
        std::unique_ptr<momq::QueryExecutor> executor;
        if (o.run) {
            auto connection = store.connectionOf(*record);
            if (!connection) {
                answer["run_error"] = "no database connection for " + record->schema.dbId;
            } else if (momq::dialectOf(connection->settings.engine) != dialect) {
                answer["run_error"] = std::string("its connection is ") +
                                      momq::engineName(connection->settings.engine) + ", which runs " +
                                      momq::dialectName(momq::dialectOf(connection->settings.engine)) + " queries";
            } else {
                try {
                    auto settings = connection->settings;
                    if (!connection->secretKey.empty() && std::getenv(o.passwordEnv.c_str()))
                        settings.password = momq::readSecretFromEnvironment(o.passwordEnv);
                    executor = momq::openExecutor(settings, {o.timeoutMs, o.rowCap});
                    if (const auto warning = executor->accountWarning(); !warning.empty()) {
                        answer["account_warning"] = warning;
                        std::cerr << "momq: warning: " << warning << "\n";
                    }
                } catch (const std::exception &e) {
                    answer["run_error"] = e.what();
                }
            }
        }
        std::optional<momq::CheckedAnswer> checked;
        if (executor) checked = momq::generateChecked(generator, request, g, o.candidates, *executor);
        const auto r = checked ? checked->answer : generator.generate(request, g);
        answer["prompt_tokens"] = r.promptTokens;
        if (!r.promptNote.empty()) answer["prompt_note"] = r.promptNote;
        if (!r.fits)
            answer["error"] = "the prompt does not fit the model's context";
        else
            answer["query"] = r.query;
        const auto check =
            r.fits ? momq::checkQuery(dialect, r.query, record->schema, executor.get()) : momq::QueryCheck{};
        answer["check"] = {
            {"verdict", momq::verdictName(check.verdict)}, {"by", check.checkedBy}, {"message", check.message}};
        if (!o.asJson) {
            std::cout << "\n"
                      << name << " (" << r.promptTokens << " prompt tokens):\n"
                      << (r.fits ? r.query : "—") << "\n";
            if (check.verdict == momq::QueryCheck::Verdict::Invalid)
                std::cout << "(check: invalid — " << check.message << "; " << check.checkedBy << ")\n";
        }
        if (!checked && !r.alternatives.empty()) answer["alternatives"] = r.alternatives;
        if (checked) {
            json candidates = json::array();
            for (const auto &c : checked->candidates) {
                candidates.push_back({{"query", c.query},
                                      {"status", momq::candidateStatusName(c.status)},
                                      {"message", c.message},
                                      {"from_retry", c.fromRetry}});
                if (!o.asJson && c.status != momq::CandidateOutcome::Status::Chosen &&
                    (checked->candidates.size() > 1 || checked->retried))
                    std::cout << "  " << (c.fromRetry ? "retry " : "") << "candidate "
                              << momq::candidateStatusName(c.status) << ": " << c.query
                              << (c.message.empty() ? "" : "  (" + c.message + ")") << "\n";
            }
            answer["candidates"] = candidates;
            if (checked->retried) answer["retry_evidence"] = checked->retryEvidence;
            if (checked->result) {
                answer["result"] = resultJson(*checked->result);
                if (!o.asJson)
                    std::cout << (checked->retried ? "(after a retry with the database's error)\n" : "")
                              << resultTable(*checked->result) << "\n";
            } else if (r.fits) {
                answer["run_error"] =
                    checked->candidates.empty() ? "no query to run" : checked->candidates.front().message;
            }
        }
        if (!o.asJson && answer.contains("run_error"))
            std::cout << "(not run: " << answer["run_error"].get<std::string>() << ")\n";
        answers.push_back(std::move(answer));
    }
    return {{"db_id", dbId}, {"question", question}, {"answers", answers}};
}

void addModelOptions(CLI::App *cmd, AskOptions &o) {
    cmd->add_option("--model", o.model, "model folder (default: the project's model)");
    cmd->add_option("--adapter", o.adapter, "adapter folder for --model");
    cmd->add_option("--dialects", o.dialects, "all, or some of mysql,postgresql,sqlite,cypher,ngql")
        ->delimiter(',')
        ->capture_default_str();
    cmd->add_option("--max-new-tokens", o.maxNew, "longest query")->check(CLI::PositiveNumber)->capture_default_str();
    cmd->add_flag("--json", o.asJson, "print JSON instead of text");
    cmd->add_flag("--no-constraint", o.unconstrained,
                  "decode freely: without the dialect's grammar and the schema's names");
}

struct BenchAskOptions {
    std::string model, adapter, schema, graphSchema, question = "How many rows does the first table have?", out;
    int runs = 3, maxNew = 48;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// All five dialects of one question: one batch against five generations one after another, and
// the schema constraint's cost per decoded token (constraint on against off, same token counts).
void benchAsk(const BenchAskOptions &o) {
    const auto generator = momq::QueryGenerator::load(o.model, {"cpu", "f32"}, o.adapter);
    const auto relational = momq::loadSchemaFile(o.schema), graph = momq::loadSchemaFile(o.graphSchema);
    std::vector<momq::QueryRequest> requests;
    for (const auto &d : momq::dialects())
        requests.push_back({d.dialect, o.question, d.graph ? &graph : &relational, {}});
    momq::QueryGenerator::Options on, off;
    on.maxNewTokens = off.maxNewTokens = o.maxNew;
    off.constrainToSchema = false;
    auto wall = [](auto &&f) {
        const auto start = std::chrono::steady_clock::now();
        f();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    std::vector<double> sequential, batch, single, perTokenOn, perTokenOff;
    int promptTokens = 0, tokensOn = 0, tokensOff = 0;
    for (int run = 0; run <= o.runs; ++run) {  // run 0 warms up
        double seq = 0;
        for (const auto &r : requests) {
            const double t = wall([&] { promptTokens = generator.generate(r, on).promptTokens; });
            seq += t;
            if (r.dialect == momq::Dialect::MySQL && run) single.push_back(t);
        }
        const double b = wall([&] { generator.generateBatch(requests, on); });
        const auto withConstraint = generator.generate(requests[0], on);
        const auto without = generator.generate(requests[0], off);
        tokensOn = withConstraint.generatedTokens;
        tokensOff = without.generatedTokens;
        if (!run) continue;
        sequential.push_back(seq);
        batch.push_back(b);
        perTokenOn.push_back(withConstraint.decodeSeconds / std::max(1, tokensOn - 1));
        perTokenOff.push_back(without.decodeSeconds / std::max(1, tokensOff - 1));
    }
    const auto info = momq::computeInfo();
    const json out = {{"command", "momq bench ask"},
                      {"model", o.model},
                      {"parameters", generator.model().parameterCount()},
                      {"vocabulary", generator.tokenizer()->vocabSize()},
                      {"threads", info.cpuThreads},
                      {"prompt_tokens_mysql", promptTokens},
                      {"max_new_tokens", o.maxNew},
                      {"runs", o.runs},
                      {"one_dialect_seconds", median(single)},
                      {"five_sequential_seconds", median(sequential)},
                      {"five_batched_seconds", median(batch)},
                      {"batched_over_one_dialect", median(batch) / median(single)},
                      {"decode_seconds_per_token_constrained", median(perTokenOn)},
                      {"decode_seconds_per_token_unconstrained", median(perTokenOff)},
                      {"constraint_cost", median(perTokenOn) / median(perTokenOff) - 1},
                      {"tokens_constrained", tokensOn},
                      {"tokens_unconstrained", tokensOff}};
    std::cout << out.dump(2) << "\n";
    if (!o.out.empty()) momq::writeFileAtomically(o.out, out.dump(2) + "\n");
}

}  // namespace

void addAskCommand(CLI::App &app, Commands &commands) {
    auto o = std::make_shared<AskOptions>();
    auto b = std::make_shared<BenchAskOptions>();
    auto *benchAskCmd = app.get_subcommand("bench")->add_subcommand(
        "ask", "five dialects of one question: one batch against one by one, and the schema constraint's cost");
    benchAskCmd->add_option("--model", b->model, "model folder (with tokenizer.json)")->required();
    benchAskCmd->add_option("--adapter", b->adapter, "adapter folder");
    benchAskCmd->add_option("--schema", b->schema, "relational schema JSON")->required();
    benchAskCmd->add_option("--graph-schema", b->graphSchema, "graph schema JSON (Cypher, nGQL)")->required();
    benchAskCmd->add_option("--question", b->question, "the question")->capture_default_str();
    benchAskCmd->add_option("--runs", b->runs, "timed runs after one warm-up; medians")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    benchAskCmd->add_option("--max-new-tokens", b->maxNew, "tokens per query")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    benchAskCmd->add_option("--out", b->out, "also write the JSON here");
    commands.add(benchAskCmd, [b] { benchAsk(*b); });
    // db query: one query, read-only, on a database named on the command line
    struct QueryOptions {
        ConnectionOptions conn;
        std::string query;
        int rowCap = 20, timeoutMs = 10000;
        bool asJson = false;
    };
    auto q = std::make_shared<QueryOptions>();
    auto *dbQuery = app.get_subcommand("db")->add_subcommand("query", "run one query read-only and print its rows");
    q->conn.addTo(dbQuery);
    dbQuery->add_option("--query", q->query, "the query")->required();
    dbQuery->add_option("--row-cap", q->rowCap, "most rows read")->check(CLI::PositiveNumber)->capture_default_str();
    dbQuery->add_option("--timeout-ms", q->timeoutMs, "time limit")->check(CLI::PositiveNumber)->capture_default_str();
    dbQuery->add_flag("--json", q->asJson, "print JSON instead of a table");
    commands.add(dbQuery, [q] {
        const auto result = momq::openExecutor(q->conn.settings(), {q->timeoutMs, q->rowCap})->run(q->query);
        if (q->asJson)
            std::cout << resultJson(result).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
        else
            std::cout << resultTable(result) << "\n";
    });

    auto *askCmd =
        app.add_subcommand("ask", "write the query of each dialect for a question about one of a project's databases");
    askCmd->add_option("--project", o->projectPath, "project file")->required();
    askCmd->add_option("--db", o->dbId, "db_id of the database asked about")->required();
    askCmd->add_option("--question", o->question, "the question")->required();
    askCmd->add_option("--evidence", o->evidence, "extra knowledge for the prompt's 参考信息 section");
    addModelOptions(askCmd, *o);
    askCmd->add_flag("--run", o->run, "run each query on the database's connection (read-only) and show its rows");
    askCmd
        ->add_option("--candidates", o->candidates,
                     "beams to generate; with --run each is run read-only and the first that returns rows is kept, "
                     "and when none runs the model tries once more with the database's error")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    askCmd->add_option("--row-cap", o->rowCap, "most rows shown per result")->capture_default_str();
    askCmd->add_option("--timeout-ms", o->timeoutMs, "time limit per query")->capture_default_str();
    askCmd->add_option("--password-env", o->passwordEnv, "environment variable with the connection's password")
        ->capture_default_str();
    commands.add(askCmd, [o] {
        const auto store = momq::ProjectStore::open(o->projectPath);
        const auto generator = projectGenerator(store, *o);
        const auto out = ask(store, generator, *o, o->dbId, o->question);
        if (o->asJson) std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    });

    auto *demo = app.add_subcommand(
        "demo", "ask the embedded default project a few of its test questions (what momq-studio does, headless)");
    demo->add_option("--dir", o->demoDir,
                     "where the demo project lives (default: the app's, ~/.local/share/MoMQ/momq-studio/demo)");
    demo->add_option("--questions", o->demoQuestions, "how many questions")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    addModelOptions(demo, *o);
    commands.add(demo, [o] {
        const auto dir = o->demoDir.empty() ? momq::defaultDemoProjectDir() : o->demoDir;
        const auto store = momq::openDemoProject(dir, momq::findResourceDir());
        std::cerr << "momq: running headless: asking the default project that momq-studio opens on first launch\n";
        o->run = true;
        const auto generator = projectGenerator(store, *o);
        // English test questions of different databases, from the project's own benchmark
        std::vector<std::pair<std::string, std::string>> questions;
        std::set<std::string> seenDbs;
        const auto tests = std::filesystem::path(store.path()).parent_path() / "bench" / "test.jsonl";
        for (const auto &item : momq::readDatasetJsonl(tests.string(), [](const momq::ItemProblem &) {})) {
            if (static_cast<int>(questions.size()) >= o->demoQuestions) break;
            if (item.dialect == "sqlite" && item.itemId.find("-en-") != std::string::npos &&
                seenDbs.insert(item.dbId).second)
                questions.emplace_back(item.dbId, item.question);
        }
        json all = json::array();
        for (const auto &[db, question] : questions) {
            all.push_back(ask(store, generator, *o, db, question));
            if (!o->asJson) std::cout << "\n";
        }
        if (o->asJson) std::cout << all.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    });
}

}  // namespace cli
