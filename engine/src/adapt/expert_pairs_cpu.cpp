// The grouped expert dispatch's products on the CPU, float32 and float64: loops over the (token,
// expert) pairs that read each pair's token row where it lies. Through ATen the dispatch had to
// gather every pair's row of the FFN width first, multiply in products only r columns wide, and
// keep [P, H] intermediates for the output side: on the 100M benchmark model (paper routing, 4096
// pairs a layer) that was 30 ms a layer for forward and backward, against 62 ms for the per-expert
// loop. The arithmetic itself is about 0.3 GFLOP. Pairs come sorted by expert, so an expert's
// weights stay in cache while its pairs pass.
#include "adapt/adapters.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

namespace momq {
namespace {

// The inner loops, compiled for AVX-512, AVX2 and the baseline, chosen when the program loads.
#define MOMQ_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

// out[k] = sum_i m[k stride + i] x[i] for k < rows: four rows per pass over x.
template <typename T>
MOMQ_VECTOR_CLONES void rowDots(const T *__restrict m, std::int64_t stride, std::int64_t rows, const T *__restrict x,
                                std::int64_t n, T *__restrict out) {
    std::int64_t k = 0;
    for (; k + 4 <= rows; k += 4) {
        const T *m0 = m + k * stride, *m1 = m0 + stride, *m2 = m1 + stride, *m3 = m2 + stride;
        T s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
        for (std::int64_t i = 0; i < n; ++i) {
            s0 += m0[i] * x[i];
            s1 += m1[i] * x[i];
            s2 += m2[i] * x[i];
            s3 += m3[i] * x[i];
        }
        out[k] = s0, out[k + 1] = s1, out[k + 2] = s2, out[k + 3] = s3;
    }
    for (; k < rows; ++k) {
        const T *mk = m + k * stride;
        T s = 0;
#pragma omp simd reduction(+ : s)
        for (std::int64_t i = 0; i < n; ++i) s += mk[i] * x[i];
        out[k] = s;
    }
}

// y[i] += sum_k c[k] m[k stride + i] for i < n.
template <typename T>
MOMQ_VECTOR_CLONES void addRowCombination(T *__restrict y, const T *__restrict c, const T *__restrict m,
                                          std::int64_t stride, std::int64_t rows, std::int64_t n) {
    std::int64_t k = 0;
    for (; k + 4 <= rows; k += 4) {
        const T *m0 = m + k * stride, *m1 = m0 + stride, *m2 = m1 + stride, *m3 = m2 + stride;
        const T c0 = c[k], c1 = c[k + 1], c2 = c[k + 2], c3 = c[k + 3];
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i) y[i] += c0 * m0[i] + c1 * m1[i] + c2 * m2[i] + c3 * m3[i];
    }
    for (; k < rows; ++k) {
        const T *mk = m + k * stride;
        const T ck = c[k];
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i) y[i] += ck * mk[i];
    }
}

// g[k stride + i] += c[k] x[i] for k < rows, i < n.
template <typename T>
MOMQ_VECTOR_CLONES void addOuter(T *__restrict g, std::int64_t stride, std::int64_t rows, const T *__restrict c,
                                 const T *__restrict x, std::int64_t n) {
    for (std::int64_t k = 0; k < rows; ++k) {
        T *gk = g + k * stride;
        const T ck = c[k];
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i) gk[i] += ck * x[i];
    }
}

// The pairs and, when dropout is on, each pair's dropped columns (ascending, as
// ExpertDropout::dropped lists them).
struct PairView {
    const std::int64_t *token, *expert;
    std::int64_t count;
    const std::int64_t *dropStart = nullptr, *dropColumn = nullptr;

    PairView(const at::Tensor &tokens, const at::Tensor &experts, const DroppedElements &dropped)
        : token(tokens.data_ptr<std::int64_t>()), expert(experts.data_ptr<std::int64_t>()), count(tokens.size(0)) {
        if (dropped.start.defined() && dropped.column.numel() > 0) {
            dropStart = dropped.start.data_ptr<std::int64_t>();
            dropColumn = dropped.column.data_ptr<std::int64_t>();
        }
    }
    // All of pair q's dropped columns.
    std::pair<const std::int64_t *, const std::int64_t *> dropped(std::int64_t q) const {
        if (!dropStart) return {nullptr, nullptr};
        return {dropColumn + dropStart[q], dropColumn + dropStart[q + 1]};
    }
};

// Pair q's dropped columns block by block, for blocks taken in ascending order: a cursor per pair
// instead of a search per pair and block (those searches were most of the column-split loops).
class DroppedCursor {
public:
    DroppedCursor(const PairView &pairs, std::int64_t begin) : pairs_(pairs) {
        if (!pairs.dropStart) return;
        next_.resize(pairs.count);
        for (std::int64_t q = 0; q < pairs.count; ++q) {
            const auto [first, last] = pairs.dropped(q);
            next_[q] = std::lower_bound(first, last, begin);
        }
    }
    // Pair q's dropped columns before `end` not yet returned.
    std::pair<const std::int64_t *, const std::int64_t *> before(std::int64_t q, std::int64_t end) {
        if (next_.empty()) return {nullptr, nullptr};
        const std::int64_t *first = next_[q], *last = first, *limit = pairs_.dropped(q).second;
        while (last != limit && *last < end) ++last;
        next_[q] = last;
        return {first, last};
    }

private:
    const PairView &pairs_;
    std::vector<const std::int64_t *> next_;
};

