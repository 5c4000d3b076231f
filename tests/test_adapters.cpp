// The MoMQ adapter math: LoRA, the routing variants, grouped expert dispatch against the plain
// per-expert loop (outputs and gradients), float64 finite-difference gradient checks, and every
// loss against values computed here by hand with plain loops; the trainer's fused AdamW step
// against torch's own.
#include "train/adamw.h"  // torch headers first: Qt's keywords are off for this file (QT_NO_KEYWORDS)
#include "adapt/adapters.h"
#include "momq/error.h"
#include "model/qwen2_model.h"
#include <torch/csrc/autograd/autograd.h>
#include <torch/serialize.h>
#include <ATen/core/grad_mode.h>

#include "test_support.h"

#include <QtTest>

#include <cmath>
#include <sstream>

using namespace momq;

namespace {

at::TensorOptions f64() { return at::TensorOptions().dtype(at::kDouble); }

AdapterConfig smallConfig(RoutingVariant variant) {
    AdapterConfig c;
    c.dialects = {"a", "b"};
    c.expertsPerGroup = 3;
    c.topK = 2;
    c.rank = 2;
    c.alpha = 4;
    c.dropout = 0;
    c.sharedExperts = 1;
    c.routing = variant;
    return c;
}

std::vector<double> softmax(const std::vector<double> &z) {
    double m = -1e300, s = 0;
    for (double v : z) m = std::max(m, v);
    std::vector<double> out;
    for (double v : z) s += std::exp(v - m);
    for (double v : z) out.push_back(std::exp(v - m) / s);
    return out;
}

// Central differences of f at every element of `param` listed in `indices`, against autograd.
void checkGradient(const std::function<at::Tensor()> &f, at::Tensor param, const char *name) {
    auto loss = f();
    auto grad = torch::autograd::grad({loss}, {param}, {}, false, false, true)[0];
    if (!grad.defined()) grad = at::zeros_like(param);
    const double eps = 1e-6;
    auto flat = param.detach().view({-1});
    for (std::int64_t i = 0; i < flat.numel(); i += std::max<std::int64_t>(1, flat.numel() / 7)) {
        const double saved = flat[i].item<double>();
        double plus, minus;
        {
            at::NoGradGuard ng;
            flat[i] = saved + eps;
            plus = f().item<double>();
            flat[i] = saved - eps;
            minus = f().item<double>();
            flat[i] = saved;
        }
        const double numeric = (plus - minus) / (2 * eps);
        const double analytic = grad.view({-1})[i].item<double>();
        QVERIFY2(std::abs(numeric - analytic) <= 1e-6 * std::max(1.0, std::abs(numeric)),
                 qPrintable(QStringLiteral("%1[%2]: numeric %3, autograd %4")
                                .arg(QLatin1String(name))
                                .arg(i)
                                .arg(numeric)
                                .arg(analytic)));
    }
}

}  // namespace

class TestAdapters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loraByHand();
    void paperRoutingByHand();
    void referenceRoutingByHand();
    void flatRoutingWithoutDialectRouter();
    void groupedDispatchEqualsTheLoop_data();
    void groupedDispatchEqualsTheLoop();
    void expertDropoutDrawsOneMaskPerPair();
    void groupedLinearOnCudaEqualsTheSlices();
    void checkpointedLayersGiveTheSameGradients();
    void dropoutMasksKeepTheRightShare();
    void finiteDifferenceGradients_data();
    void finiteDifferenceGradients();
    void languageModelLossByHand();
    void dialectRouterLossByHand();
    void balanceLossByHand();
    void fusedAdamWStepsLikeTorchAdamW();
};

void TestAdapters::loraByHand() {
    auto x = at::tensor({1.0, 2.0}, f64()).view({1, 2});
    LoraWeights w{at::tensor({0.5, -1.0}, f64()).view({1, 2}), at::tensor({2.0, 3.0, -1.0}, f64()).view({3, 1})};
    // x A^T = 0.5 - 2 = -1.5; times B = [-3, -4.5, 1.5]; times scale 2
    auto y = loraDelta(x, w, 2.0, 0.0, true);
    QCOMPARE(y.sizes().vec(), (std::vector<std::int64_t>{1, 3}));
    QCOMPARE(y[0][0].item<double>(), -6.0);
    QCOMPARE(y[0][1].item<double>(), -9.0);
    QCOMPARE(y[0][2].item<double>(), 3.0);
    LoraWeights fresh{w.a, at::zeros({3, 1}, f64())};
    QCOMPARE(loraDelta(x, fresh, 2.0, 0.0, true).abs().sum().item<double>(), 0.0);  // B = 0: starts as identity
}

