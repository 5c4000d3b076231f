// What a trained adapter is: the method, the dialect table, LoRA and expert shapes, the routing
// variant, and the Table-5 ablation switches. Saved as adapter_config.json beside the weights.
// Defaults are spec Part 0's.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace momq {

enum class TrainMethod { Momq, Lora, Full, SingleDialect };
enum class RoutingVariant { Paper, Reference };
enum class RouterInput { Intermediate, Hidden };

const char *trainMethodName(TrainMethod method);
TrainMethod trainMethodFromName(const std::string &name);

struct AdapterConfig {
    TrainMethod method = TrainMethod::Momq;
    std::vector<std::string> dialects = {"mysql", "postgresql", "cypher", "ngql"};  // index = dialect id = group
    int rank = 8;           // r, for every LoRA and every expert
    double alpha = 16;      // scaling alpha / r (the spec: alpha = 2 r)
    double dropout = 0.05;  // on LoRA inputs only
    // LoRA on these projections. MoMQ: q, k, v, o, gate, up (down is the MoE); lora: all seven.
    std::vector<std::string> targets = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj"};
    int expertsPerGroup = 8;  // M
    int topK = 2;             // k: inside each group (paper) or over all experts (reference)
    int sharedExperts = 2;    // S
    RoutingVariant routing = RoutingVariant::Paper;
    RouterInput routerInput = RouterInput::Intermediate;
    bool dialectRouter = true;      // off: a flat MoE over D * M experts (ablation)
    bool dialectGroups = true;      // off: plain LoRA on down_proj too (ablation)
    bool dialectRouterLoss = true;  // off: no DRL term (ablation)
    double smoothing = 0.1;         // epsilon of the label-smoothed DRL
    double drlCoefficient = 0.01;
    double balanceCoefficient = 0.001;
    bool trainNorms = true;  // RMSNorm weights train too (the reference code's choice)

    int dialectCount() const { return static_cast<int>(dialects.size()); }
    int expertCount() const { return dialectCount() * expertsPerGroup; }
    bool hasMoe() const { return method == TrainMethod::Momq && dialectGroups; }
    int dialectId(const std::string &name) const;  // -1 when absent
};

std::string adapterConfigToJson(const AdapterConfig &config);
// Reads adapter_config.json text; unknown keys are refused so typos do not pass silently.
AdapterConfig adapterConfigFromJson(const std::string &text, const std::string &source);

}  // namespace momq
