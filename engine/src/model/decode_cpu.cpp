// One decode step on the CPU for one sequence without adapters: each layer in a few loops over raw
// memory instead of the ~30 ATen calls forward() spends on it. At batch 1 a layer's work outside
// its four matrix-vector products is a few thousand multiplications, and dispatching those calls
// (with caches cold after each weight read) cost more than the arithmetic: about 1.6 ms of an
// 11 ms step on the 100M benchmark model. The rounding points follow forward(), which stays the
// reference; test_language_model compares the two.
#include "model/qwen2_model.h"

#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>

#include <immintrin.h>

#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

namespace momq {
namespace {

using BFloat16 = c10::BFloat16;

bool cpuHasAvx512Bf16() {
    static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bf16");
    return has;
}

// GCC 12's AVX-512 extract intrinsics start from an "undefined" register and warn that it may be
// used uninitialised; it is not (every lane is written).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// The sum of v's 16 floats.
__attribute__((target("avx512f"))) inline float sumOf(__m512 v) {
    const __m256 half =
        _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    const __m128 quarter = _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
    const __m128 pair = _mm_add_ps(quarter, _mm_movehl_ps(quarter, quarter));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)));
}

// out[n] = W[n] . x for rows first..last of W [N, K] in bfloat16, K a multiple of 32: four rows
// at a time, so each load of x serves four rows' streams; 32 products per instruction.
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void
bf16Rows(const BFloat16 *W, const BFloat16 *x, std::int64_t K, std::int64_t first, std::int64_t last, float *out) {
    std::int64_t n = first;
    for (; n + 4 <= last; n += 4) {
        const BFloat16 *w = W + n * K;
        __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (std::int64_t k = 0; k < K; k += 32) {
            const auto v = (__m512bh)_mm512_loadu_si512(x + k);
            s0 = _mm512_dpbf16_ps(s0, (__m512bh)_mm512_loadu_si512(w + k), v);
            s1 = _mm512_dpbf16_ps(s1, (__m512bh)_mm512_loadu_si512(w + K + k), v);
            s2 = _mm512_dpbf16_ps(s2, (__m512bh)_mm512_loadu_si512(w + 2 * K + k), v);
            s3 = _mm512_dpbf16_ps(s3, (__m512bh)_mm512_loadu_si512(w + 3 * K + k), v);
        }
        out[n] = sumOf(s0);
        out[n + 1] = sumOf(s1);
        out[n + 2] = sumOf(s2);
        out[n + 3] = sumOf(s3);
    }
    for (; n < last; ++n) {
        __m512 s = _mm512_setzero_ps();
        for (std::int64_t k = 0; k < K; k += 32)
            s = _mm512_dpbf16_ps(s, (__m512bh)_mm512_loadu_si512(W + n * K + k), (__m512bh)_mm512_loadu_si512(x + k));
        out[n] = sumOf(s);
    }
}

#pragma GCC diagnostic pop

// y = W x + bias, rounded to T like at::linear's result. ATen's product where the bfloat16 kernel
// does not apply (float32, CPUs without AVX512-BF16).
template <typename T>
void matVec(const at::Tensor &W, const at::Tensor &bias, const T *x, T *y, std::vector<float> &sums) {
    const auto N = W.size(0), K = W.size(1);
    if constexpr (std::is_same_v<T, BFloat16>) {
        if (cpuHasAvx512Bf16() && K % 32 == 0 && W.is_contiguous()) {
            sums.resize(N);
            const BFloat16 *w = W.data_ptr<BFloat16>();
            // Blocks of 64 rows: enough to keep both cores streaming, few enough for a short tail.
            at::parallel_for(0, (N + 63) / 64, 4, [&](std::int64_t begin, std::int64_t end) {
                bf16Rows(w, x, K, begin * 64, std::min(end * 64, N), sums.data());
            });
            const BFloat16 *b = bias.defined() ? bias.data_ptr<BFloat16>() : nullptr;
            for (std::int64_t n = 0; n < N; ++n)
                y[n] = static_cast<T>(b ? sums[n] + static_cast<float>(b[n]) : sums[n]);
            return;
        }
    }
    const auto options = W.options();
    auto out = at::from_blob(y, {1, N}, options);
    at::linear_out(out, at::from_blob(const_cast<T *>(x), {1, K}, options), W, bias);
}

