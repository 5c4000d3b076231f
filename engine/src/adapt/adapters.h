// Engine-internal: LoRA and the MoMQ Mixture-of-Experts down-projection, the routing variants,
// and the training losses, in ATen. Shapes: N tokens, I = FFN width, H = hidden width, r = rank,
// D dialect groups of M experts (E = D M), K experts chosen per token.
#pragma once

#include "momq/adapter.h"
#include "momq/adapter_config.h"
#include "model/qwen2_model.h"

#include <ATen/ATen.h>

#include <map>
#include <vector>

namespace momq {

// Dropout's keep mask (true = kept) of the given sizes. On the CPU, drawn in parallel from a
// counter-based hash seeded by one draw of torch's generator — torch's own bernoulli fills one
// element at a time and was most of a MoMQ training step; manual_seed and restored generator
// states reproduce the mask all the same. Elsewhere torch's bernoulli.
at::Tensor dropoutKeepMask(at::IntArrayRef sizes, at::Device device, double p);
// x with elements dropped with probability p and the rest scaled by 1 / (1 - p).
at::Tensor applyDropout(const at::Tensor &x, double p);

struct LoraWeights {
    at::Tensor a;  // [r, in], kaiming-uniform
    at::Tensor b;  // [out, r], zeros: the adapter starts as the identity
    bool defined() const { return a.defined(); }
};

// scale * (dropout(x) A^T) B^T; x [..., in] -> [..., out].
at::Tensor loraDelta(const at::Tensor &x, const LoraWeights &w, double scale, double dropout, bool training);

struct MoeWeights {
    at::Tensor expertA;        // [E, r, I]
    at::Tensor expertB;        // [E, H, r]
    at::Tensor sharedA;        // [S r, I] (undefined when S = 0): S rank-r experts fused into one
    at::Tensor sharedB;        // [H, S r]
    at::Tensor expertRouter;   // [router_in, E], used as x G (no bias)
    at::Tensor dialectRouter;  // [router_in, D] (undefined when the dialect router is off)
};

// The routing decision for N tokens.
struct Routing {
    at::Tensor expertLogits;   // [N, E] float32
    at::Tensor dialectLogits;  // [N, D] float32, undefined without a dialect router
    at::Tensor dialectProbs;   // [N, D]
    at::Tensor expertProbs;    // [N, E]: within-group softmax (paper) or global softmax (reference)
    at::Tensor chosen;         // [N, K] int64 expert ids
    at::Tensor gates;          // [N, K] float32 weights of the chosen experts
};

// Chooses experts from router logits as the config's variant says (spec Part 0):
//  paper:     softmax and top-k inside each group, gates renormalised in the group, each group
//             weighted by its dialect probability (K = D k);
//  reference: one softmax over all E, times the group's dialect probability, one global top-k,
//             no renormalisation (K = k);
//  no dialect router: a flat softmax over E with top-k (renormalised in the paper variant).
Routing route(const at::Tensor &expertLogits, const at::Tensor &dialectLogits, const AdapterConfig &config);

enum class Dispatch { Grouped, Loop, Dense };
// "grouped", "loop" or "dense"; FormatError naming the setting otherwise.
Dispatch dispatchFromName(const std::string &name);

// Rows [o_e, o_e + n_e) of x [P, in] times w[e]^T, w [E, out, in], counts[e] = n_e: a grouped
// matrix product. torch's private _grouped_mm where its checks pass (float types, 16-byte aligned
// rows), otherwise groupedLinearBySlices: one product per non-empty slice.
at::Tensor groupedLinear(const at::Tensor &x, const at::Tensor &w, const std::vector<std::int64_t> &counts);
at::Tensor groupedLinearBySlices(const at::Tensor &x, const at::Tensor &w, const std::vector<std::int64_t> &counts);

// The dropped elements of routed (token, expert) pairs' inputs: pair q's row lost column i.
struct DroppedElements {
    at::Tensor pair;    // [D] int64, an index into the pairs as they were given
    at::Tensor column;  // [D] int64
    at::Tensor start;   // [P + 1] int64: pair q's elements are [start[q], start[q + 1]) (the CPU's only)
};

// Dropout of the routed experts' input: one mask per (token, expert) pair, as the reference code
// draws one per expert over the rows routed to it. On the CPU a pair's mask follows from one seed
// and the pair itself, so the three dispatches, whatever order they keep pairs in, draw the very
// same masks; elsewhere torch's generator draws them in the order given. Only the dropped elements
// are listed (about p of them): the products run on undropped rows and the dropped share is taken
// off in rank space, instead of masking every gathered row of the FFN width.
struct ExpertDropout {
    double p = 0;
    std::uint64_t seed = 0;