void TestAdapters::paperRoutingByHand() {
    const auto c = smallConfig(RoutingVariant::Paper);
    const std::vector<double> a = {1.0, 2.0, 0.0, 0.5, -1.0, 3.0}, d = {0.3, -0.2};
    const auto r = route(at::tensor(a, f64()).view({1, 6}), at::tensor(d, f64()).view({1, 2}), c);
    QCOMPARE(r.chosen.sizes().vec(), (std::vector<std::int64_t>{1, 4}));
    const auto pd = softmax(d);
    const auto g0 = softmax({1.0, 2.0, 0.0}), g1 = softmax({0.5, -1.0, 3.0});
    // group 0 keeps experts 1 and 0, group 1 keeps 5 and 3; gates renormalised in the group
    const std::vector<std::int64_t> chosen = {1, 0, 5, 3};
    const std::vector<double> gates = {pd[0] * g0[1] / (g0[1] + g0[0]), pd[0] * g0[0] / (g0[1] + g0[0]),
                                       pd[1] * g1[2] / (g1[2] + g1[0]), pd[1] * g1[0] / (g1[2] + g1[0])};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(r.chosen[0][i].item<std::int64_t>(), chosen[i]);
        QVERIFY(std::abs(r.gates[0][i].item<double>() - gates[i]) < 1e-6);
    }
    QVERIFY(std::abs(r.gates.sum().item<double>() - 1.0) < 1e-6);  // groups' weights sum to one
    QVERIFY(std::abs(r.dialectProbs[0][1].item<double>() - pd[1]) < 1e-6);
}

void TestAdapters::referenceRoutingByHand() {
    const auto c = smallConfig(RoutingVariant::Reference);
    const std::vector<double> a = {1.0, 2.0, 0.0, 0.5, -1.0, 3.0}, d = {0.3, -0.2};
    const auto r = route(at::tensor(a, f64()).view({1, 6}), at::tensor(d, f64()).view({1, 2}), c);
    const auto p = softmax(a), pd = softmax(d);
    std::vector<std::pair<double, int>> w;
    for (int e = 0; e < 6; ++e) w.emplace_back(p[e] * pd[e / 3], e);
    std::sort(w.rbegin(), w.rend());
    QCOMPARE(r.chosen.size(1), std::int64_t(2));  // k in total, not per group
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(r.chosen[0][i].item<std::int64_t>(), std::int64_t(w[i].second));
        QVERIFY(std::abs(r.gates[0][i].item<double>() - w[i].first) < 1e-6);  // no renormalisation
    }
}

void TestAdapters::flatRoutingWithoutDialectRouter() {
    auto c = smallConfig(RoutingVariant::Paper);
    c.dialectRouter = false;
    const std::vector<double> a = {1.0, 2.0, 0.0, 0.5, -1.0, 3.0};
    const auto r = route(at::tensor(a, f64()).view({1, 6}), at::Tensor(), c);
    const auto p = softmax(a);
    QCOMPARE(r.chosen[0][0].item<std::int64_t>(), std::int64_t(5));
    QCOMPARE(r.chosen[0][1].item<std::int64_t>(), std::int64_t(1));
    QVERIFY(std::abs(r.gates[0][0].item<double>() - p[5] / (p[5] + p[1])) < 1e-6);
    c.routing = RoutingVariant::Reference;
    QVERIFY(std::abs(route(at::tensor(a, f64()).view({1, 6}), at::Tensor(), c).gates[0][0].item<double>() - p[5]) <
            1e-6);
}