// forward()'s rmsNorm: float normalisation rounded to T, then times the weight in T.
template <typename T> void rmsNorm(const T *h, const T *weight, std::int64_t H, double eps, T *out) {
    float squares = 0;
#pragma omp simd reduction(+ : squares)
    for (std::int64_t i = 0; i < H; ++i) squares += static_cast<float>(h[i]) * static_cast<float>(h[i]);
    const float scale = 1.0f / std::sqrt(squares / static_cast<float>(H) + static_cast<float>(eps));
    for (std::int64_t i = 0; i < H; ++i)
        out[i] = static_cast<T>(static_cast<float>(weight[i]) *
                                static_cast<float>(static_cast<T>(static_cast<float>(h[i]) * scale)));
}

// Rotates `heads` heads of width D in place: x cos + rotate_half(x) sin, each product rounded
// to T as forward()'s elementwise operations do.
template <typename T> void rotate(T *x, std::int64_t heads, std::int64_t D, const T *cos, const T *sin) {
    const auto half = D / 2;
    for (std::int64_t h = 0; h < heads; ++h) {
        T *v = x + h * D;
        for (std::int64_t i = 0; i < half; ++i) {
            const float a = static_cast<float>(v[i]), b = static_cast<float>(v[i + half]);
            const float first = static_cast<float>(static_cast<T>(a * static_cast<float>(cos[i]))) +
                                static_cast<float>(static_cast<T>(-b * static_cast<float>(sin[i])));
            const float second = static_cast<float>(static_cast<T>(b * static_cast<float>(cos[i + half]))) +
                                 static_cast<float>(static_cast<T>(a * static_cast<float>(sin[i + half])));
            v[i] = static_cast<T>(first);
            v[i + half] = static_cast<T>(second);
        }
    }
}

// Attention of one query head q [D] over S cached keys and values [S, D]: softmax in float.
template <typename T>
void attendHead(const T *q, const T *keys, const T *values, std::int64_t S, std::int64_t D, float *scores, float *acc,
                T *out) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(D));
    float top = -INFINITY;
    for (std::int64_t s = 0; s < S; ++s) {
        const T *k = keys + s * D;
        float dot = 0;
#pragma omp simd reduction(+ : dot)
        for (std::int64_t d = 0; d < D; ++d) dot += static_cast<float>(q[d]) * static_cast<float>(k[d]);
        scores[s] = dot * scale;
        top = std::max(top, scores[s]);
    }
    float total = 0;
    for (std::int64_t s = 0; s < S; ++s) total += scores[s] = std::exp(scores[s] - top);
    std::fill(acc, acc + D, 0.0f);
    for (std::int64_t s = 0; s < S; ++s) {
        const T *v = values + s * D;
        const float p = scores[s];
#pragma omp simd
        for (std::int64_t d = 0; d < D; ++d) acc[d] += p * static_cast<float>(v[d]);
    }
    for (std::int64_t d = 0; d < D; ++d) out[d] = static_cast<T>(acc[d] / total);
}

