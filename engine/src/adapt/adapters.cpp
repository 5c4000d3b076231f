#include "adapt/adapters.h"
#include "model/tensor_io.h"

#include "momq/adapter.h"
#include "momq/error.h"
#include "momq/files.h"
#include "momq/safetensors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/OpMathType.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace momq {

// ---- dropout --------------------------------------------------------------------------------

namespace {

// SplitMix64 of a counter: 64 well-mixed bits from (seed, index), whichever thread asks.
inline std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// One draw from torch's generator seeds a whole mask: manual_seed and saved generator states
// (checkpointed layers) reproduce it.
std::uint64_t drawSeed() {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

}  // namespace

at::Tensor dropoutKeepMask(at::IntArrayRef sizes, at::Device device, double p) {
    const auto options = at::TensorOptions().dtype(at::kBool).device(device);
    if (!device.is_cpu()) return at::empty(sizes, options).bernoulli_(1.0 - p);
    const std::uint64_t seed = drawSeed();
    auto mask = at::empty(sizes, options);
    bool *keep = mask.data_ptr<bool>();
    const std::int64_t n = mask.numel();
    const auto threshold = static_cast<std::uint32_t>(std::llround(std::min(p, 1.0) * 4294967295.0));  // drop below it
    at::parallel_for(0, (n + 1) / 2, 1 << 14, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) {
            const std::uint64_t r = mix(seed ^ (static_cast<std::uint64_t>(i) * 0xD1B54A32D192ED03ull));
            keep[2 * i] = static_cast<std::uint32_t>(r) >= threshold;
            if (2 * i + 1 < n) keep[2 * i + 1] = static_cast<std::uint32_t>(r >> 32) >= threshold;
        }
    });
    return mask;
}

at::Tensor applyDropout(const at::Tensor &x, double p) {
    return x * dropoutKeepMask(x.sizes(), x.device(), p).to(x.scalar_type()) * (1.0 / (1.0 - p));
}

at::Tensor loraDelta(const at::Tensor &x, const LoraWeights &w, double scale, double dropout, bool training) {
    const auto in = training && dropout > 0 ? applyDropout(x, dropout) : x;
    return at::linear(at::linear(in, w.a), w.b) * scale;
}

// Routing and losses run in float32 at least (float64 stays float64, for gradient checks).
static at::Tensor atLeastFloat(const at::Tensor &t) { return t.to(at::promote_types(t.scalar_type(), at::kFloat)); }

// ---- routing -----------------------------------------------------------------------------------

Routing route(const at::Tensor &expertLogits, const at::Tensor &dialectLogits, const AdapterConfig &c) {
    Routing r;
    r.expertLogits = atLeastFloat(expertLogits);
    const auto N = r.expertLogits.size(0);
    const int D = c.dialectCount(), M = c.expertsPerGroup, E = c.expertCount(), k = c.topK;
    const bool paper = c.routing == RoutingVariant::Paper;
    if (!c.dialectRouter) {
        r.expertProbs = at::softmax(r.expertLogits, -1);
        auto [values, indices] = r.expertProbs.topk(k, -1);
        r.chosen = indices;
        r.gates = paper ? values / values.sum(-1, true) : values;
        return r;
    }
    r.dialectLogits = atLeastFloat(dialectLogits);
    r.dialectProbs = at::softmax(r.dialectLogits, -1);  // [N, D]
    if (paper) {
        auto within = at::softmax(r.expertLogits.view({N, D, M}), -1);  // [N, D, M]
        r.expertProbs = within.reshape({N, E});
        auto [values, indices] = within.topk(k, -1);  // [N, D, k]
        auto gates = values / values.sum(-1, true) * r.dialectProbs.unsqueeze(-1);
        auto offsets = at::arange(D, indices.options()).mul(M).view({1, D, 1});
        r.chosen = (indices + offsets).reshape({N, D * k});
        r.gates = gates.reshape({N, D * k});
    } else {
        r.expertProbs = at::softmax(r.expertLogits, -1);
        auto weighted = r.expertProbs * r.dialectProbs.repeat_interleave(M, 1);
        auto [values, indices] = weighted.topk(k, -1);
        r.chosen = indices;
        r.gates = values;
    }
    return r;
}

// ---- expert dispatch ---------------------------------------------------------------------------

// torch's private grouped product takes these where its own checks pass: 16-byte aligned rows
// and data, float types. Anything else goes through the slice loop.
static bool groupedMmAccepts(const at::Tensor &t) {
    const auto type = t.scalar_type();
    if (type != at::kFloat && type != at::kBFloat16 && type != at::kHalf) return false;
    if (reinterpret_cast<std::uintptr_t>(t.data_ptr()) % 16 != 0) return false;
    const auto alignment = 16 / static_cast<std::int64_t>(t.element_size());
    const auto last = t.dim() - 1;
    const bool rowMajor =
        t.stride(last) == 1 && t.stride(last - 1) % alignment == 0 && t.stride(last - 1) >= t.size(last);
    const bool columnMajor =
        t.stride(last - 1) == 1 && t.stride(last) % alignment == 0 && t.stride(last) >= t.size(last - 1);
    return rowMajor || columnMajor;
}

