// The safetensors reader and the checkpoint folder: dtype decoding, sharded checkpoints, and every
// kind of damaged file turning into an error that names the file and tensor.
#include "test_support.h"

#include "momq/error.h"
#include "momq/model_config.h"
#include "momq/safetensors.h"

#include <QRandomGenerator>
#include <QtTest>

#include <filesystem>

using namespace momq;
namespace fs = std::filesystem;

namespace {

// A safetensors file image from a header JSON text and a data section.
std::string image(const std::string &header, const std::string &data) {
    std::string out(8, '\0');
    std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return out + header + data;
}

SafetensorsHeader parse(const std::string &bytes) {
    return parseSafetensorsHeader(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size(), "t.safetensors");
}

}  // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decodesEveryDtype();
    void readsShardedCheckpoints();
    void damagedHeadersAreErrors_data();
    void damagedHeadersAreErrors();
    void truncatedFileNamesTheTensor();
    void randomMutationsNeverCrash();
    void checkpointFolderErrors();
    void modelConfigErrorsNameTheField_data();
    void modelConfigErrorsNameTheField();
    void modelConfigReadsBothRopeLayouts();
};

void TestSafetensors::decodesEveryDtype() {
    auto f = SafetensorsFile::open(test::dataPath("engine/dtypes.safetensors"));
    QCOMPARE(f->metadata().at("purpose"), std::string("dtype decoding test"));
    const auto *f32 = f->find("f32");
    QVERIFY(f32);
    QCOMPARE(f32->shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(f->toFloats(*f32), (std::vector<float>{1.5f, -2.25f, 0.0f, 3.0f, 1e-3f, -7.5f}));
    const auto f16 = f->toFloats(*f->find("f16"));
    QCOMPARE(f16[0], 0.5f);
    QCOMPARE(f16[1], -1.0f);
    QCOMPARE(f16[2], 65504.0f);                       // largest half
    QVERIFY(std::abs(f16[3] - 6.1035e-05f) < 1e-8f);  // smallest normal half
    const auto bf16 = f->toFloats(*f->find("bf16"));
    QCOMPARE(bf16[0], 1.0f);
    QCOMPARE(bf16[1], -3.0f);
    QCOMPARE(bf16[2], 0.15625f);
    QVERIFY(std::abs(bf16[3] - 3.0e38f) / 3.0e38f < 0.01f);
    QCOMPARE(halfToFloat(0x0001), 5.9604645e-08f);  // subnormal
    QVERIFY(std::isinf(halfToFloat(0x7c00)));
    QVERIFY(std::isnan(halfToFloat(0x7e00)));
}

void TestSafetensors::readsShardedCheckpoints() {
    const auto ckpt = Checkpoint::open(test::dataPath("engine/tiny-llama"));
    QCOMPARE(ckpt.files().size(), size_t(4));
    const auto *lm = ckpt.find("lm_head.weight");
    QVERIFY(lm);
    QCOMPARE(lm->tensor->dtype, DType::BF16);
    QCOMPARE(lm->tensor->shape, (std::vector<std::int64_t>{891, 64}));
    QVERIFY(lm->file->path().find("model-00004-of-00004.safetensors") != std::string::npos);
    QCOMPARE(ckpt.names().size(), size_t(3 * 9 + 3));
}

void TestSafetensors::damagedHeadersAreErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const std::string ok = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    QTest::newRow("shorter than length") << QByteArray("\x05\x00\x00", 3) << "shorter than the 8-byte header length";
    QTest::newRow("length beyond file") << QByteArray::fromStdString(image(ok, std::string(8, '\0')).substr(0, 20))
                                        << "header length 54 exceeds";
    QTest::newRow("not json") << QByteArray::fromStdString(image("{nope", "")) << "header: not valid JSON";
    QTest::newRow("not an object") << QByteArray::fromStdString(image("[1]", "")) << "header is not a JSON object";
    QTest::newRow("unknown dtype") << QByteArray::fromStdString(
                                          image(R"({"w":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}})", "x"))
                                   << "tensor \"w\": dtype \"I8\" is not supported";
    QTest::newRow("missing offsets") << QByteArray::fromStdString(image(R"({"w":{"dtype":"F32","shape":[1]}})", ""))
                                     << "tensor \"w\": missing \"data_offsets\"";
    QTest::newRow("negative dim") << QByteArray::fromStdString(
                                         image(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "xxxx"))
                                  << "tensor \"w\": shape: expected a non-negative integer, found number -1";
    QTest::newRow("size mismatch") << QByteArray::fromStdString(
                                          image(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                                std::string(8, 'x')))
                                   << "shape [3] of F32 needs 12 bytes, data_offsets give 8";
    QTest::newRow("overlap")
        << QByteArray::fromStdString(image(
               R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
               std::string(8, 'x')))
        << "tensors a and b overlap";
    QTest::newRow("huge shape")
        << QByteArray::fromStdString(
               image(R"({"w":{"dtype":"F32","shape":[4000000000000,4000000000000],"data_offsets":[0,4]}})", "xxxx"))
        << "shape dimension 4000000000000 makes the tensor too large";
    QTest::newRow("shape nested 100,000 deep")  // once a stack overflow while the message was built
        << QByteArray::fromStdString(image(R"({"w":{"dtype":"F32","shape":)" + std::string(100000, '[') +
                                               std::string(100000, ']') + R"(,"data_offsets":[0,4]}})",
                                           "xxxx"))
        << "header: not valid JSON: nested deeper than 64 levels";
    QTest::newRow("shape of many dimensions")
        << QByteArray::fromStdString(image(
               R"({"w":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})", "xxxx"))
        << "shape has 17 dimensions, more than 16";
    QTest::newRow("bad metadata") << QByteArray::fromStdString(image(R"({"__metadata__":{"a":1}})", ""))
                                  << "__metadata__.\"a\" is not a string";
}

