#include "momq/adapter_config.h"

#include "momq/error.h"
#include "core/json_document.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace momq {

using nlohmann::json;

const char *trainMethodName(TrainMethod m) {
    switch (m) {
    case TrainMethod::Momq: return "momq";
    case TrainMethod::Lora: return "lora";
    case TrainMethod::Full: return "full";
    case TrainMethod::SingleDialect: return "single-dialect";
    }
    return "?";
}

TrainMethod trainMethodFromName(const std::string &name) {
    for (auto m : {TrainMethod::Momq, TrainMethod::Lora, TrainMethod::Full, TrainMethod::SingleDialect})
        if (name == trainMethodName(m)) return m;
    throw FormatError("method: expected momq, lora, full or single-dialect, got \"" + name + "\"");
}

int AdapterConfig::dialectId(const std::string &name) const {
    auto it = std::find(dialects.begin(), dialects.end(), name);
    return it == dialects.end() ? -1 : static_cast<int>(it - dialects.begin());
}

std::string adapterConfigToJson(const AdapterConfig &c) {
    return json{{"method", trainMethodName(c.method)},
                {"dialects", c.dialects},
                {"rank", c.rank},
                {"alpha", c.alpha},
                {"dropout", c.dropout},
                {"targets", c.targets},
                {"experts_per_group", c.expertsPerGroup},
                {"top_k", c.topK},
                {"shared_experts", c.sharedExperts},
                {"routing", c.routing == RoutingVariant::Paper ? "paper" : "reference"},
                {"router_input", c.routerInput == RouterInput::Intermediate ? "intermediate" : "hidden"},
                {"dialect_router", c.dialectRouter},
                {"dialect_groups", c.dialectGroups},
                {"dialect_router_loss", c.dialectRouterLoss},
                {"smoothing", c.smoothing},
                {"drl_coefficient", c.drlCoefficient},
                {"balance_coefficient", c.balanceCoefficient},
                {"train_norms", c.trainNorms}}
        .dump(2);
}

AdapterConfig adapterConfigFromJson(const std::string &text, const std::string &source) {
    const json j = parseJsonObject(text, source);
    static const std::set<std::string> known = {"method",
                                                "dialects",
                                                "rank",
                                                "alpha",
                                                "dropout",
                                                "targets",
                                                "experts_per_group",
                                                "top_k",
                                                "shared_experts",
                                                "routing",
                                                "router_input",
                                                "dialect_router",
                                                "dialect_groups",
                                                "dialect_router_loss",
                                                "smoothing",
                                                "drl_coefficient",
                                                "balance_coefficient",
                                                "train_norms"};
    AdapterConfig c;
    for (const auto &[key, value] : j.items()) {
        if (!known.count(key)) throw FormatError(source + ": " + key + ": unknown setting");
        const std::string where = source + ": " + key;
        try {
            if (key == "method")
                c.method = trainMethodFromName(value.get<std::string>());
            else if (key == "dialects")
                c.dialects = value.get<std::vector<std::string>>();
            else if (key == "rank")
                c.rank = value.get<int>();
            else if (key == "alpha")
                c.alpha = value.get<double>();
            else if (key == "dropout")
                c.dropout = value.get<double>();
            else if (key == "targets")
                c.targets = value.get<std::vector<std::string>>();
            else if (key == "experts_per_group")
                c.expertsPerGroup = value.get<int>();
            else if (key == "top_k")
                c.topK = value.get<int>();
            else if (key == "shared_experts")
                c.sharedExperts = value.get<int>();
            else if (key == "routing") {
                const auto v = value.get<std::string>();
                if (v != "paper" && v != "reference")
                    throw FormatError("expected paper or reference, got \"" + v + "\"");
                c.routing = v == "paper" ? RoutingVariant::Paper : RoutingVariant::Reference;
            } else if (key == "router_input") {
                const auto v = value.get<std::string>();
                if (v != "intermediate" && v != "hidden")
                    throw FormatError("expected intermediate or hidden, got \"" + v + "\"");
                c.routerInput = v == "intermediate" ? RouterInput::Intermediate : RouterInput::Hidden;
            } else if (key == "dialect_router")
                c.dialectRouter = value.get<bool>();
            else if (key == "dialect_groups")
                c.dialectGroups = value.get<bool>();
            else if (key == "dialect_router_loss")
                c.dialectRouterLoss = value.get<bool>();
            else if (key == "smoothing")
                c.smoothing = value.get<double>();
            else if (key == "drl_coefficient")
                c.drlCoefficient = value.get<double>();
            else if (key == "balance_coefficient")
                c.balanceCoefficient = value.get<double>();
            else if (key == "train_norms")
                c.trainNorms = value.get<bool>();
        } catch (const json::exception &e) {
            throw FormatError(where + ": " + e.what());
        } catch (const FormatError &e) {
            throw FormatError(where + ": " + e.what());
        }
    }
    const auto need = [&](bool ok, const std::string &what) {
        if (!ok) throw FormatError(source + ": " + what);
    };
    need(c.rank > 0, "rank: must be positive");
    need(c.dropout >= 0 && c.dropout < 1, "dropout: must be in [0, 1)");
    need(!c.dialects.empty(), "dialects: at least one");
    need(std::set<std::string>(c.dialects.begin(), c.dialects.end()).size() == c.dialects.size(),
         "dialects: names must differ");
    need(c.expertsPerGroup > 0, "experts_per_group: must be positive");
    need(c.topK > 0 &&
             c.topK <= (c.routing == RoutingVariant::Paper && c.dialectRouter ? c.expertsPerGroup : c.expertCount()),
         "top_k: must be between 1 and the experts it chooses from");
    need(c.sharedExperts >= 0, "shared_experts: must not be negative");
    need(c.smoothing >= 0 && c.smoothing < 1, "smoothing: must be in [0, 1)");
    static const std::set<std::string> projections = {"q_proj",    "k_proj",  "v_proj",   "o_proj",
                                                      "gate_proj", "up_proj", "down_proj"};
    for (const auto &t : c.targets) need(projections.count(t) > 0, "targets: unknown projection \"" + t + "\"");
    return c;
}

}  // namespace momq
