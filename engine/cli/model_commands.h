// The model commands of `momq`: info, tokenize, generate and bench generate. Each only turns
// options into library calls and results into JSON or text.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace cli {

// Adds the commands to `app`; the returned function runs whichever was chosen and reports
// whether one was (it throws the library's exceptions).
std::function<bool()> addModelCommands(CLI::App &app);

} // namespace cli