void TestAdapters::groupedDispatchEqualsTheLoop_data() {
    QTest::addColumn<int>("variant");
    QTest::addColumn<double>("dropout");
    QTest::addColumn<int>("width");
    // float64 and float32 take the CPU's pair kernels (1100 columns: several column blocks a thread);
    // bf16 the gathers and grouped products, 4096 columns in several passes of pairs
    QTest::addColumn<int>("type");
    const int f64 = int(at::kDouble), f32 = int(at::kFloat), bf16 = int(at::kBFloat16);
    QTest::newRow("paper") << int(RoutingVariant::Paper) << 0.0 << 10 << f64;
    QTest::newRow("reference") << int(RoutingVariant::Reference) << 0.0 << 10 << f64;
    QTest::newRow("paper, dropout") << int(RoutingVariant::Paper) << 0.3 << 10 << f64;
    QTest::newRow("reference, dropout") << int(RoutingVariant::Reference) << 0.3 << 10 << f64;
    QTest::newRow("paper, dropout, column blocks") << int(RoutingVariant::Paper) << 0.3 << 1100 << f64;
    QTest::newRow("paper, float32") << int(RoutingVariant::Paper) << 0.0 << 37 << f32;
    QTest::newRow("reference, dropout, float32") << int(RoutingVariant::Reference) << 0.3 << 300 << f32;
    QTest::newRow("paper, dropout, bf16, several passes") << int(RoutingVariant::Paper) << 0.3 << 4096 << bf16;
}