at::Tensor groupedLinear(const at::Tensor &x, const at::Tensor &w, const std::vector<std::int64_t> &counts) {
    // On the CPU the private op is itself a loop over all groups, with a host read per group. On
    // a GPU it may still refuse (older architectures): then the slices, from then on.
    static std::atomic<bool> privateOpRefused{false};
    const auto wt = w.transpose(1, 2);  // [E, in, out]
    if (!x.device().is_cpu() && !privateOpRefused && x.size(0) > 0 && groupedMmAccepts(x) && groupedMmAccepts(wt) &&
        w.size(1) % (16 / w.element_size()) == 0) {
        std::vector<std::int32_t> ends(counts.size());
        std::int64_t offset = 0;
        for (std::size_t e = 0; e < counts.size(); ++e) ends[e] = static_cast<std::int32_t>(offset += counts[e]);
        const auto offs = at::tensor(ends, at::TensorOptions().dtype(at::kInt)).to(x.device());
        try {
            return at::_grouped_mm(x, wt, offs);
        } catch (const c10::Error &) {
            privateOpRefused = true;
        }
    }
    return groupedLinearBySlices(x, w, counts);
}

at::Tensor groupedLinearBySlices(const at::Tensor &x, const at::Tensor &w, const std::vector<std::int64_t> &counts) {
    auto out = at::empty({x.size(0), w.size(1)}, x.options());
    std::int64_t offset = 0;
    for (std::size_t e = 0; e < counts.size(); ++e) {
        if (counts[e] == 0) continue;
        auto slice = out.narrow(0, offset, counts[e]);
        at::mm_out(slice, x.narrow(0, offset, counts[e]), w[e].t());
        offset += counts[e];
    }
    return out;
}

ExpertDropout ExpertDropout::draw(double p) {
    ExpertDropout d;
    d.p = p;
    if (p > 0) d.seed = drawSeed();
    return d;
}

DroppedElements ExpertDropout::dropped(const at::Tensor &tokens, const at::Tensor &experts, std::int64_t width) const {
    const auto P = tokens.size(0);
    const auto longs = tokens.options().dtype(at::kLong);
    if (!tokens.device().is_cpu()) {
        const auto where = (at::rand({P, width}, tokens.options().dtype(at::kFloat)) < p).nonzero();
        return {where.select(1, 0).contiguous(), where.select(1, 1).contiguous(), at::Tensor()};  // no CSR off the CPU
    }
    const auto token = tokens.contiguous(), expert = experts.contiguous();
    const auto *t = token.data_ptr<std::int64_t>();
    const auto *e = expert.data_ptr<std::int64_t>();
    const double perLog = 1.0 / std::log1p(-p);
    auto start = at::empty({P + 1}, longs);
    auto *first = start.data_ptr<std::int64_t>();  // first[q + 1] holds pair q's count until the sums below
    first[0] = 0;
    // Each thread's run of pairs [begin, end) and their columns, copied into place once the counts
    // are summed.
    struct Run {
        std::int64_t begin, end;
        std::vector<std::int64_t> columns;
    };
    std::vector<Run> runs;
    std::mutex runsMutex;
    const double expected = p * static_cast<double>(width);
    at::parallel_for(0, P, 64, [&](std::int64_t begin, std::int64_t end) {
        std::vector<std::int64_t> columns;
        columns.reserve(
            static_cast<std::size_t>(static_cast<double>(end - begin) * (expected + 4 * std::sqrt(expected) + 1)));
        for (std::int64_t q = begin; q < end; ++q) {
            // The pair's own stream: the gap before each drop is geometric, so every element is
            // dropped independently with probability p.
            const std::uint64_t stream = mix(seed ^ mix(static_cast<std::uint64_t>(t[q]) * 0x9E3779B97F4A7C15ull +
                                                        static_cast<std::uint64_t>(e[q])));
            const auto before = columns.size();
            std::int64_t column = -1;
            for (std::uint64_t draw = 0;; ++draw) {
                const double uniform = static_cast<double>((mix(stream + draw) >> 11) + 1) * 0x1.0p-53;  // (0, 1]
                const double gap = std::floor(std::log(uniform) * perLog);
                if (gap >= static_cast<double>(width - column - 1)) break;
                column += 1 + static_cast<std::int64_t>(gap);
                columns.push_back(column);
            }
            first[q + 1] = static_cast<std::int64_t>(columns.size() - before);
        }
        std::lock_guard<std::mutex> lock(runsMutex);
        runs.push_back({begin, end, std::move(columns)});
    });
    for (std::int64_t q = 0; q < P; ++q) first[q + 1] += first[q];
    auto pair = at::empty({first[P]}, longs), column = at::empty({first[P]}, longs);
    auto *pairData = pair.data_ptr<std::int64_t>();
    auto *columnData = column.data_ptr<std::int64_t>();
    at::parallel_for(0, static_cast<std::int64_t>(runs.size()), 1, [&](std::int64_t begin, std::int64_t end) {
        for (auto r = begin; r < end; ++r) {
            const auto &run = runs[r];
            std::copy(run.columns.begin(), run.columns.end(), columnData + first[run.begin]);
            for (auto q = run.begin; q < run.end; ++q) std::fill(pairData + first[q], pairData + first[q + 1], q);
        }
    });
    return {pair, column, start};
}

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Off the CPU, where each dropped element (pair q, column i) lies: its index in u flattened, and
// its row in aT [E, I, r] seen as [E I, r].
struct DroppedIndex {
    at::Tensor inU, inA;
};

