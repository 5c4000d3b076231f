// Engine-internal: LoRA and the MoMQ Mixture-of-Experts down-projection, the routing variants,
// and the training losses, in ATen. Shapes: N tokens, I = FFN width, H = hidden width, r = rank,
// D dialect groups of M experts (E = D M), K experts chosen per token.
#pragma once

#include "momq/adapter_config.h"

#include <ATen/ATen.h>

#include <vector>

namespace momq {

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

enum class Dispatch { Grouped, Loop };

// sum over chosen experts of gate * scale * B_e A_e dropout(u); u [N, I] -> [N, H].
// Grouped: (token, expert) pairs sorted by expert, rows gathered once, one matrix product per
// expert over its contiguous slice, scatter-add; its backward gathers again instead of keeping
// the gathered rows. Loop: one pass over all tokens per expert, the plain reference.
at::Tensor expertDelta(const at::Tensor &u, const at::Tensor &expertA, const at::Tensor &expertB, const at::Tensor &chosen,
                       const at::Tensor &gates, double scale, double dropout, bool training, Dispatch dispatch);

// The whole MoE delta of one down-projection: shared experts plus routed experts.
at::Tensor moeDelta(const at::Tensor &u, const at::Tensor &routerInput, const MoeWeights &w, const AdapterConfig &config,
                    bool training, Dispatch dispatch, Routing *routingOut);

// ---- losses ----------------------------------------------------------------------------------

// Mean cross-entropy of logits [B, T, V] against labels [B, T] shifted by one; -100 is ignored.
at::Tensor languageModelLoss(const at::Tensor &logits, const at::Tensor &labels);

// Dialect Router Loss. dialectLogits: one [B, T, D] per layer; dialect [B] int64; valid [B, T] bool.
//  paper:     per-token cross-entropy against the smoothed label, averaged over layers and valid tokens;
//  reference: cross-entropy of the logits averaged over layers and all T positions, per sequence.
at::Tensor dialectRouterLoss(const std::vector<at::Tensor> &dialectLogits, const at::Tensor &dialect, const at::Tensor &valid,
                             RoutingVariant variant, double smoothing);

// Expert Balance Loss. expertLogits: one [B, T, E] per layer; valid [B, T] bool.
//  paper:     Switch-style M sum_e f_e P_e inside each group, averaged over groups and layers;
//  reference: E sum_e f_e P_e over all experts with all layers pooled, top-k of the raw softmax.
// f_e: share of valid tokens whose top-k includes e (summing to k); P_e: mean probability.
at::Tensor balanceLoss(const std::vector<at::Tensor> &expertLogits, const at::Tensor &valid, const AdapterConfig &config);

} // namespace momq
