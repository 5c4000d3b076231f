// The commands of `momq`, one file a group under cli/commands/. Each command only turns options
// into library calls and results into JSON or text; errors are the library's exceptions.
#pragma once

#include "momq/connection.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cli {

// The parsed command runs; the rest stay unused.
class Commands {
public:
    void add(CLI::App *command, std::function<void()> run) { all_.emplace_back(command, std::move(run)); }
    bool runParsed() const {
        for (const auto &[command, run] : all_)
            if (command->parsed()) {
                run();
                return true;
            }
        return false;
    }

private:
    std::vector<std::pair<CLI::App *, std::function<void()>>> all_;
};

// Where a command connects: a SQLite file or a server, its password from the environment or an
// owner-only file (never from the command line).
struct ConnectionOptions {
    std::string sqlite, engine, host, database, user, passwordEnv, passwordFile;
    int port = 0;

    void addTo(CLI::App *cmd);
    momq::ConnectionSettings settings() const;
    // The environment variable the password came from, to record in a database config.
    std::string passwordEnvName() const;
    // A server without a required database (--database, when given, is where to connect first).
    momq::ConnectionSettings server() const;
};

void addProjectCommands(CLI::App &app, Commands &commands);  // devices, project, schema, demo
void addDataCommands(CLI::App &app, Commands &commands);     // data, tokenizer, db
void addModelCommands(CLI::App &app, Commands &commands);    // info, tokenize, generate, train, eval, bench…
void addAskCommand(CLI::App &app, Commands &commands);       // ask, demo, db query (after addDataCommands)

}  // namespace cli