// The three dispatches compute the same thing, dropout included: each (token, expert) pair's
// mask follows from the seed and the pair, whichever way a dispatch orders its pairs.
void TestAdapters::groupedDispatchEqualsTheLoop() {
    QFETCH(int, variant);
    QFETCH(double, dropout);
    QFETCH(int, width);
    QFETCH(int, type);
    at::manual_seed(3);
    auto c = smallConfig(static_cast<RoutingVariant>(variant));
    c.expertsPerGroup = 4;
    const std::int64_t N = 37, I = width, H = 6, E = c.expertCount();
    const auto o = at::TensorOptions().dtype(static_cast<at::ScalarType>(type));
    // u a transposed view, as a caller may hand it: the kernels must not take its layout for theirs
    auto uStorage = at::randn({I, N}, o).requires_grad_();
    auto u = uStorage.t();
    auto A = at::randn({E, c.rank, I}, o).requires_grad_();
    auto B = at::randn({E, H, c.rank}, o).requires_grad_();
    auto logits = at::randn({N, E}, o).requires_grad_();
    auto dialect = at::randn({N, 2}, o).requires_grad_();
    auto R = at::randn({N, H}, o);
    // differences against the size of the values (bf16's sums of 4096 products round at about 1 %)
    const double tolerance = type == int(at::kDouble) ? 1e-10 : type == int(at::kFloat) ? 1e-5 : 3e-2;
    auto close = [](const at::Tensor &a, const at::Tensor &b, double tolerance) {
        const double difference = (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
        return difference <= tolerance * b.to(at::kDouble).abs().max().item<double>();
    };
    std::vector<at::Tensor> outputs, grads;
    for (auto dispatch : {Dispatch::Loop, Dispatch::Grouped, Dispatch::Dense}) {
        const auto r = route(logits, dialect, c);
        at::manual_seed(21);
        auto y = expertDelta(u, A, B, r.chosen, r.gates, 2.0, dropout, true, dispatch);
        outputs.push_back(y.detach());
        for (auto &g : torch::autograd::grad({(y * R).sum()}, {u, A, B, logits, dialect})) grads.push_back(g);
    }
    const char *names[] = {"u", "A", "B", "expert logits", "dialect logits"};
    for (int d = 1; d < 3; ++d) {  // grouped and dense against the loop
        QVERIFY2(close(outputs[d], outputs[0], tolerance), d == 1 ? "grouped" : "dense");
        for (int i = 0; i < 5; ++i)
            QVERIFY2(close(grads[5 * d + i], grads[i], tolerance),
                     qPrintable(QStringLiteral("%1: %2").arg(d).arg(QLatin1String(names[i]))));
    }
    if (dropout > 0) {  // and dropout did something: a different draw gives a different output
        const auto r = route(logits, dialect, c);
        at::manual_seed(22);
        QVERIFY(
            !at::allclose(expertDelta(u, A, B, r.chosen, r.gates, 2.0, dropout, true, Dispatch::Grouped), outputs[0]));
    }
    QCOMPARE(dispatchFromName("dense"), Dispatch::Dense);
    QVERIFY_THROWS_EXCEPTION(momq::FormatError, dispatchFromName("sparse"));
}

// Each pair's dropped elements: a share p of its row, independent between neighbours and between
// pairs, the same for the same pair in whatever order pairs are listed, different after a new draw.
void TestAdapters::expertDropoutDrawsOneMaskPerPair() {
    const std::int64_t pairs = 400, width = 2500;
    at::manual_seed(2);
    const auto tokens = at::randint(1000, {pairs}, at::kLong), experts = at::randint(32, {pairs}, at::kLong);
    at::manual_seed(5);
    const auto dropout = ExpertDropout::draw(0.1);
    const auto d = dropout.dropped(tokens, experts, width);
    auto mask = at::zeros({pairs, width}, at::kDouble);
    mask.index_put_({d.pair, d.column}, 1.0);
    QCOMPARE(mask.sum().item<double>(), double(d.pair.size(0)));  // no element listed twice
    const double share = mask.mean().item<double>();
    QVERIFY2(std::abs(share - 0.1) < 0.003, qPrintable(QString::number(share)));
    const double neighbours = (mask.slice(1, 0, -1) * mask.slice(1, 1)).mean().item<double>();
    QVERIFY2(std::abs(neighbours - 0.01) < 0.002, qPrintable(QString::number(neighbours)));
    const double nextPair = (mask.slice(0, 0, -1) * mask.slice(0, 1)).mean().item<double>();
    QVERIFY2(std::abs(nextPair - 0.01) < 0.002, qPrintable(QString::number(nextPair)));
    QCOMPARE(d.start[pairs].item<std::int64_t>(), d.pair.size(0));
    QCOMPARE(d.start[7].item<std::int64_t>(), mask.slice(0, 0, 7).sum().to(at::kLong).item<std::int64_t>());
    // the same pairs reversed: the same rows, reversed
    const auto reversed = at::arange(pairs - 1, -1, -1, at::kLong);
    const auto r = dropout.dropped(tokens.index_select(0, reversed), experts.index_select(0, reversed), width);
    auto reversedMask = at::zeros({pairs, width}, at::kDouble);
    reversedMask.index_put_({r.pair, r.column}, 1.0);
    QVERIFY(at::equal(reversedMask.index_select(0, reversed), mask));
    at::manual_seed(5);
    QCOMPARE(ExpertDropout::draw(0.1).seed, dropout.seed);
    QVERIFY(ExpertDropout::draw(0.1).seed != dropout.seed);
    QCOMPARE(ExpertDropout::draw(0.0).active(), false);
}

// On a CUDA device groupedLinear hands aligned bf16 operands to torch's _grouped_mm; the result
// must be the slice loop's, empty experts included.
void TestAdapters::groupedLinearOnCudaEqualsTheSlices() {
    if (!at::hasCUDA()) QSKIP("no CUDA device");
    const auto options = at::TensorOptions().dtype(at::kBFloat16).device(at::kCUDA);
    at::manual_seed(8);
    const std::vector<std::int64_t> counts = {40, 0, 24, 64};
    const auto x = at::randn({128, 64}, options), w = at::randn({4, 32, 64}, options);
    const auto grouped = groupedLinear(x, w, counts), slices = groupedLinearBySlices(x, w, counts);
    QVERIFY(at::allclose(grouped.to(at::kFloat), slices.to(at::kFloat), 2e-2, 2e-2));
}

// The tiny model with MoMQ adapters in training mode, dropout on: the same loss and gradients with
// and without recomputing each layer in the backward pass (the dropout masks drawn again alike).
void TestAdapters::checkpointedLayersGiveTheSameGradients() {
    const auto model = LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"cpu", "f32"});
    const auto &m = model->impl();
    auto c = smallConfig(RoutingVariant::Paper);
    c.dropout = 0.1;
    c.rank = 4;
    c.alpha = 8;
    AdapterState state = createAdapters(m, c, 1);
    state.training = true;
    std::vector<at::Tensor> params;
    {
        at::NoGradGuard noGrad;
        for (auto &[name, p] : state.namedParameters()) {
            if (name.ends_with("lora_B")) p.normal_(0, 0.02);  // zeros would leave A without gradient
            params.push_back(p);
        }
    }
    at::manual_seed(4);
    const auto ids = at::randint(m.config.vocabSize, {2, 12}, at::kLong);
    const auto positions = at::arange(12, at::kLong).unsqueeze(0).expand({2, 12}).contiguous();
    const auto valid = at::ones({2, 12}, at::kBool);
    auto run = [&](bool checkpoint) {
        at::manual_seed(9);
        std::vector<Routing> routing;
        auto loss =
            languageModelLoss(m.forward(ids, positions, valid, nullptr, false, &state, &routing, checkpoint), ids);
        for (const auto &r : routing)
            loss = loss + 0.1 * r.expertLogits.pow(2).mean() + 0.1 * r.dialectLogits.pow(2).mean();
        auto grads = torch::autograd::grad({loss}, params, {}, false, false, true);
        return std::make_pair(loss.item<double>(), grads);
    };
    const auto plain = run(false), checkpointed = run(true);
    QCOMPARE(checkpointed.first, plain.first);
    int compared = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        QCOMPARE(checkpointed.second[i].defined(), plain.second[i].defined());
        if (!plain.second[i].defined()) continue;
        QVERIFY2(at::allclose(checkpointed.second[i], plain.second[i], 1e-4, 1e-7),
                 state.namedParameters()[i].first.c_str());
        ++compared;
    }
    QVERIFY(compared > 20);
}