DroppedIndex droppedIndex(const at::Tensor &tokens, const at::Tensor &experts, const DroppedElements &d,
                          std::int64_t I) {
    return {tokens.index_select(0, d.pair) * I + d.column, experts.index_select(0, d.pair) * I + d.column};
}

// share[q] = sum over pair q's dropped columns i of A_{e_q}[:, i] u[t_q, i]: the part of A_e u_n
// that dropout removes ([P, r]). aT [E, I, r] holds each A_e column contiguously.
at::Tensor droppedShare(const at::Tensor &u, const at::Tensor &aT, const at::Tensor &tokens, const at::Tensor &experts,
                        const DroppedElements &d) {
    const auto P = tokens.size(0), I = u.size(1), r = aT.size(2);
    auto share = at::zeros({P, r}, u.options());
    if (!u.device().is_cpu()) {
        const auto where = droppedIndex(tokens, experts, d, I);
        return share.index_add_(0, d.pair,
                                aT.reshape({-1, r}).index_select(0, where.inA) *
                                    u.reshape({-1}).index_select(0, where.inU).unsqueeze(1));
    }
    const auto source = u.contiguous();
    const auto *token = tokens.data_ptr<std::int64_t>(), *expert = experts.data_ptr<std::int64_t>();
    const auto *start = d.start.data_ptr<std::int64_t>(), *column = d.column.data_ptr<std::int64_t>();
    AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, u.scalar_type(), "droppedShare", [&] {
        using acc_t = at::opmath_type<scalar_t>;
        const scalar_t *uData = source.data_ptr<scalar_t>(), *aData = aT.data_ptr<scalar_t>();
        scalar_t *out = share.data_ptr<scalar_t>();
        at::parallel_for(0, P, 16, [&](std::int64_t begin, std::int64_t end) {
            std::vector<acc_t> sum(r);
            for (std::int64_t q = begin; q < end; ++q) {
                std::fill(sum.begin(), sum.end(), acc_t(0));
                const scalar_t *row = uData + token[q] * I, *a = aData + expert[q] * I * r;
                for (std::int64_t j = start[q]; j < start[q + 1]; ++j) {
                    const acc_t value = row[column[j]];
                    const scalar_t *aColumn = a + column[j] * r;
                    for (std::int64_t k = 0; k < r; ++k) sum[k] += static_cast<acc_t>(aColumn[k]) * value;
                }
                for (std::int64_t k = 0; k < r; ++k) out[q * r + k] = static_cast<scalar_t>(sum[k]);
            }
        });
    });
    return share;
}

// What droppedShare's gradient gradShare [P, r] sends back, times alpha, added to gradAT [E, I, r]
// (A_e transposed) and gradU [N, I], both in u's type. On the CPU threads split the columns, so
// that no two write the same element.
void addDroppedShareGradients(const at::Tensor &gradShare, const at::Tensor &u, const at::Tensor &aT,
                              const at::Tensor &tokens, const at::Tensor &experts, const DroppedElements &d,
                              double alpha, at::Tensor &gradAT, at::Tensor &gradU) {
    const auto I = u.size(1), r = aT.size(2), D = d.pair.size(0);
    if (!u.device().is_cpu()) {
        const auto where = droppedIndex(tokens, experts, d, I);
        const auto g = gradShare.index_select(0, d.pair) * alpha;
        gradAT.view({-1, r}).index_add_(0, where.inA, g * u.reshape({-1}).index_select(0, where.inU).unsqueeze(1));
        gradU.view({-1}).index_add_(0, where.inU, (g * aT.reshape({-1, r}).index_select(0, where.inA)).sum(1));
        return;
    }
    TORCH_CHECK(gradU.is_contiguous() && gradAT.is_contiguous(),
                "addDroppedShareGradients: gradients must be contiguous");
    const auto source = u.contiguous(), grad = gradShare.contiguous();
    const auto *token = tokens.data_ptr<std::int64_t>(), *expert = experts.data_ptr<std::int64_t>();
    const auto *pair = d.pair.data_ptr<std::int64_t>(), *column = d.column.data_ptr<std::int64_t>();
    AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, u.scalar_type(), "addDroppedShareGradients", [&] {
        using acc_t = at::opmath_type<scalar_t>;
        const scalar_t *uData = source.data_ptr<scalar_t>(), *aData = aT.data_ptr<scalar_t>(),
                       *gData = grad.data_ptr<scalar_t>();
        scalar_t *gradA = gradAT.data_ptr<scalar_t>(), *gradUData = gradU.data_ptr<scalar_t>();
        const auto factor = static_cast<acc_t>(alpha);
        at::parallel_for(0, I, 64, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t j = 0; j < D; ++j) {
                const auto i = column[j];
                if (i < first || i >= last) continue;
                const auto q = pair[j];
                const acc_t value = uData[token[q] * I + i] * factor;
                const scalar_t *g = gData + q * r, *a = aData + (expert[q] * I + i) * r;
                scalar_t *ga = gradA + (expert[q] * I + i) * r;
                acc_t dot = 0;
                for (std::int64_t k = 0; k < r; ++k) {
                    ga[k] = static_cast<acc_t>(ga[k]) + static_cast<acc_t>(g[k]) * value;
                    dot += static_cast<acc_t>(g[k]) * static_cast<acc_t>(a[k]);
                }
                gradUData[token[q] * I + i] = static_cast<acc_t>(gradUData[token[q] * I + i]) + dot * factor;
            }
        });
    });
}

