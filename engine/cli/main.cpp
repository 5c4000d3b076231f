// momq: the command-line tool over the engine. Every command is in cli/commands/; each only parses
// options and calls the library. Every error reaches the user as one line on stderr and exit
// status 1 (2 for usage errors).
#include "commands.h"

#include "momq/compute.h"

#include <iostream>

int main(int argc, char **argv) {
    CLI::App app{"momq: MoMQ Studio's command-line tool (multi-dialect text-to-query engine)"};
    app.require_subcommand(1);
    int threads = 0;
    app.add_option("--threads", threads, "CPU threads for tensor work (0: one per core)");
    cli::Commands commands;
    cli::addProjectCommands(app, commands);
    cli::addDataCommands(app, commands);
    cli::addModelCommands(app, commands);
    cli::addAskCommand(app, commands);

    CLI11_PARSE(app, argc, argv);
    try {
        momq::configureCpuThreads(threads);
        commands.runParsed();
    } catch (const std::exception &e) {
        std::cerr << "momq: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