void TestSafetensors::damagedHeadersAreErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    EXPECT_ERROR(FormatError, parse(bytes.toStdString()), expected.toStdString());
}

void TestSafetensors::truncatedFileNamesTheTensor() {
    QTemporaryDir dir;
    const std::string whole = test::readFile(test::dataPath("engine/tiny-qwen2/model.safetensors"));
    const std::string path = dir.filePath(QStringLiteral("model.safetensors")).toStdString();
    test::writeFile(path, whole.substr(0, whole.size() - 100));
    const std::string message = test::messageOf<FormatError>([&] { SafetensorsFile::open(path); });
    QVERIFY2(message.find(path + ": tensor ") != std::string::npos, message.c_str());
    QVERIFY2(message.find("truncated") != std::string::npos, message.c_str());
    test::writeFile(path, "");
    EXPECT_ERROR(FormatError, SafetensorsFile::open(path), "truncated: 0 bytes");
}

void TestSafetensors::randomMutationsNeverCrash() {
    // The same idea as tests/fuzz/fuzz_safetensors_header.cpp, run deterministically on every CTest
    // run: flip, drop and duplicate bytes of a real file; each result parses or is a FormatError.
    const std::string seed = test::readFile(test::dataPath("engine/dtypes.safetensors"));
    QRandomGenerator rng(42);
    int parsed = 0, refused = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string bytes = seed;
        const int edits = 1 + static_cast<int>(rng.bounded(4));
        for (int e = 0; e < edits; ++e) {
            const auto at = rng.bounded(static_cast<quint32>(bytes.size()));
            switch (rng.bounded(4)) {
            case 0: bytes[at] = static_cast<char>(rng.bounded(256)); break;
            case 1: bytes.erase(at, 1 + rng.bounded(8)); break;
            case 2: bytes.insert(at, bytes.substr(at, 1 + rng.bounded(8))); break;
            default: bytes.resize(at); break;
            }
            if (bytes.empty()) bytes = "x";
        }
        try {
            parse(bytes);
            ++parsed;
        } catch (const FormatError &) {
            ++refused;
        }
    }
    QVERIFY(parsed > 0 && refused > 0);
}

void TestSafetensors::checkpointFolderErrors() {
    QTemporaryDir dir;
    const fs::path d = dir.path().toStdString();
    EXPECT_ERROR(Error, Checkpoint::open(d.string()), "no model.safetensors or model.safetensors.index.json");
    const fs::path src = test::dataPath("engine/tiny-llama");
    for (const auto &e : fs::directory_iterator(src)) fs::copy(e.path(), d / e.path().filename());
    fs::remove(d / "model-00003-of-00004.safetensors");
    EXPECT_ERROR(Error, Checkpoint::open(d.string()), "model-00003-of-00004.safetensors: cannot open");
    test::writeFile((d / "model.safetensors.index.json").string(),
                    R"({"weight_map":{"lm_head.weight":"../x.safetensors"}})");
    EXPECT_ERROR(FormatError, Checkpoint::open(d.string()), "leaves the folder");
    test::writeFile(
        (d / "model.safetensors.index.json").string(),
        R"({"weight_map":{"lm_head.weight":"model-00004-of-00004.safetensors","extra.weight":"model-00004-of-00004.safetensors"}})");
    EXPECT_ERROR(FormatError, Checkpoint::open(d.string()),
                 "tensor extra.weight is listed for model-00004-of-00004.safetensors but missing there");
}