// A million-element mask keeps 1 - p of the elements, neighbours independent (the two halves of
// one 64-bit draw), the same again after the same seed, different on the next draw.
void TestAdapters::dropoutMasksKeepTheRightShare() {
    const auto x = at::ones({1000, 1000});
    at::manual_seed(1);
    const auto a = dropoutKeepMask(x.sizes(), x.device(), 0.05);
    const auto b = dropoutKeepMask(x.sizes(), x.device(), 0.05);
    at::manual_seed(1);
    QVERIFY(at::equal(dropoutKeepMask(x.sizes(), x.device(), 0.05), a));
    QVERIFY(!at::equal(a, b));
    const double kept = a.to(at::kDouble).mean().item<double>();
    QVERIFY2(std::abs(kept - 0.95) < 0.002, qPrintable(QString::number(kept)));
    const auto flat = a.reshape({-1}).logical_not().to(at::kDouble);
    const double bothDropped = (flat.slice(0, 0, -1) * flat.slice(0, 1)).mean().item<double>();
    QVERIFY2(std::abs(bothDropped - 0.0025) < 0.0005, qPrintable(QString::number(bothDropped)));
    QVERIFY(std::abs(applyDropout(x, 0.05).mean().item<double>() - 1.0) < 0.003);
    QCOMPARE(dropoutKeepMask(x.sizes(), x.device(), 0.0).all().item<bool>(), true);
}

void TestAdapters::finiteDifferenceGradients_data() {
    QTest::addColumn<int>("variant");
    QTest::newRow("paper") << int(RoutingVariant::Paper);
    QTest::newRow("reference") << int(RoutingVariant::Reference);
}

void TestAdapters::finiteDifferenceGradients() {
    QFETCH(int, variant);
    at::manual_seed(5);
    const auto c = smallConfig(static_cast<RoutingVariant>(variant));
    const std::int64_t N = 9, I = 5, H = 4, E = c.expertCount();
    auto u = at::randn({N, I}, f64()).requires_grad_();
    MoeWeights w;
    w.expertA = at::randn({E, c.rank, I}, f64()).requires_grad_();
    w.expertB = at::randn({E, H, c.rank}, f64()).requires_grad_();
    w.sharedA = at::randn({c.rank, I}, f64()).requires_grad_();
    w.sharedB = at::randn({H, c.rank}, f64()).requires_grad_();
    w.expertRouter = at::randn({I, E}, f64()).requires_grad_();
    w.dialectRouter = at::randn({I, 2}, f64()).requires_grad_();
    auto R = at::randn({N, H}, f64());
    auto f = [&] { return (moeDelta(u, u, w, c, true, Dispatch::Grouped, nullptr) * R).sum(); };
    checkGradient(f, u, "u");
    checkGradient(f, w.expertA, "expert A");
    checkGradient(f, w.expertB, "expert B");
    checkGradient(f, w.sharedA, "shared A");
    checkGradient(f, w.sharedB, "shared B");
    checkGradient(f, w.expertRouter, "expert router");
    checkGradient(f, w.dialectRouter, "dialect router");
    LoraWeights lora{at::randn({3, I}, f64()).requires_grad_(), at::randn({H, 3}, f64()).requires_grad_()};
    auto g = [&] { return (loraDelta(u, lora, 2.0, 0.0, true) * R).sum(); };
    checkGradient(g, lora.a, "lora A");
    checkGradient(g, lora.b, "lora B");
}

