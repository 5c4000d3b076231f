// The Qwen2/Llama decoder against reference outputs of Hugging Face transformers
// (tests/data/engine/golden.*, made by scripts/make_engine_fixtures.py): logits, greedy and beam
// continuations, batching with left padding, bf16, streaming, cancellation, and load errors.
#include "test_support.h"

#include "momq/error.h"
#include "momq/generation.h"
#include "momq/language_model.h"
#include "momq/safetensors.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>

using namespace momq;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct Comparison {
    double maxRelative = 0;  // max |a - b| / max |b|
    // Positions whose reference top-1 leads its runner-up by more than twice the largest
    // difference seen must keep their top-1; closer calls may flip within the tolerance.
    int decisive = 0, decisiveAgree = 0;
};

Comparison compare(const FloatMatrix &ours, const std::vector<float> &reference) {
    Comparison c;
    double maxDiff = 0, maxRef = 0;
    const auto ref = [&](std::int64_t r, std::int64_t v) {
        return reference[static_cast<std::size_t>(r * ours.cols + v)];
    };
    for (std::int64_t r = 0; r < ours.rows; ++r)
        for (std::int64_t v = 0; v < ours.cols; ++v) {
            maxDiff = std::max(maxDiff, static_cast<double>(std::abs(ours.at(r, v) - ref(r, v))));
            maxRef = std::max(maxRef, static_cast<double>(std::abs(ref(r, v))));
        }
    for (std::int64_t r = 0; r < ours.rows; ++r) {
        std::int64_t a = 0, b = 0;
        for (std::int64_t v = 1; v < ours.cols; ++v) {
            if (ours.at(r, v) > ours.at(r, a)) a = v;
            if (ref(r, v) > ref(r, b)) b = v;
        }
        float second = -1e30f;
        for (std::int64_t v = 0; v < ours.cols; ++v)
            if (v != b) second = std::max(second, ref(r, v));
        if (ref(r, b) - second > 2 * maxDiff) {
            ++c.decisive;
            c.decisiveAgree += a == b;
        }
    }
    c.maxRelative = maxDiff / maxRef;
    return c;
}

std::vector<int> untilStop(std::vector<int> ids, int eos) {
    auto it = std::find(ids.begin(), ids.end(), eos);
    ids.erase(it, ids.end());
    return ids;
}

// Rewrites a checkpoint with one change, to make broken models.
void writeSafetensors(
    const std::string &path,
    const std::vector<std::tuple<std::string, std::string, std::vector<std::int64_t>, std::string>> &tensors) {
    json header = json::object();
    std::string data;
    for (const auto &[name, dtype, shape, bytes] : tensors) {
        header[name] = {
            {"dtype", dtype}, {"shape", shape}, {"data_offsets", {data.size(), data.size() + bytes.size()}}};
        data += bytes;
    }
    std::string h = header.dump();
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<std::uint64_t>(h.size()) >> (8 * i)) & 0xff);
    test::writeFile(path, out + h + data);
}

std::string brokenModel(const QTemporaryDir &dir, const std::string &name, const std::string &drop,
                        const std::string &reshape, const std::string &extra) {
    const fs::path d = fs::path(dir.path().toStdString()) / name;
    fs::create_directories(d);
    const fs::path src = test::dataPath("engine/tiny-qwen2");
    fs::copy_file(src / "config.json", d / "config.json");
    auto file = SafetensorsFile::open((src / "model.safetensors").string());
    std::vector<std::tuple<std::string, std::string, std::vector<std::int64_t>, std::string>> tensors;
    for (const auto &t : file->tensors()) {
        if (t.name == drop) continue;
        auto shape = t.shape;
        std::string bytes(reinterpret_cast<const char *>(file->data(t)), t.end - t.begin);
        if (t.name == reshape) {
            shape = {shape[0] / 2, shape[1] * 2};
        }
        tensors.emplace_back(t.name, "F32", shape, bytes);
    }
    if (!extra.empty()) tensors.emplace_back(extra, "F32", std::vector<std::int64_t>{2}, std::string(8, '\0'));
    writeSafetensors((d / "model.safetensors").string(), tensors);
    return d.string();
}

}  // namespace

class TestLanguageModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void logitsMatchTheReference_data();
    void logitsMatchTheReference();
    void greedyMatchesTheReference_data();
    void greedyMatchesTheReference();
    void beamSearchMatchesTheReference_data();
    void beamSearchMatchesTheReference();
    void beamSearchUnderATightConstraint();
    void bf16StaysWithinBf16Tolerance();
    void batchWithLeftPaddingEqualsOneByOne();
    void stopTokensEndASequence();
    void tokensStreamAndCanBeCancelled();
    void badRequestsAreErrors();
    void brokenCheckpointsNameTheTensor();

private:
    json golden_;
    std::shared_ptr<SafetensorsFile> goldenLogits_;
    std::map<std::string, std::shared_ptr<const LanguageModel>> models_;
};

void TestLanguageModel::initTestCase() {
    golden_ = json::parse(test::readFile(test::dataPath("engine/golden.json")));
    goldenLogits_ = SafetensorsFile::open(test::dataPath("engine/golden.safetensors"));
    models_["qwen2"] = LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"cpu", "f32"});
    models_["llama"] = LanguageModel::load(test::dataPath("engine/tiny-llama"), {"cpu", "f32"});
    QCOMPARE(models_["qwen2"]->parameterCount(), models_["qwen2"]->config().parameterCount());
    QCOMPARE(models_["llama"]->parameterCount(), models_["llama"]->config().parameterCount());
    QCOMPARE(models_["qwen2"]->dtype(), std::string("f32"));
}

void TestLanguageModel::logitsMatchTheReference_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("prompt");
    for (const char *m : {"qwen2", "llama"})
        for (int p = 0; p < 3; ++p) QTest::addRow("%s/%d", m, p) << QString::fromLatin1(m) << p;
}

void TestLanguageModel::logitsMatchTheReference() {
    QFETCH(QString, model);
    QFETCH(int, prompt);
    const auto ids = golden_["prompts"][prompt].get<std::vector<int>>();
    const auto ours = models_[model.toStdString()]->logits(ids);
    const auto *ref = goldenLogits_->find(model.toStdString() + ".logits." + std::to_string(prompt));
    QVERIFY(ref);
    QCOMPARE(ours.rows, static_cast<std::int64_t>(ids.size()));
    QCOMPARE(ours.cols, ref->shape[1]);
    const auto c = compare(ours, goldenLogits_->toFloats(*ref));
    QVERIFY2(c.maxRelative < 1e-4, qPrintable(QStringLiteral("max relative difference %1").arg(c.maxRelative)));
    QCOMPARE(c.decisive, static_cast<int>(ids.size()));  // at 1e-4 every position is decisive
    QCOMPARE(c.decisiveAgree, c.decisive);
}

void TestLanguageModel::greedyMatchesTheReference_data() { logitsMatchTheReference_data(); }

void TestLanguageModel::greedyMatchesTheReference() {
    QFETCH(QString, model);
    QFETCH(int, prompt);
    GenerationOptions o;
    o.maxNewTokens = 16;
    o.stopTokenIds = {golden_["eos_token_id"].get<int>()};
    const auto r = generate(*models_[model.toStdString()], {golden_["prompts"][prompt].get<std::vector<int>>()}, o);
    const auto expected =
        untilStop(golden_[model.toStdString()]["greedy"][prompt].get<std::vector<int>>(), o.stopTokenIds[0]);
    QCOMPARE(r.tokens.at(0), expected);
    QCOMPARE(r.stopReasons[0], expected.size() == 16 ? StopReason::MaxNewTokens : StopReason::StopToken);
}

void TestLanguageModel::beamSearchMatchesTheReference_data() {
    QTest::addColumn<QString>("model");
    QTest::newRow("qwen2") << "qwen2";
    QTest::newRow("llama") << "llama";
}