// droppedShare as a function autograd can differentiate, for the dense dispatch.
class DroppedShare : public torch::autograd::Function<DroppedShare> {
public:
    static at::Tensor forward(AutogradContext *ctx, const at::Tensor &u, const at::Tensor &a, const at::Tensor &tokens,
                              const at::Tensor &experts, const DroppedElements &d) {
        const auto aT = a.transpose(1, 2).contiguous();
        ctx->save_for_backward({u, aT, tokens, experts, d.pair, d.column, d.start});
        return droppedShare(u, aT, tokens, experts, d);
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs) {
        const auto saved = ctx->get_saved_variables();
        const auto &u = saved[0], &aT = saved[1];
        auto gradAT = at::zeros_like(aT);
        auto gradU = at::zeros(u.sizes(), u.options());  // row-major, as addDroppedShareGradients writes it
        addDroppedShareGradients(gradOutputs[0].to(u.scalar_type()), u, aT, saved[2], saved[3],
                                 {saved[4], saved[5], saved[6]}, 1.0, gradAT, gradU);
        return {gradU, gradAT.transpose(1, 2), at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

// Pairs of (token, expert) sorted by expert: which rows of u each expert's slice takes.
struct SortedPairs {
    at::Tensor order;                  // [P] positions in the flattened [N, K] choice matrix
    at::Tensor tokens;                 // [P] token of each pair, sorted by expert
    at::Tensor experts;                // [P] expert of each pair, ascending
    std::vector<std::int64_t> counts;  // pairs per expert, E entries
};

SortedPairs sortPairs(const at::Tensor &chosen, std::int64_t experts) {
    SortedPairs s;
    const auto N = chosen.size(0), K = chosen.size(1);
    const auto flat = chosen.reshape({-1});
    std::tie(s.experts, s.order) = flat.sort(/*stable=*/true, 0, false);
    s.tokens = at::arange(N, chosen.options()).repeat_interleave(K).index_select(0, s.order);
    const auto counts = at::bincount(flat, {}, experts).to(at::kCPU);
    s.counts.assign(counts.data_ptr<std::int64_t>(), counts.data_ptr<std::int64_t>() + experts);
    return s;
}

// Pairs per expert within [begin, end) of the sorted pairs.
std::vector<std::int64_t> countsWithin(const std::vector<std::int64_t> &counts, std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> within(counts.size(), 0);
    std::int64_t offset = 0;
    for (std::size_t e = 0; e < counts.size(); ++e) {
        within[e] = std::max<std::int64_t>(0, std::min(end, offset + counts[e]) - std::max(begin, offset));
        offset += counts[e];
    }
    return within;
}

// The same slices, the other way: out[e] += (slice of a)^T (slice of b), out [E, a_cols, b_cols].
// out may be float32 where a and b are bf16 (autocast): the passes' sums then add up in float32.
void addGroupedOuter(at::Tensor &out, const at::Tensor &a, const at::Tensor &b,
                     const std::vector<std::int64_t> &counts) {
    std::int64_t offset = 0;
    for (std::size_t e = 0; e < counts.size(); ++e) {
        if (counts[e] == 0) continue;
        auto slot = out[e];
        const auto as = a.narrow(0, offset, counts[e]).t(), bs = b.narrow(0, offset, counts[e]);
        if (out.scalar_type() == a.scalar_type())
            slot.addmm_(as, bs);
        else
            slot.add_(at::mm(as, bs));
        offset += counts[e];
    }
}

// Gathered rows per pass on the CPU (bf16; the other types take the pair kernels): about 1 MB of
// them, so that they stay in cache between being gathered and multiplied — gathering all P = N K
// rows of the FFN width at once moved the whole step's worth of memory several times over.
// Devices take all pairs in one pass.
std::int64_t pairsPerPass(const at::Tensor &u, std::int64_t pairs) {
    if (!u.device().is_cpu()) return std::max<std::int64_t>(pairs, 1);
    return std::max<std::int64_t>(16,
                                  (std::int64_t{1} << 20) / (u.size(1) * static_cast<std::int64_t>(u.element_size())));
}

// The CPU's pair kernels take float32 and float64 where the master weights have u's type; the
// rest (bf16 under autocast, devices) goes through gathers and grouped products.
bool pairKernels(const at::Tensor &u, const at::Tensor &masterA) {
    const auto type = u.scalar_type();
    return u.device().is_cpu() && (type == at::kFloat || type == at::kDouble) && masterA.scalar_type() == type;
}

class GroupedExpertLora : public torch::autograd::Function<GroupedExpertLora> {
public:
    // u [N, I], a [E, r, I], b [E, H, r], gates [N, K]; chosen [N, K] carries no gradient.
    // Dropout as ExpertDropout says: the pair kernels leave the dropped columns out; the gathered
    // products run on undropped rows and take the dropped elements' share off in rank space. Kept
    // for the backward pass: the [P, r] rank-space activations and the dropped elements, not
    // gathered [P, I] rows.
    // Products run in u's type (bf16 under autocast, float32 master weights cast to it); each
    // gradient goes back in its input's type.
    static at::Tensor forward(AutogradContext *ctx, const at::Tensor &u, const at::Tensor &masterA,
                              const at::Tensor &masterB, const at::Tensor &gates, const at::Tensor &chosen,
                              const ExpertDropout &dropout, double scale) {
        const auto a = masterA.to(u.scalar_type()), b = masterB.to(u.scalar_type());
        const auto pairs = sortPairs(chosen, a.size(0));
        const auto none = at::empty({0}, pairs.tokens.options());
        DroppedElements dropped{none, none, none};
        if (dropout.active()) dropped = dropout.dropped(pairs.tokens, pairs.experts, u.size(1));
        const auto g = gates.reshape({-1}).index_select(0, pairs.order).to(u.scalar_type()) * scale;
        at::Tensor h, out;  // h = A_e x with x = keep (u - the dropped elements): [P, r]
        if (pairKernels(u, masterA)) {
            h = pairRowDots(u, a, pairs.tokens, pairs.experts, dropped, dropout.keep());
            out = at::zeros({u.size(0), b.size(1)}, u.options());
            addPairCombinations(out, h * g.unsqueeze(1), b.transpose(1, 2).contiguous(), pairs.tokens, pairs.experts,
                                {});
        } else {
            const auto P = pairs.tokens.size(0), step = pairsPerPass(u, P);
            h = at::empty({P, a.size(1)}, u.options());
            for (std::int64_t begin = 0; begin < P; begin += step) {
                const auto n = std::min(step, P - begin);
                h.narrow(0, begin, n)
                    .copy_(groupedLinear(u.index_select(0, pairs.tokens.narrow(0, begin, n)), a,
                                         countsWithin(pairs.counts, begin, begin + n)));
            }
            if (dropout.active())
                h.sub_(droppedShare(u, a.transpose(1, 2).contiguous(), pairs.tokens, pairs.experts, dropped))
                    .mul_(dropout.keep());
            const auto y = groupedLinear(h, b, pairs.counts).mul_(g.unsqueeze(1));  // [P, H]
            out = at::zeros({u.size(0), b.size(1)}, u.options()).index_add_(0, pairs.tokens, y);
        }
        ctx->save_for_backward({u, masterA, masterB, gates, chosen, h, dropped.pair, dropped.column, dropped.start});
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["keep"] = dropout.keep();
        return out;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs) {
        const auto saved = ctx->get_saved_variables();
        const auto &u = saved[0], &masterA = saved[1], &masterB = saved[2], &gates = saved[3], &chosen = saved[4],
                   &h = saved[5];
        const DroppedElements dropped{saved[6], saved[7], saved[8]};
        const auto a = masterA.to(u.scalar_type()), b = masterB.to(u.scalar_type());
        const double scale = ctx->saved_data["scale"].toDouble(), keep = ctx->saved_data["keep"].toDouble();
        const auto pairs = sortPairs(chosen, a.size(0));
        const auto g = gates.reshape({-1}).index_select(0, pairs.order).to(u.scalar_type()) * scale;
        const auto dy = gradOutputs[0].to(u.scalar_type());
        at::Tensor gradGateSorted, gradA, gradB, gradU;
        if (pairKernels(u, masterA)) {
            const auto bT = b.transpose(1, 2).contiguous();                              // [E, r, H]
            const auto dyB = pairRowDots(dy, bT, pairs.tokens, pairs.experts, {}, 1.0);  // [P, r]: B_e^T dy
            gradGateSorted = (dyB * h).sum(1) * scale;                                   // scale <dy, B_e h>
            auto gradBT = at::zeros_like(bT);
            addPairOuters(gradBT, h * g.unsqueeze(1), dy, pairs.tokens, pairs.experts, {});  // g s h dy^T
            gradB = gradBT.transpose(1, 2).contiguous();
            const auto dh = dyB * (g * keep).unsqueeze(1);
            gradA = at::zeros(a.sizes(), a.options());  // contiguous, whatever the layout of a and u
            addPairOuters(gradA, dh, u, pairs.tokens, pairs.experts, dropped);
            gradU = at::zeros(u.sizes(), u.options());
            addPairCombinations(gradU, dh, a, pairs.tokens, pairs.experts, dropped);
        } else {
            const auto aT = a.transpose(1, 2).contiguous(),
                       bT = b.transpose(1, 2).contiguous();  // [E, I, r], [E, r, H]
            const auto P = pairs.tokens.size(0), step = pairsPerPass(u, P);
            const auto dyPairs = dy.index_select(0, pairs.tokens);      // [P, H]
            const auto dyB = groupedLinear(dyPairs, bT, pairs.counts);  // [P, r]: B_e^T dy
            gradGateSorted = (dyB * h).sum(1) * scale;
            gradB = at::zeros_like(masterB);
            addGroupedOuter(gradB, dyPairs * g.unsqueeze(1), h, pairs.counts);  // g s dy h^T
            const auto dh = dyB * (g * keep).unsqueeze(1);  // gradient of A_e u_n, before taking off the dropped share
            gradA = at::zeros_like(masterA);
            gradU = at::zeros(u.sizes(), u.options());
            for (std::int64_t begin = 0; begin < P; begin += step) {
                const auto n = std::min(step, P - begin);
                const auto counts = countsWithin(pairs.counts, begin, begin + n);
                const auto tokens = pairs.tokens.narrow(0, begin, n), dhs = dh.narrow(0, begin, n);
                addGroupedOuter(gradA, dhs, u.index_select(0, tokens),
                                counts);  // gathered again, not kept from the forward pass
                gradU.index_add_(0, tokens, groupedLinear(dhs, aT, counts));
            }
            if (dropped.pair.numel() > 0) {
                auto gradAT = at::zeros_like(aT);
                addDroppedShareGradients(dh, u, aT, pairs.tokens, pairs.experts, dropped, -1.0, gradAT, gradU);
                gradA.add_(gradAT.transpose(1, 2));
            }
        }
        auto gradGates =
            at::zeros({gates.numel()}, gradGateSorted.options()).index_copy(0, pairs.order, gradGateSorted);
        return {gradU,        gradA,        gradB,       gradGates.view(gates.sizes()).to(gates.scalar_type()),
                at::Tensor(), at::Tensor(), at::Tensor()};
    }
};

}  // namespace

Dispatch dispatchFromName(const std::string &name) {
    if (name == "grouped") return Dispatch::Grouped;
    if (name == "loop") return Dispatch::Loop;
    if (name == "dense") return Dispatch::Dense;
    throw FormatError("dispatch: expected grouped, loop or dense, got \"" + name + "\"");
}

at::Tensor expertDelta(const at::Tensor &u, const at::Tensor &expertA, const at::Tensor &expertB,
                       const at::Tensor &chosen, const at::Tensor &gates, double scale, double dropout, bool training,
                       Dispatch dispatch) {
    const auto drop = ExpertDropout::draw(training ? dropout : 0.0);
    const auto E = expertA.size(0), r = expertA.size(1), H = expertB.size(1), I = u.size(1), N = u.size(0);
    if (dispatch == Dispatch::Dense) {
        auto h = at::linear(u, expertA.reshape({E * r, -1})).view({N * E, r});  // A_e u_n for every expert
        if (drop.active()) {
            const auto tokens = at::arange(N, chosen.options()).repeat_interleave(chosen.size(1)),
                       experts = chosen.reshape({-1});
            const auto share =
                DroppedShare::apply(u, expertA.to(u.scalar_type()), tokens, experts, drop.dropped(tokens, experts, I));
            // only the chosen pairs' rows change; the others are weighted by zero below
            h = h.index_add(0, tokens * E + experts, share, -1.0) * drop.keep();
        }
        const auto weights =
            at::zeros({N, E}, gates.options()).scatter_add(1, chosen, gates).to(h.scalar_type()) * scale;
        const auto weighted = (h.view({N, E, r}) * weights.unsqueeze(2)).reshape({N, E * r});
        return at::linear(weighted, expertB.permute({1, 0, 2}).reshape({H, E * r}));
    }
    if (dispatch == Dispatch::Grouped) return GroupedExpertLora::apply(u, expertA, expertB, gates, chosen, drop, scale);
    auto out = at::zeros({N, H}, u.options());
    for (std::int64_t e = 0; e < E; ++e) {
        const auto hit = chosen.eq(e);                      // [N, K]
        const auto rows = hit.any(1).nonzero().squeeze(1);  // tokens that chose e
        if (rows.numel() == 0) continue;
        const auto gate = (gates * hit.to(gates.scalar_type())).sum(1).index_select(0, rows);
        auto x = u.index_select(0, rows);
        if (drop.active()) {
            const auto dropped = drop.dropped(rows, at::full_like(rows, e), I);
            auto kept = at::ones_like(x);
            kept.index_put_({dropped.pair, dropped.column}, at::zeros({}, x.options()));
            x = x * kept * drop.keep();
        }
        const auto y =
            at::linear(at::linear(x, expertA[e]), expertB[e]) * (gate.unsqueeze(1).to(x.scalar_type()) * scale);
        out = out.index_add(0, rows, y);
    }
    return out;
}

at::Tensor moeDelta(const at::Tensor &u, const at::Tensor &routerInput, const MoeWeights &w, const AdapterConfig &c,
                    bool training, Dispatch dispatch, Routing *routingOut) {
    const double scale = c.alpha / c.rank;
    auto routing = route(at::linear(routerInput, w.expertRouter.t()),
                         w.dialectRouter.defined() ? at::linear(routerInput, w.dialectRouter.t()) : at::Tensor(), c);
    auto out =
        expertDelta(u, w.expertA, w.expertB, routing.chosen, routing.gates, scale, c.dropout, training, dispatch);
    if (w.sharedA.defined()) out = out + loraDelta(u, {w.sharedA, w.sharedB}, scale, c.dropout, training);
    if (routingOut) *routingOut = std::move(routing);
    return out;
}

// ---- adapter sets ------------------------------------------------------------------------------

std::vector<std::pair<std::string, at::Tensor>> AdapterLayer::namedTensors() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    auto add = [&](const std::string &name, const at::Tensor &t) {
        if (t.defined()) out.emplace_back(name, t);
    };
    for (const auto &[proj, w] : lora) {
        const std::string block =
            proj == "gate_proj" || proj == "up_proj" || proj == "down_proj" ? "mlp." : "self_attn.";
        add(block + proj + ".lora_A", w.a);
        add(block + proj + ".lora_B", w.b);
    }
    add("mlp.down_proj.experts.lora_A", moe.expertA);
    add("mlp.down_proj.experts.lora_B", moe.expertB);
    add("mlp.down_proj.shared.lora_A", moe.sharedA);
    add("mlp.down_proj.shared.lora_B", moe.sharedB);
    add("mlp.down_proj.expert_router", moe.expertRouter);
    add("mlp.down_proj.dialect_router", moe.dialectRouter);
    add("input_layernorm.weight", inputNorm);
    add("post_attention_layernorm.weight", postNorm);
    return out;
}

std::vector<std::pair<std::string, at::Tensor>> AdapterState::namedParameters() const {
    std::vector<std::pair<std::string, at::Tensor>> out;
    for (std::size_t l = 0; l < layers.size(); ++l)
        for (auto &[name, t] : layers[l].namedTensors())
            out.emplace_back("layers." + std::to_string(l) + "." + name, std::move(t));
    if (finalNorm.defined()) out.emplace_back("norm.weight", finalNorm);
    return out;
}

namespace {

// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = size(-1): kaiming_uniform_(a = sqrt(5)).
at::Tensor kaimingUniform(std::vector<std::int64_t> shape, const at::TensorOptions &o) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(shape.back()));
    return at::empty(shape, o).uniform_(-bound, bound);
}

