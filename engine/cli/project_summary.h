// A project's contents as JSON, for `project`, `schema import` and `demo`.
#pragma once

#include "momq/store.h"

#include <nlohmann/json.hpp>

namespace cli {

nlohmann::json summariseProject(const momq::ProjectStore &store);

}  // namespace cli
