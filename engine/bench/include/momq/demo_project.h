// The embedded default project, so that the app and the CLI show something real on first launch:
// a demo SQLite database with its introspected schema, and demo graph schemas, all built from the
// files in resources/demo.
#pragma once

#include "momq/store.h"

#include <string>

namespace momq {

// The folder holding MoMQ's data files: $MOMQ_RESOURCE_DIR, else the source tree's resources/
// (when run from a build tree), else the installed share/momq-studio. Throws when none exists.
std::string findResourceDir();

// Where the app and the CLI keep the demo project unless told otherwise:
// $XDG_DATA_HOME/MoMQ/momq-studio/demo (else ~/.local/share/...), the app's data folder.
std::string defaultDemoProjectDir();

// Opens `dir`/demo.momq, building it first when missing: the club SQLite database and example
// graph schemas, the built-in benchmark (`dir`/bench: six SQLite databases with their relational
// and graph schemas), and — when the resources hold it — the demo model with its MoMQ fine-tuning
// run (resources/demo/model, resources/demo/adapter). The files appear complete or not at all:
// each is built under a temporary name and renamed into place.
ProjectStore openDemoProject(const std::string &dir, const std::string &resourceDir);

}  // namespace momq