void TestSafetensors::modelConfigErrorsNameTheField_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    const QString base = QStringLiteral(
        R"("hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,"vocab_size":100,"max_position_embeddings":64)");
    QTest::newRow("bert") << QStringLiteral(R"({"model_type":"bert",%1})").arg(base)
                          << "model_type \"bert\" is not supported (expected qwen2 or llama)";
    QTest::newRow("no model_type") << QStringLiteral("{%1}").arg(base) << "model_type: missing";
    QTest::newRow("missing hidden") << QStringLiteral(R"({"model_type":"qwen2","intermediate_size":1})")
                                    << "hidden_size: missing required field";
    QTest::newRow("string size") << QStringLiteral(R"({"model_type":"qwen2",%1,"num_key_value_heads":"2"})").arg(base)
                                 << "num_key_value_heads: expected a positive integer, found string \"2\"";
    // found by fuzz_model_config: nlohmann's type error escaped without the field
    QTest::newRow("string eps") << QStringLiteral(R"({"model_type":"qwen2",%1,"rms_norm_eps":"1e-5"})").arg(base)
                                << "rms_norm_eps: expected a number, found string \"1e-5\"";
    QTest::newRow("string bool")
        << QStringLiteral(R"({"model_type":"qwen2",%1,"tie_word_embeddings":"false"})").arg(base)
        << "tie_word_embeddings: expected true or false, found string \"false\"";
    QTest::newRow("string eos") << QStringLiteral(R"({"model_type":"qwen2",%1,"eos_token_id":"2"})").arg(base)
                                << "eos_token_id: expected a token id or a list of them, found string \"2\"";
    QTest::newRow("rope type not a string")
        << QStringLiteral(R"({"model_type":"llama",%1,"rope_scaling":{"rope_type":7}})").arg(base)
        << "rope_type: expected a string, found number 7";
    QTest::newRow("heads") << QStringLiteral(R"({"model_type":"qwen2",%1,"num_key_value_heads":3})").arg(base)
                           << "num_attention_heads 4 is not a multiple of num_key_value_heads 3";
    QTest::newRow("rope scaling")
        << QStringLiteral(R"({"model_type":"llama",%1,"rope_scaling":{"rope_type":"llama3","factor":8}})").arg(base)
        << "rope_scaling: rope scaling \"llama3\" is not supported";
    // Regression: with rope_parameters present too, rope_scaling was ignored; transformers applies it.
    QTest::newRow("rope scaling beside rope_parameters")
        << QStringLiteral(R"({"model_type":"llama",%1,"rope_parameters":{"rope_type":"default","rope_theta":10000},)"
                          R"("rope_scaling":{"type":"linear","factor":2}})")
               .arg(base)
        << "rope_scaling: rope scaling \"linear\" is not supported";
    QTest::newRow("sliding") << QStringLiteral(R"({"model_type":"qwen2",%1,"use_sliding_window":true})").arg(base)
                             << "use_sliding_window true is not supported";
    QTest::newRow("not json") << QStringLiteral("{") << "not valid JSON";
}

void TestSafetensors::modelConfigErrorsNameTheField() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    EXPECT_ERROR(FormatError, parseModelConfig(json.toStdString(), "m/config.json"),
                 "m/config.json: " + expected.toStdString());
}

void TestSafetensors::modelConfigReadsBothRopeLayouts() {
    const auto v5 = loadModelConfig(test::dataPath("engine/tiny-llama"));
    QCOMPARE(v5.ropeTheta, 500000.0);
    QCOMPARE(v5.numKeyValueHeads, 1);
    QVERIFY(!v5.attentionBias);
    const auto v4 = parseModelConfig(
        R"({"model_type":"qwen2","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,
            "num_key_value_heads":2,"vocab_size":100,"max_position_embeddings":64,"rope_theta":1000000.0,"rope_scaling":null,
            "torch_dtype":"bfloat16","tie_word_embeddings":true,"eos_token_id":[5,7]})",
        "c");
    QCOMPARE(v4.ropeTheta, 1000000.0);
    QCOMPARE(v4.torchDtype, std::string("bfloat16"));
    QVERIFY(v4.attentionBias);  // Qwen2 always has q/k/v biases
    QCOMPARE(v4.eosTokenIds, (std::vector<int>{5, 7}));
    QCOMPARE(v4.headDim, 16);
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