void TestLanguageModel::beamSearchMatchesTheReference() {
    QFETCH(QString, model);
    GenerationOptions o;
    o.maxNewTokens = 8;
    o.numBeams = 3;
    o.stopTokenIds = {golden_["eos_token_id"].get<int>()};
    const auto r = generate(*models_[model.toStdString()], {golden_["prompts"][0].get<std::vector<int>>()}, o);
    QCOMPARE(r.tokens.at(0),
             untilStop(golden_[model.toStdString()]["beam3"].get<std::vector<int>>(), o.stopTokenIds[0]));
}

// A constraint that leaves fewer continuations than beams (one token, then only stopping): the
// search keeps the live ones, reports no disallowed token and no duplicate, and ends cleanly.
void TestLanguageModel::beamSearchUnderATightConstraint() {
    GenerationOptions o;
    o.maxNewTokens = 8;
    o.numBeams = 3;
    const int stop = golden_["eos_token_id"].get<int>();
    o.stopTokenIds = {stop};
    const int forced = stop == 5 ? 6 : 5;
    std::vector<std::uint8_t> first, then;
    o.allowedNext = [&](int, const std::vector<int> &generated) -> const std::vector<std::uint8_t> * {
        const auto V = static_cast<std::size_t>(models_.begin()->second->config().vocabSize);
        first.assign(V, 0);
        then.assign(V, 0);
        first[static_cast<std::size_t>(forced)] = 1;
        then[static_cast<std::size_t>(stop)] = 1;
        return generated.empty() ? &first : &then;
    };
    for (const auto &[name, model] : models_) {
        const auto r = generate(*model, {golden_["prompts"][0].get<std::vector<int>>()}, o);
        QCOMPARE(r.tokens.at(0), std::vector<int>{forced});
        QCOMPARE(r.stopReasons[0], StopReason::StopToken);
        QCOMPARE(r.hypotheses.at(0).size(), std::size_t(1));
    }
}

void TestLanguageModel::bf16StaysWithinBf16Tolerance() {
    const auto bf16 = LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"cpu", "bf16"});
    QCOMPARE(bf16->dtype(), std::string("bf16"));
    for (int p = 0; p < 3; ++p) {
        const auto ids = golden_["prompts"][p].get<std::vector<int>>();
        const auto c = compare(bf16->logits(ids),
                               goldenLogits_->toFloats(*goldenLogits_->find("qwen2.logits." + std::to_string(p))));
        // bf16 keeps 8 significant bits (~0.4 %); two layers of it stay within a few percent.
        QVERIFY2(c.maxRelative < 0.05, qPrintable(QStringLiteral("prompt %1: %2").arg(p).arg(c.maxRelative)));
        QCOMPARE(c.decisiveAgree, c.decisive);
        QVERIFY2(c.decisive >= 1, "no position has a clear winner: the check would prove nothing");
    }
}

void TestLanguageModel::batchWithLeftPaddingEqualsOneByOne() {
    std::vector<std::vector<int>> prompts;
    for (int p = 0; p < 3; ++p) prompts.push_back(golden_["prompts"][p].get<std::vector<int>>());
    prompts.push_back({prompts[0].begin(), prompts[0].begin() + 3});  // much shorter
    GenerationOptions o;
    o.maxNewTokens = 12;
    o.padTokenId = golden_["pad_token_id"].get<int>();
    for (const auto &[name, model] : models_) {
        const auto batch = generate(*model, prompts, o);
        QCOMPARE(batch.tokens.size(), prompts.size());
        for (std::size_t i = 0; i < prompts.size(); ++i)
            QCOMPARE(batch.tokens[i], generate(*model, {prompts[i]}, o).tokens[0]);
        std::int64_t promptTokens = 0;
        for (const auto &p : prompts) promptTokens += static_cast<std::int64_t>(p.size());
        QCOMPARE(batch.promptTokens, promptTokens);
    }
}