template <typename T>
at::Tensor decodeStep(const LanguageModel::Impl &m, std::int64_t id, const at::Tensor &position, KvCache &cache) {
    const auto &c = m.config;
    const std::int64_t H = c.hiddenSize, nH = c.numHeads, nKV = c.numKeyValueHeads, D = c.headDim,
                       I = c.intermediateSize;
    const std::int64_t qSize = nH * D, kvSize = nKV * D, S = cache.length + 1, capacity = cache.capacity;
    std::vector<T> h(H), x(H), qkv(qSize + 2 * kvSize), attn(qSize), projected(H), gateUp(2 * I), u(I);
    std::vector<float> sums;
    const T *embedding = m.embed.data_ptr<T>() + id * H;
    std::copy(embedding, embedding + H, h.begin());

    const auto [cos, sin] = m.rotaryTables(position);  // [1, 1, 1, D] each, contiguous
    auto addInto = [&](std::vector<T> &to, const std::vector<T> &from) {
        for (std::int64_t i = 0; i < H; ++i)
            to[i] = static_cast<T>(static_cast<float>(to[i]) + static_cast<float>(from[i]));
    };

    for (std::size_t l = 0; l < m.layers.size(); ++l) {
        const auto &L = m.layers[l];
        rmsNorm(h.data(), L.inputNorm.data_ptr<T>(), H, c.rmsNormEps, x.data());
        matVec(L.qkvWeight, L.qkvBias, x.data(), qkv.data(), sums);
        rotate(qkv.data(), nH + nKV, D, cos.data_ptr<T>(), sin.data_ptr<T>());
        // This position's keys and values into the cache [1, nKV, capacity, D].
        T *keys = cache.keys[l].data_ptr<T>(), *values = cache.values[l].data_ptr<T>();
        for (std::int64_t g = 0; g < nKV; ++g) {
            std::memcpy(keys + (g * capacity + S - 1) * D, qkv.data() + qSize + g * D, D * sizeof(T));
            std::memcpy(values + (g * capacity + S - 1) * D, qkv.data() + qSize + kvSize + g * D, D * sizeof(T));
        }
        at::parallel_for(0, nH, 4, [&](std::int64_t begin, std::int64_t end) {
            std::vector<float> scores(S), acc(D);
            for (std::int64_t head = begin; head < end; ++head) {
                const auto g = head / (nH / nKV);
                attendHead(qkv.data() + head * D, keys + g * capacity * D, values + g * capacity * D, S, D,
                           scores.data(), acc.data(), attn.data() + head * D);
            }
        });
        matVec(L.oWeight, at::Tensor(), attn.data(), projected.data(), sums);
        addInto(h, projected);
        rmsNorm(h.data(), L.postNorm.data_ptr<T>(), H, c.rmsNormEps, x.data());
        matVec(L.gateUpWeight, at::Tensor(), x.data(), gateUp.data(), sums);
        for (std::int64_t i = 0; i < I; ++i) {
            const float gate = static_cast<float>(gateUp[i]);
            const T activated = static_cast<T>(gate / (1.0f + std::exp(-gate)));
            u[i] = static_cast<T>(static_cast<float>(activated) * static_cast<float>(gateUp[I + i]));
        }
        matVec(L.downWeight, at::Tensor(), u.data(), projected.data(), sums);
        addInto(h, projected);
    }
    cache.length = S;
    rmsNorm(h.data(), m.finalNorm.data_ptr<T>(), H, c.rmsNormEps, x.data());
    const auto V = m.lmHead.size(0);
    auto logits = at::empty({1, 1, V}, at::TensorOptions().dtype(m.dtype));
    matVec(m.lmHead, at::Tensor(), x.data(), logits.data_ptr<T>(), sums);
    return logits.to(at::kFloat);
}

}  // namespace

bool LanguageModel::Impl::decodesFused(const at::Tensor &ids, const at::Tensor &keyValid, const KvCache *cache,
                                       const AdapterState *adapters) const {
    if (!cache || adapters || keyValid.defined() || !device.is_cpu() || c10::GradMode::is_enabled()) return false;
    if (ids.size(0) != 1 || ids.size(1) != 1 || cache->length + 1 > cache->capacity) return false;
    // An id outside the vocabulary is left to the general path, whose embedding lookup refuses it.
    const auto id = ids.item<std::int64_t>();
    if (id < 0 || id >= embed.size(0)) return false;
    if (dtype != at::kFloat && dtype != at::kBFloat16) return false;
    for (std::size_t l = 0; l < layers.size(); ++l)
        if (!cache->keys[l].is_contiguous() || !cache->values[l].is_contiguous()) return false;
    return embed.is_contiguous();
}

at::Tensor LanguageModel::Impl::decodeFused(std::int64_t id, const at::Tensor &position, KvCache &cache) const {
    return dtype == at::kBFloat16 ? decodeStep<BFloat16>(*this, id, position, cache)
                                  : decodeStep<float>(*this, id, position, cache);
}

}  // namespace momq