LoraWeights newLora(std::int64_t in, std::int64_t out, int rank, const at::TensorOptions &o) {
    return {kaimingUniform({rank, in}, o), at::zeros({out, rank}, o)};
}

std::pair<std::int64_t, std::int64_t> projectionShape(const ModelConfig &c, const std::string &proj) {
    const std::int64_t H = c.hiddenSize, I = c.intermediateSize, q = std::int64_t{c.numHeads} * c.headDim,
                       kv = std::int64_t{c.numKeyValueHeads} * c.headDim;
    if (proj == "q_proj") return {H, q};
    if (proj == "k_proj" || proj == "v_proj") return {H, kv};
    if (proj == "o_proj") return {q, H};
    if (proj == "gate_proj" || proj == "up_proj") return {H, I};
    return {I, H};  // down_proj
}

}  // namespace

AdapterState createAdapters(const LanguageModel::Impl &model, const AdapterConfig &c, std::uint64_t seed) {
    AdapterState s;
    s.config = c;
    at::manual_seed(seed);
    const auto o = at::TensorOptions().dtype(at::kFloat).device(model.device);  // fp32 master weights
    const auto &mc = model.config;
    const std::int64_t I = mc.intermediateSize, H = mc.hiddenSize;
    const int r = c.rank;
    for (std::size_t l = 0; l < model.layers.size(); ++l) {
        AdapterLayer L;
        if (c.method != TrainMethod::Full) {
            for (const auto &proj : c.targets) {
                if (proj == "down_proj" && c.hasMoe()) continue;  // the MoE replaces it
                const auto [in, out] = projectionShape(mc, proj);
                L.lora[proj] = newLora(in, out, r, o);
            }
            if (c.hasMoe()) {
                const std::int64_t E = c.expertCount(), D = c.dialectCount();
                const std::int64_t routerIn = c.routerInput == RouterInput::Intermediate ? I : H;
                L.moe.expertA = kaimingUniform({E, r, I}, o);
                L.moe.expertB = at::zeros({E, H, r}, o);
                if (c.sharedExperts > 0) {
                    L.moe.sharedA = kaimingUniform({std::int64_t{c.sharedExperts} * r, I}, o);
                    L.moe.sharedB = at::zeros({H, std::int64_t{c.sharedExperts} * r}, o);
                }
                L.moe.expertRouter = kaimingUniform({routerIn, E}, o);
                if (c.dialectRouter) L.moe.dialectRouter = kaimingUniform({routerIn, D}, o);
            }
        }
        if (c.trainNorms || c.method == TrainMethod::Full) {
            L.inputNorm = model.layers[l].inputNorm.to(o, false, true);
            L.postNorm = model.layers[l].postNorm.to(o, false, true);
        }
        s.layers.push_back(std::move(L));
    }
    if (c.trainNorms || c.method == TrainMethod::Full) s.finalNorm = model.finalNorm.to(o, false, true);
    for (auto &[name, t] : s.namedParameters()) t.requires_grad_(true);
    return s;
}