void TestAdapters::languageModelLossByHand() {
    const std::vector<double> l0 = {1.0, 2.0, 0.5}, l1 = {0.0, -1.0, 3.0}, l2 = {2.0, 2.0, 2.0};
    std::vector<double> flat;
    for (const auto *row : {&l0, &l1, &l2}) flat.insert(flat.end(), row->begin(), row->end());
    const auto logits = at::tensor(flat, f64()).view({1, 3, 3});
    const auto labels = at::tensor(std::vector<std::int64_t>{-100, 1, 2}, at::kLong).view({1, 3});
    // position 0 predicts label 1, position 1 predicts label 2; position 2 has nothing to predict
    const double expected = (-std::log(softmax(l0)[1]) - std::log(softmax(l1)[2])) / 2;
    QVERIFY(std::abs(languageModelLoss(logits, labels).item<double>() - expected) < 1e-6);
    const auto masked = at::tensor(std::vector<std::int64_t>{-100, -100, 2}, at::kLong).view({1, 3});
    QVERIFY(std::abs(languageModelLoss(logits, masked).item<double>() + std::log(softmax(l1)[2])) < 1e-6);
}

void TestAdapters::dialectRouterLossByHand() {
    // two layers, one sequence of three positions (the last is padding), two dialects, label 1
    const std::vector<std::vector<double>> layer0 = {{1.0, 0.0}, {0.5, 0.5}, {-2.0, 2.0}},
                                           layer1 = {{0.0, 1.0}, {2.0, -1.0}, {0.0, 0.0}};
    auto toTensor = [](const std::vector<std::vector<double>> &rows) {
        std::vector<double> flat;
        for (const auto &r : rows) flat.insert(flat.end(), r.begin(), r.end());
        return at::tensor(flat, at::kDouble).view({1, 3, 2});
    };
    const std::vector<at::Tensor> logits = {toTensor(layer0), toTensor(layer1)};
    const auto dialect = at::tensor(std::vector<std::int64_t>{1}, at::kLong);
    const auto valid = at::tensor(std::vector<std::uint8_t>{1, 1, 0}, at::kByte).to(at::kBool).view({1, 3});
    const double eps = 0.1;
    const std::vector<double> target = {eps / 2, 1 - eps + eps / 2};
    auto ce = [&](const std::vector<double> &z) {
        const auto p = softmax(z);
        return -(target[0] * std::log(p[0]) + target[1] * std::log(p[1]));
    };
    // paper: per valid token, per layer, averaged
    const double paper = (ce(layer0[0]) + ce(layer0[1]) + ce(layer1[0]) + ce(layer1[1])) / 4;
    QVERIFY(std::abs(dialectRouterLoss(logits, dialect, valid, RoutingVariant::Paper, eps).item<double>() - paper) <
            1e-6);
    // reference: logits averaged over layers and all three positions (padding included), one CE
    std::vector<double> mean(2, 0.0);
    for (const auto *layer : {&layer0, &layer1})
        for (const auto &row : *layer)
            for (int g = 0; g < 2; ++g) mean[g] += row[g] / 6;
    QVERIFY(std::abs(dialectRouterLoss(logits, dialect, valid, RoutingVariant::Reference, eps).item<double>() -
                     ce(mean)) < 1e-6);
}

