// Training options from the command line and config files, and the metrics file a run writes:
// the torch-free half of the trainer's public header.
#include "momq/trainer.h"

#include "core/json_document.h"
#include "momq/error.h"
#include "momq/files.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace momq {

using nlohmann::json;

std::map<std::string, int> parseDialectLimits(const std::string &text) {
    std::map<std::string, int> out;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        const auto eq = part.find('=');
        if (eq == std::string::npos) throw FormatError("per-dialect limit \"" + part + "\": expected dialect=count");
        try {
            const int n = std::stoi(part.substr(eq + 1));
            if (n < 0) throw std::out_of_range("negative");
            out[part.substr(0, eq)] = n;
        } catch (const std::exception &) {
            throw FormatError("per-dialect limit \"" + part + "\": count is not a non-negative integer");
        }
    }
    return out;
}

void applyTrainConfigJson(TrainOptions &o, const std::string &text, const std::string &source) {
    const json j = parseJsonObject(text, source);
    json adapter = json::parse(adapterConfigToJson(o.adapter));
    bool adapterChanged = false;
    for (const auto &[key, value] : j.items()) {
        const std::string where = source + ": " + key;
        try {
            if (key == "learning_rate")
                o.learningRate = value.get<double>();
            else if (key == "beta1")
                o.beta1 = value.get<double>();
            else if (key == "beta2")
                o.beta2 = value.get<double>();
            else if (key == "epsilon")
                o.epsilon = value.get<double>();
            else if (key == "weight_decay")
                o.weightDecay = value.get<double>();
            else if (key == "gradient_clip")
                o.gradientClip = value.get<double>();
            else if (key == "warmup_ratio")
                o.warmupRatio = value.get<double>();
            else if (key == "schedule")
                o.schedule = value.get<std::string>();
            else if (key == "epochs")
                o.epochs = value.get<int>();
            else if (key == "batch_size")
                o.batchSize = value.get<int>();
            else if (key == "gradient_accumulation")
                o.gradientAccumulation = value.get<int>();
            else if (key == "max_length")
                o.maxLength = value.get<int>();
            else if (key == "seed")
                o.seed = value.get<std::uint64_t>();
            else if (key == "save_every")
                o.saveEvery = value.get<int>();
            else if (key == "group_by_length")
                o.groupByLength = value.get<bool>();
            else if (key == "prompt_loss")
                o.promptLoss = value.get<bool>();
            else if (key == "prompt_loss_weight")
                o.promptLossWeight = value.get<double>();
            else if (key == "skip_bad_items")
                o.skipBadItems = value.get<bool>();
            else if (key == "per_dialect_limit")
                o.perDialectLimit = value.get<std::map<std::string, int>>();
            else if (key == "device")
                o.device = value.get<std::string>();
            else if (key == "dispatch")
                o.dispatch = value.get<std::string>();
            else if (key == "max_steps")
                o.maxSteps = value.get<std::int64_t>();
            else if (key == "gradient_checkpointing")
                o.gradientCheckpointing = value.get<bool>();
            else if (key == "precision")
                o.precision = value.get<std::string>();
            else if (key == "tensorboard")
                o.tensorboard = value.get<bool>();
            else if (adapter.contains(key)) {
                adapter[key] = value;
                adapterChanged = true;
            } else
                throw FormatError("unknown setting");
        } catch (const json::exception &e) {
            throw FormatError(where + ": " + e.what());
        } catch (const FormatError &e) {
            throw FormatError(where + ": " + e.what());
        }
    }
    if (adapterChanged) o.adapter = adapterConfigFromJson(adapter.dump(), source);
}

std::string TrainStep::toJson() const {
    return json{{"step", step},
                {"epoch", epoch},
                {"lm_loss", lmLoss},
                {"drl", dialectRouterLoss},
                {"balance", balanceLoss},
                {"total", totalLoss},
                {"lr", learningRate},
                {"grad_norm", gradientNorm},
                {"tokens_per_s", tokensPerSecond},
                {"routing_load", routingLoad}}
        .dump();
}

std::vector<TrainStep> readTrainingMetrics(const std::string &path) {
    std::vector<TrainStep> steps;
    forEachJsonLine(path, [&](const json &j, const std::string &where) {
        if (!j.is_object()) throw FormatError(where + ": expected a JSON object");
        TrainStep s;
        try {
            s.step = j.at("step").get<std::int64_t>();
            s.epoch = j.value("epoch", 0.0);
            s.lmLoss = j.value("lm_loss", 0.0);
            s.dialectRouterLoss = j.value("drl", 0.0);
            s.balanceLoss = j.value("balance", 0.0);
            s.totalLoss = j.at("total").get<double>();
            s.learningRate = j.value("lr", 0.0);
            s.gradientNorm = j.value("grad_norm", 0.0);
            s.tokensPerSecond = j.value("tokens_per_s", 0.0);
            s.routingLoad = j.value("routing_load", std::vector<double>{});
        } catch (const json::exception &e) {
            throw FormatError(where + ": " + e.what());
        }
        steps.push_back(std::move(s));
    });
    return steps;
}

}  // namespace momq