void TestLanguageModel::stopTokensEndASequence() {
    const auto expected = golden_["qwen2"]["greedy"][1].get<std::vector<int>>();
    GenerationOptions o;
    o.maxNewTokens = 16;
    o.stopTokenIds = {expected[4]};
    const auto r = generate(*models_["qwen2"], {golden_["prompts"][1].get<std::vector<int>>()}, o);
    const auto firstStop = std::find(expected.begin(), expected.end(), expected[4]) - expected.begin();
    QCOMPARE(r.tokens[0], std::vector<int>(expected.begin(), expected.begin() + firstStop));
    QCOMPARE(r.stopReasons[0], StopReason::StopToken);
}

void TestLanguageModel::tokensStreamAndCanBeCancelled() {
    const auto prompt = golden_["prompts"][0].get<std::vector<int>>();
    const auto expected = golden_["qwen2"]["greedy"][0].get<std::vector<int>>();
    std::vector<int> streamed;
    GenerationOptions o;
    o.maxNewTokens = 16;
    o.onToken = [&](int sequence, int token) {
        [&] { QCOMPARE(sequence, 0); }();
        streamed.push_back(token);
        return streamed.size() < 3;  // the caller stops after three tokens
    };
    auto r = generate(*models_["qwen2"], {prompt}, o);
    QCOMPARE(streamed, std::vector<int>(expected.begin(), expected.begin() + 3));
    QCOMPARE(r.tokens[0], streamed);
    QCOMPARE(r.stopReasons[0], StopReason::Cancelled);

    std::atomic<bool> cancel{true};
    GenerationOptions c;
    c.maxNewTokens = 16;
    c.cancel = &cancel;
    r = generate(*models_["qwen2"], {prompt}, c);
    QCOMPARE(r.tokens[0].size(), size_t(1));  // checked after each step
    QCOMPARE(r.stopReasons[0], StopReason::Cancelled);
}

void TestLanguageModel::badRequestsAreErrors() {
    const auto &m = *models_["qwen2"];
    GenerationOptions o;
    o.maxNewTokens = 1100;
    EXPECT_ERROR(FormatError, generate(m, {{1, 2, 3}}, o), "exceeds the model's 1024 positions");
    o.maxNewTokens = 4;
    EXPECT_ERROR(FormatError, generate(m, {{1, 5000}}, o), "token id 5000 is outside the vocabulary (891)");
    EXPECT_ERROR(FormatError, generate(m, {{}}, o), "prompt 0 is empty");
    EXPECT_ERROR(FormatError, m.logits({}), "empty token sequence");
    EXPECT_ERROR(Error, LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"cpu", "f16"}),
                 "dtype f16 needs a CUDA device");
    EXPECT_ERROR(Error, LanguageModel::load(test::dataPath("engine/tiny-qwen2"), {"tpu", "auto"}),
                 "device: expected auto, cpu or cuda");
    EXPECT_ERROR(Error, LanguageModel::load("/nonexistent/model"), "/nonexistent/model/config.json: cannot open");
}

void TestLanguageModel::brokenCheckpointsNameTheTensor() {
    QTemporaryDir dir;
    EXPECT_ERROR(FormatError,
                 LanguageModel::load(brokenModel(dir, "missing", "model.layers.1.mlp.up_proj.weight", "", "")),
                 "tensor model.layers.1.mlp.up_proj.weight is missing from the checkpoint");
    const std::string misshaped = brokenModel(dir, "misshaped", "", "model.layers.0.self_attn.o_proj.weight", "");
    EXPECT_ERROR(
        FormatError, LanguageModel::load(misshaped),
        "model.safetensors: tensor model.layers.0.self_attn.o_proj.weight has shape [32, 128], expected [64, 64]");
    EXPECT_ERROR(FormatError, LanguageModel::load(brokenModel(dir, "extra", "", "", "model.layers.0.mlp.surprise")),
                 "unexpected tensor model.layers.0.mlp.surprise");
    // a tied model may carry the redundant lm_head copy
    QVERIFY(LanguageModel::load(
                brokenModel(dir, "tied-copy", "", "", "model.layers.0.self_attn.rotary_emb.inv_freq")) != nullptr);
}

QTEST_GUILESS_MAIN(TestLanguageModel)
#include "test_language_model.moc"