void TestAdapters::balanceLossByHand() {
    auto c = smallConfig(RoutingVariant::Reference);
    c.expertsPerGroup = 2;  // E = 4, k = 2
    const std::vector<std::vector<double>> rows = {{1.0, 0.0, 2.0, -1.0}, {0.0, 3.0, 1.0, 0.5}, {9.0, 9.0, 9.0, 9.0}};
    std::vector<double> flat;
    for (const auto &r : rows) flat.insert(flat.end(), r.begin(), r.end());
    const auto logits = at::tensor(flat, f64()).view({1, 3, 4});
    const auto valid = at::tensor(std::vector<std::uint8_t>{1, 1, 0}, at::kByte).to(at::kBool).view({1, 3});
    // reference: softmax over 4, top-2 per valid row, f = counts / 2 rows, P = mean prob, 4 sum f P
    {
        const auto p0 = softmax(rows[0]), p1 = softmax(rows[1]);
        const double f[4] = {0.5, 0.5, 1.0, 0.0};  // row 0 picks 2, 0; row 1 picks 1, 2
        double expected = 0;
        for (int e = 0; e < 4; ++e) expected += f[e] * (p0[e] + p1[e]) / 2;
        expected *= 4;
        QVERIFY(std::abs(balanceLoss({logits}, valid, c).item<double>() - expected) < 1e-6);
    }
    // paper: inside each group of 2 with k = 2 every expert is chosen (f = 1), so each group gives
    // M sum P = 2 * 1 and the average is exactly k = 2
    c.routing = RoutingVariant::Paper;
    QVERIFY(std::abs(balanceLoss({logits, logits}, valid, c).item<double>() - 2.0) < 1e-9);
    c.topK = 1;  // top-1 inside each group
    {
        double expected = 0;
        for (int g = 0; g < 2; ++g) {
            const auto p0 = softmax({rows[0][2 * g], rows[0][2 * g + 1]}),
                       p1 = softmax({rows[1][2 * g], rows[1][2 * g + 1]});
            double f[2] = {0, 0};
            f[p0[1] > p0[0]] += 0.5;
            f[p1[1] > p1[0]] += 0.5;
            expected += 2 * (f[0] * (p0[0] + p1[0]) / 2 + f[1] * (p0[1] + p1[1]) / 2);
        }
        QVERIFY(std::abs(balanceLoss({logits}, valid, c).item<double>() - expected / 2) < 1e-6);
    }
}

// The fused step against torch::optim::AdamW::step: four steps with the learning rate changing as a
// schedule changes it; then the state it leaves, saved and loaded into torch's optimizer, which
// goes on in step with it.
void TestAdapters::fusedAdamWStepsLikeTorchAdamW() {
    at::manual_seed(4);
    std::vector<at::Tensor> ours, theirs, grads;
    for (const auto &shape : std::vector<std::vector<std::int64_t>>{{3, 5}, {7}, {2, 4, 6}}) {
        ours.push_back(at::randn(shape).requires_grad_());
        theirs.push_back(ours.back().detach().clone().requires_grad_());
        grads.push_back(at::randn(shape));
    }
    const auto start = ours[0].detach().clone();
    const auto options = torch::optim::AdamWOptions(1e-2).betas({0.9, 0.95}).eps(1e-8).weight_decay(0.1);
    torch::optim::AdamW fused(ours, options);
    auto plain = std::make_unique<torch::optim::AdamW>(theirs, options);
    auto stepBoth = [&](int k) {
        for (auto *optimizer : {&fused, plain.get()})
            for (auto &group : optimizer->param_groups())
                static_cast<torch::optim::AdamWOptions &>(group.options()).lr(1e-2 / (k + 1));
        for (std::size_t i = 0; i < ours.size(); ++i) {
            ours[i].mutable_grad() = grads[i] * (k + 1) - 0.3 * k;  // a different gradient each step
            theirs[i].mutable_grad() = ours[i].grad().clone();
        }
        adamWStep(fused);
        plain->step();
    };
    for (int k = 0; k < 4; ++k) stepBoth(k);
    QVERIFY(!at::allclose(ours[0], start, 1e-3, 1e-3));  // the parameters moved
    for (std::size_t i = 0; i < ours.size(); ++i)
        QVERIFY2(at::allclose(ours[i], theirs[i], 1e-6, 1e-7), qPrintable(QString::number(i)));

    std::stringstream saved;
    torch::save(fused, saved);
    plain = std::make_unique<torch::optim::AdamW>(theirs, options);
    torch::load(*plain, saved);
    QCOMPARE(
        static_cast<const torch::optim::AdamWParamState &>(*plain->state().at(theirs[0].unsafeGetTensorImpl())).step(),
        std::int64_t{4});
    {
        at::NoGradGuard noGrad;
        for (std::size_t i = 0; i < ours.size(); ++i) theirs[i].copy_(ours[i]);
    }
    stepBoth(4);
    for (std::size_t i = 0; i < ours.size(); ++i)
        QVERIFY2(at::allclose(ours[i], theirs[i], 1e-6, 1e-7), qPrintable(QString::number(i)));
}

QTEST_GUILESS_MAIN(TestAdapters)
#include "test_adapters.moc"