// x[begin, end) with the dropped columns [first, last) zeroed: a copy in `buffer`, or x itself
// where none are dropped there.
template <typename T>
const T *withoutDropped(std::pair<const std::int64_t *, const std::int64_t *> dropped, const T *x, std::int64_t begin,
                        std::int64_t end, std::vector<T> &buffer) {
    const auto [first, last] = dropped;
    if (first == last) return x + begin;
    buffer.assign(x + begin, x + end);
    for (auto column = first; column != last; ++column) buffer[*column - begin] = 0;
    return buffer.data();
}

// Columns per block in the column-split loops: a block of an expert's r rows stays in L1 while the
// expert's pairs pass over it.
constexpr std::int64_t blockColumns = 256;

// Splits [0, width) among threads by column, so that no two threads write the same element, and
// calls body(begin, end, cursor) for each block of a thread's share, in ascending order.
template <typename Body> void forColumnBlocks(std::int64_t width, const PairView &pairs, const Body &body) {
    at::parallel_for(0, width, 64, [&](std::int64_t begin, std::int64_t end) {
        DroppedCursor cursor(pairs, begin);
        for (std::int64_t b = begin; b < end; b += blockColumns) body(b, std::min(end, b + blockColumns), cursor);
    });
}

void checkPairs(const at::Tensor &tokens, const at::Tensor &experts) {
    TORCH_CHECK(tokens.is_contiguous() && experts.is_contiguous() && tokens.scalar_type() == at::kLong &&
                    experts.scalar_type() == at::kLong && tokens.size(0) == experts.size(0),
                "expert pairs: tokens and experts must be contiguous int64 of one length");
}

}  // namespace

at::Tensor pairRowDots(const at::Tensor &x, const at::Tensor &m, const at::Tensor &tokens, const at::Tensor &experts,
                       const DroppedElements &dropped, double factor) {
    checkPairs(tokens, experts);
    const auto rows = m.size(1), W = m.size(2);
    const auto xs = x.contiguous(), ms = m.contiguous();
    auto out = at::empty({tokens.size(0), rows}, x.options());
    const PairView pairs(tokens, experts, dropped);
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "pairRowDots", [&] {
        const scalar_t *xData = xs.data_ptr<scalar_t>(), *mData = ms.data_ptr<scalar_t>();
        scalar_t *o = out.data_ptr<scalar_t>();
        const auto f = static_cast<scalar_t>(factor);
        at::parallel_for(0, pairs.count, 16, [&](std::int64_t begin, std::int64_t end) {
            std::vector<scalar_t> buffer;
            for (std::int64_t q = begin; q < end; ++q) {
                scalar_t *oq = o + q * rows;
                rowDots(mData + pairs.expert[q] * rows * W, W, rows,
                        withoutDropped(pairs.dropped(q), xData + pairs.token[q] * W, 0, W, buffer), W, oq);
                for (std::int64_t k = 0; k < rows; ++k) oq[k] *= f;
            }
        });
    });
    return out;
}

void addPairCombinations(at::Tensor &y, const at::Tensor &c, const at::Tensor &m, const at::Tensor &tokens,
                         const at::Tensor &experts, const DroppedElements &dropped) {
    checkPairs(tokens, experts);
    TORCH_CHECK(y.is_contiguous(), "addPairCombinations: y must be contiguous");
    const auto rows = m.size(1), W = m.size(2);
    const auto cs = c.contiguous(), ms = m.contiguous();
    const PairView pairs(tokens, experts, dropped);
    AT_DISPATCH_FLOATING_TYPES(y.scalar_type(), "addPairCombinations", [&] {
        const scalar_t *cData = cs.data_ptr<scalar_t>(), *mData = ms.data_ptr<scalar_t>();
        scalar_t *yData = y.data_ptr<scalar_t>();
        forColumnBlocks(W, pairs, [&](std::int64_t begin, std::int64_t end, DroppedCursor &cursor) {
            std::vector<scalar_t> kept;  // y's values at the dropped columns, put back after the sum
            for (std::int64_t q = 0; q < pairs.count; ++q) {
                scalar_t *yq = yData + pairs.token[q] * W;
                const auto [first, last] = cursor.before(q, end);
                kept.clear();
                for (auto column = first; column != last; ++column) kept.push_back(yq[*column]);
                addRowCombination(yq + begin, cData + q * rows, mData + pairs.expert[q] * rows * W + begin, W, rows,
                                  end - begin);
                for (auto column = first; column != last; ++column) yq[*column] = kept[column - first];
            }
        });
    });
}

void addPairOuters(at::Tensor &g, const at::Tensor &c, const at::Tensor &x, const at::Tensor &tokens,
                   const at::Tensor &experts, const DroppedElements &dropped) {
    checkPairs(tokens, experts);
    TORCH_CHECK(g.is_contiguous(), "addPairOuters: g must be contiguous");
    const auto rows = g.size(1), W = g.size(2);
    const auto cs = c.contiguous(), xs = x.contiguous();
    const PairView pairs(tokens, experts, dropped);
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "addPairOuters", [&] {
        const scalar_t *cData = cs.data_ptr<scalar_t>(), *xData = xs.data_ptr<scalar_t>();
        scalar_t *gData = g.data_ptr<scalar_t>();
        forColumnBlocks(W, pairs, [&](std::int64_t begin, std::int64_t end, DroppedCursor &cursor) {
            std::vector<scalar_t> buffer;
            for (std::int64_t q = 0; q < pairs.count; ++q)
                addOuter(gData + pairs.expert[q] * rows * W + begin, W, rows, cData + q * rows,
                         withoutDropped(cursor.before(q, end), xData + pairs.token[q] * W, begin, end, buffer),
                         end - begin);
        });
    });
}

}  // namespace momq