void saveAdapters(const AdapterState &adapters, const std::string &dir) {
    std::filesystem::create_directories(dir);
    saveNamedTensors(adapters.namedParameters(), dir + "/adapter_model.safetensors", {{"format", "momq"}});
    writeFileAtomically(dir + "/adapter_config.json", adapterConfigToJson(adapters.config) + "\n");
}

void loadAdapterValues(AdapterState &adapters, const std::string &path) {
    loadNamedTensors(adapters.namedParameters(), path);
}

AdapterState loadAdapters(const LanguageModel::Impl &model, const std::string &dir) {
    const std::string configPath = dir + "/adapter_config.json";
    auto adapters = createAdapters(model, adapterConfigFromJson(readTextFile(configPath), configPath), 0);
    loadAdapterValues(adapters, dir + "/adapter_model.safetensors");
    for (auto &[name, t] : adapters.namedParameters()) t.requires_grad_(false);
    // Inference has no dropout, where dense dispatch equals the others and is the fastest here:
    // the demo model scored 100 test items in 7.8 s instead of 10.7 s (grouped), same predictions.
    adapters.dispatch = Dispatch::Dense;
    return adapters;
}

Adapter::Adapter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Adapter::~Adapter() = default;
const AdapterConfig &Adapter::config() const { return impl_->state.config; }

