// The fused one-token decode step (decode_cpu.cpp) against forward()'s general path: the same
// logits and the same cache, step after step, in float32 and bfloat16, with and without q/k/v
// biases, on shapes that take both the AVX512-BF16 product and ATen's; and only where it applies.
#include "model/qwen2_model.h"  // torch headers first: Qt's keywords are off for this file (QT_NO_KEYWORDS)
#include "momq/error.h"
#include <ATen/core/grad_mode.h>

#include "test_support.h"

#include <QtTest>

using namespace momq;

namespace {

KvCache copyOf(const KvCache &cache) {
    KvCache copy = cache;
    for (auto &k : copy.keys) k = k.clone();
    for (auto &v : copy.values) v = v.clone();
    return copy;
}

at::Tensor oneToken(std::int64_t value) { return at::full({1, 1}, value, at::kLong); }

}  // namespace

class TestDecodeCpu : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fusedStepsEqualForward_data();
    void fusedStepsEqualForward();
    void onlyOneTokenOfOneSequenceWithoutGradientsIsFused();
};

void TestDecodeCpu::fusedStepsEqualForward_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<double>("tolerance");
    // float32 differs only in summation order; bfloat16 rounds where forward() does, but one
    // rounding step apart in a sum flips a last bit (0.4 %) that later layers carry on.
    QTest::newRow("qwen2 f32") << "tiny-qwen2"
                               << "f32" << 1e-4;
    QTest::newRow("qwen2 bf16") << "tiny-qwen2"
                                << "bf16" << 3e-2;
    QTest::newRow("llama f32") << "tiny-llama"
                               << "f32" << 1e-4;
    QTest::newRow("llama bf16") << "tiny-llama"
                                << "bf16" << 3e-2;
}

void TestDecodeCpu::fusedStepsEqualForward() {
    QFETCH(QString, model);
    QFETCH(QString, dtype);
    QFETCH(double, tolerance);
    const auto loaded =
        LanguageModel::load(test::dataPath("engine/" + model.toStdString()), {"cpu", dtype.toStdString()});
    const auto &m = loaded->impl();
    at::NoGradGuard noGrad;
    at::manual_seed(3);
    const std::int64_t prompt = 9;
    const auto ids = at::randint(m.config.vocabSize, {1, prompt}, at::kLong);
    KvCache fused = m.newCache(1, 32);
    auto logits = m.forward(ids, at::arange(prompt, at::kLong).unsqueeze(0), at::Tensor(), &fused, true);
    KvCache general = copyOf(fused);
    for (std::int64_t step = 0; step < 8; ++step) {
        const auto next = logits.reshape({-1}).argmax().item<std::int64_t>();
        const auto position = at::full({1, 1}, prompt + step, at::kLong);
        QVERIFY(m.decodesFused(oneToken(next), at::Tensor(), &fused, nullptr));
        const auto fast = m.forward(oneToken(next), position, at::Tensor(), &fused, true);
        {
            at::AutoGradMode enabled(true);  // gradients on: forward() takes its general path
            QVERIFY(!m.decodesFused(oneToken(next), at::Tensor(), &general, nullptr));
            logits = m.forward(oneToken(next), position, at::Tensor(), &general, true).detach();
        }
        QCOMPARE(fast.sizes(), logits.sizes());
        QCOMPARE(fast.scalar_type(), at::kFloat);
        const double scale = logits.abs().max().item<double>();
        const double difference = (fast - logits).abs().max().item<double>();
        if (difference > tolerance * scale)
            QFAIL(
                qPrintable(QString("step %1: logits differ by %2 (largest %3)").arg(step).arg(difference).arg(scale)));
        QCOMPARE(fused.length, general.length);
    }
    for (std::size_t l = 0; l < m.layers.size(); ++l) {
        const auto k = fused.keys[l].narrow(2, 0, fused.length).to(at::kFloat),
                   g = general.keys[l].narrow(2, 0, general.length).to(at::kFloat);
        const auto v = fused.values[l].narrow(2, 0, fused.length).to(at::kFloat),
                   w = general.values[l].narrow(2, 0, general.length).to(at::kFloat);
        const double keyScale = g.abs().max().item<double>(), valueScale = w.abs().max().item<double>();
        if ((k - g).abs().max().item<double>() > tolerance * keyScale ||
            (v - w).abs().max().item<double>() > tolerance * valueScale)
            QFAIL(qPrintable(QString("layer %1: cached keys differ by %2 (largest %3), values by %4 (largest %5)")
                                 .arg(l)
                                 .arg((k - g).abs().max().item<double>())
                                 .arg(keyScale)
                                 .arg((v - w).abs().max().item<double>())
                                 .arg(valueScale)));
    }
}

void TestDecodeCpu::onlyOneTokenOfOneSequenceWithoutGradientsIsFused() {
    const auto loaded = LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"cpu", "f32"});
    const auto &m = loaded->impl();
    at::NoGradGuard noGrad;
    KvCache one = m.newCache(1, 4), two = m.newCache(2, 4);
    QVERIFY(m.decodesFused(oneToken(5), at::Tensor(), &one, nullptr));
    QVERIFY(!m.decodesFused(at::full({1, 2}, 5, at::kLong), at::Tensor(), &one, nullptr));  // prefill
    QVERIFY(!m.decodesFused(at::full({2, 1}, 5, at::kLong), at::Tensor(), &two, nullptr));  // beams, batches
    QVERIFY(!m.decodesFused(oneToken(5), at::ones({1, 1}, at::kBool), &one, nullptr));      // padding
    QVERIFY(!m.decodesFused(oneToken(5), at::Tensor(), nullptr, nullptr));                  // no cache
    QVERIFY(!m.decodesFused(oneToken(m.config.vocabSize), at::Tensor(), &one, nullptr));    // not a token
    QVERIFY(!m.decodesFused(oneToken(-1), at::Tensor(), &one, nullptr));
    one.length = one.capacity;
    QVERIFY(!m.decodesFused(oneToken(5), at::Tensor(), &one, nullptr));
    // A full cache is still an error naming it, from the general path.
    bool refused = false;
    try {
        m.forward(oneToken(5), at::full({1, 1}, 4, at::kLong), at::Tensor(), &one, true);
    } catch (const Error &e) {
        refused = std::string(e.what()).find("KV cache full") != std::string::npos;
    }
    QVERIFY(refused);
}

QTEST_GUILESS_MAIN(TestDecodeCpu)
#include "test_decode_cpu.moc"
