// Secrets for the command-line tool: read from an environment variable or from a file that only
// its owner can read. Never from the command line itself, where other users can see it.
#pragma once

#include <string>

namespace momq {

std::string readSecretFromEnvironment(const std::string &variable);
// Refuses files others can read or write, files owned by someone else, and non-regular files,
// with a message that says how to fix it. A single trailing newline is dropped.
std::string readSecretFromFile(const std::string &path);

}  // namespace momq