    static ExpertDropout draw(double p);  // p = 0: none; otherwise one draw from torch's generator
    bool active() const { return p > 0; }
    double keep() const { return 1.0 / (1.0 - p); }
    // Pair q = (tokens[q], experts[q]), rows of `width`.
    DroppedElements dropped(const at::Tensor &tokens, const at::Tensor &experts, std::int64_t width) const;
};

// The grouped dispatch's products on the CPU (expert_pairs_cpu.cpp), for float32 and float64 (bf16
// goes through groupedLinear): pair q = (tokens[q], experts[q]), m [E, r, W] holds an expert's r
// rows, and a pair's dropped columns (when `dropped` lists any) take no part.
// [P, r]: factor * m_{e_q} x_{t_q} over the undropped columns.
at::Tensor pairRowDots(const at::Tensor &x, const at::Tensor &m, const at::Tensor &tokens, const at::Tensor &experts,
                       const DroppedElements &dropped, double factor);
// y [N, W] (contiguous): y_{t_q} += m_{e_q}^T c_q over the undropped columns; c [P, r].
void addPairCombinations(at::Tensor &y, const at::Tensor &c, const at::Tensor &m, const at::Tensor &tokens,
                         const at::Tensor &experts, const DroppedElements &dropped);
// g [E, r, W] (contiguous): g_{e_q} += c_q x_{t_q}^T over the undropped columns; c [P, r], x [N, W].
void addPairOuters(at::Tensor &g, const at::Tensor &c, const at::Tensor &x, const at::Tensor &tokens,
                   const at::Tensor &experts, const DroppedElements &dropped);

// sum over chosen experts of gate * scale * B_e A_e dropout(u); u [N, I] -> [N, H]. Dropout as
// ExpertDropout, so that the three dispatches agree with dropout on as well.
// Grouped: (token, expert) pairs sorted by expert. On the CPU in float32/float64, the pair kernels
// read each pair's row where it lies; otherwise each pair's row is gathered once, grouped matrix
// products run over the experts' contiguous slices (bf16 on the CPU in passes of a few hundred
// pairs that stay in cache), and the results are scatter-added. Either way the backward pass reads
// the rows again instead of keeping gathered copies.
// Loop: one pass over all tokens per expert, the plain reference.
// Dense: every token through all experts' A at once (one [N, E r] product), the unchosen experts'
// columns weighted by zero, then one product with all B side by side — no gathers at all, which
// wins where moving [N, I] rows costs more than E r extra columns (small ranks, CPUs).
at::Tensor expertDelta(const at::Tensor &u, const at::Tensor &expertA, const at::Tensor &expertB,
                       const at::Tensor &chosen, const at::Tensor &gates, double scale, double dropout, bool training,
                       Dispatch dispatch);

// The whole MoE delta of one down-projection: shared experts plus routed experts.
at::Tensor moeDelta(const at::Tensor &u, const at::Tensor &routerInput, const MoeWeights &w,
                    const AdapterConfig &config, bool training, Dispatch dispatch, Routing *routingOut);

// ---- a whole adapter set -------------------------------------------------------------------------

struct AdapterLayer {
    std::map<std::string, LoraWeights> lora;  // by projection: q_proj, ..., down_proj (plain LoRA)
    MoeWeights moe;                           // when the config has the MoE down-projection
    at::Tensor inputNorm, postNorm;           // trainable copies when train_norms

    // The defined tensors by their names within the layer ("mlp.down_proj.experts.lora_A").
    std::vector<std::pair<std::string, at::Tensor>> namedTensors() const;
};

// Everything a method trains besides the frozen model, and how forward() should use it.
struct AdapterState {
    AdapterConfig config;
    std::vector<AdapterLayer> layers;
    at::Tensor finalNorm;
    bool training = false;
    Dispatch dispatch = Dispatch::Grouped;

    // Stable names ("layers.3.mlp.down_proj.experts.lora_A"), used by the optimizer and files.
    std::vector<std::pair<std::string, at::Tensor>> namedParameters() const;
};

// Fresh adapters for `model` (spec 1.5): LoRA A kaiming-uniform, B zeros; routers stored as
// [in, out] and drawn from U(-1/sqrt(out), 1/sqrt(out)) as the reference code's layout implies.
AdapterState createAdapters(const LanguageModel::Impl &model, const AdapterConfig &config, std::uint64_t seed);
// adapter_config.json and adapter_model.safetensors in `dir`, each written atomically.
void saveAdapters(const AdapterState &adapters, const std::string &dir);
// Reads what saveAdapters wrote, checking every tensor's name and shape against the model.
AdapterState loadAdapters(const LanguageModel::Impl &model, const std::string &dir);  // for inference: dense dispatch
// Copies values into an existing set (resuming); names and shapes must match.
void loadAdapterValues(AdapterState &adapters, const std::string &safetensorsPath);

struct Adapter::Impl {
    AdapterState state;
};

// ---- losses ----------------------------------------------------------------------------------

// Mean cross-entropy of logits [B, T, V] against labels [B, T] shifted by one; -100 is ignored.
// With weights [B, T] (defined), the mean is weighted by each label's weight.
at::Tensor languageModelLoss(const at::Tensor &logits, const at::Tensor &labels, const at::Tensor &weights = {});

// Dialect Router Loss. dialectLogits: one [B, T, D] per layer; dialect [B] int64; valid [B, T] bool.
//  paper:     per-token cross-entropy against the smoothed label, averaged over layers and valid tokens;
//  reference: cross-entropy of the logits averaged over layers and all T positions, per sequence.
at::Tensor dialectRouterLoss(const std::vector<at::Tensor> &dialectLogits, const at::Tensor &dialect,
                             const at::Tensor &valid, RoutingVariant variant, double smoothing);

// Expert Balance Loss. expertLogits: one [B, T, E] per layer; valid [B, T] bool.
//  paper:     Switch-style M sum_e f_e P_e inside each group, averaged over groups and layers;
//  reference: E sum_e f_e P_e over all experts with all layers pooled, top-k of the raw softmax.
// f_e: share of valid tokens whose top-k includes e (summing to k); P_e: mean probability.
at::Tensor balanceLoss(const std::vector<at::Tensor> &expertLogits, const at::Tensor &valid,
                       const AdapterConfig &config);

}  // namespace momq