std::shared_ptr<const Adapter> Adapter::load(const LanguageModel &model, const std::string &directory) {
    try {
        auto impl = std::make_unique<Impl>();
        impl->state = loadAdapters(model.impl(), directory);
        if (impl->state.config.method == TrainMethod::Full)
            throw FormatError("a full fine-tune is a model of its own: load it with --model");
        // Inference runs in the model's dtype.
        for (auto &[name, t] : impl->state.namedParameters()) {
            at::NoGradGuard noGrad;
            const_cast<at::Tensor &>(t).set_data(t.to(model.impl().dtype));
        }
        return std::shared_ptr<const Adapter>(new Adapter(std::move(impl)));
    } catch (...) {
        rethrowWithContext("loading adapter " + directory);
    }
}

// ---- losses ------------------------------------------------------------------------------------

at::Tensor languageModelLoss(const at::Tensor &logits, const at::Tensor &labels, const at::Tensor &weights) {
    const auto T = logits.size(1);
    const auto shifted = atLeastFloat(logits.narrow(1, 0, T - 1).reshape({-1, logits.size(2)}));
    const auto targets = labels.narrow(1, 1, T - 1).reshape({-1});
    if (!weights.defined()) return at::cross_entropy_loss(shifted, targets, {}, at::Reduction::Mean, -100);
    const auto perToken = at::cross_entropy_loss(shifted, targets, {}, at::Reduction::None, -100);  // 0 where ignored
    const auto w = weights.narrow(1, 1, T - 1).reshape({-1}) * targets.ne(-100).to(weights.scalar_type());
    return (perToken * w).sum() / w.sum().clamp_min(1e-12);
}

namespace {
// Smoothed one-hot targets: (1 - eps) onehot + eps / D.
at::Tensor smoothedTargets(const at::Tensor &dialect, int64_t D, double smoothing) {
    return at::one_hot(dialect, D).to(at::kDouble) * (1.0 - smoothing) + smoothing / static_cast<double>(D);
}
}  // namespace

at::Tensor dialectRouterLoss(const std::vector<at::Tensor> &dialectLogits, const at::Tensor &dialect,
                             const at::Tensor &valid, RoutingVariant variant, double smoothing) {
    if (dialectLogits.empty()) throw Error("dialect router loss: no dialect logits");
    const auto D = dialectLogits[0].size(-1);
    const auto targets = smoothedTargets(dialect, D, smoothing);  // [B, D]
    if (variant == RoutingVariant::Reference) {
        auto mean = atLeastFloat(at::stack(dialectLogits)).mean(0).mean(1);  // [B, D]: layers, then positions
        return -(targets.to(mean.scalar_type()) * at::log_softmax(mean, -1)).sum(-1).mean();
    }
    at::Tensor total;
    for (const auto &z : dialectLogits) {
        const auto logp = at::log_softmax(atLeastFloat(z), -1);
        const auto mask = valid.to(logp.scalar_type());                                       // [B, T]
        const auto perToken = -(targets.to(logp.scalar_type()).unsqueeze(1) * logp).sum(-1);  // [B, T]
        const auto layer = (perToken * mask).sum() / mask.sum();
        total = total.defined() ? total + layer : layer;
    }
    return total / static_cast<double>(dialectLogits.size());
}

namespace {
// M sum f P over one set of rows: probs [R, M] of valid rows, top-k indices from the same probs.
at::Tensor switchBalance(const at::Tensor &probs, std::int64_t k) {
    const auto M = probs.size(1);
    const auto R = static_cast<double>(probs.size(0));
    const auto chosen = std::get<1>(probs.topk(k, -1));
    const auto f = at::zeros({M}, probs.options())
                       .index_add_(0, chosen.reshape({-1}), at::ones({chosen.numel()}, probs.options())) /
                   R;
    const auto P = probs.mean(0);
    return static_cast<double>(M) * (f * P).sum();
}
}  // namespace

at::Tensor balanceLoss(const std::vector<at::Tensor> &expertLogits, const at::Tensor &valid, const AdapterConfig &c) {
    if (expertLogits.empty()) throw Error("balance loss: no expert logits");
    const auto rows = valid.reshape({-1}).nonzero().squeeze(1);
    const auto E = c.expertCount();
    const bool grouped = c.routing == RoutingVariant::Paper && c.dialectRouter;
    if (!grouped) {
        std::vector<at::Tensor> pooled;
        for (const auto &a : expertLogits) pooled.push_back(a.reshape({-1, E}).index_select(0, rows));
        return switchBalance(at::softmax(atLeastFloat(at::cat(pooled)), -1), c.topK);
    }
    const int D = c.dialectCount(), M = c.expertsPerGroup;
    at::Tensor total;
    for (const auto &a : expertLogits) {
        const auto probs = at::softmax(atLeastFloat(a.reshape({-1, D, M}).index_select(0, rows)), -1);  // [R, D, M]
        for (int g = 0; g < D; ++g) {
            const auto term = switchBalance(probs.select(1, g), c.topK);
            total = total.defined() ? total + term : term;
        }
    }
    return total / static_cast<double>(expertLogits.size() * D);
}

}  // namespace momq
