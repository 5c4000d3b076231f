// The byte-level BPE tokenizer against ids and texts dumped by Hugging Face `tokenizers`
// (tests/data/engine/golden.json, made by scripts/make_engine_fixtures.py).
#include "test_support.h"

#include "momq/error.h"
#include "momq/tokenizer.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace momq;
using nlohmann::json;

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void encodesLikeTheReference_data();
    void encodesLikeTheReference();
    void decodesLikeTheReference();
    void roundTripsText();
    void incrementalDecodingHoldsBackIncompleteCharacters();
    void chatPromptMatchesTheReferenceTemplate();
    void knowsSpecialTokens();
    void badFilesAreErrors();
    void unknownIdIsAnError();

private:
    json golden_;
    std::shared_ptr<const Tokenizer> tok_;
};

void TestTokenizer::initTestCase() {
    golden_ = json::parse(test::readFile(test::dataPath("engine/golden.json")));
    tok_ = Tokenizer::load(test::dataPath("engine/tokenizer"));
}

void TestTokenizer::encodesLikeTheReference_data() {
    QTest::addColumn<int>("index");
    const auto cases = json::parse(test::readFile(test::dataPath("engine/golden.json")))["tokenizer_cases"];
    for (std::size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i]["text"].get<std::string>().substr(0, 40).c_str()) << static_cast<int>(i);
}

void TestTokenizer::encodesLikeTheReference() {
    QFETCH(int, index);
    const auto &c = golden_["tokenizer_cases"][index];
    QCOMPARE(tok_->encode(c["text"].get<std::string>()), c["ids"].get<std::vector<int>>());
}

void TestTokenizer::decodesLikeTheReference() {
    for (const auto &c : golden_["decode_cases"]) {
        const auto ids = c["ids"].get<std::vector<int>>();
        QCOMPARE(tok_->decode(ids), c["text"].get<std::string>());
        QCOMPARE(tok_->decode(ids, true), c["text_skip_special"].get<std::string>());
    }
}

void TestTokenizer::roundTripsText() {
    for (const auto &c : golden_["tokenizer_cases"]) {
        const auto text = c["text"].get<std::string>();
        if (text.find("\u0301") != std::string::npos) continue;  // NFC changes that one on purpose
        QCOMPARE(tok_->decode(tok_->encode(text)), text);
    }
}

void TestTokenizer::incrementalDecodingHoldsBackIncompleteCharacters() {
    const std::string text = "谁出演了《黑客帝国》？🚀🔥 done";
    IncrementalDecoder stream(tok_);
    std::string joined;
    for (int id : tok_->encode(text)) {
        const std::string piece = stream.push(id);
        QVERIFY(piece.find("\xEF\xBF\xBD") == std::string::npos);  // never half a character
        joined += piece;
    }
    joined += stream.finish();
    QCOMPARE(joined, text);
}

void TestTokenizer::chatPromptMatchesTheReferenceTemplate() {
    QCOMPARE(chatPrompt(golden_["chat"]["user"].get<std::string>()), golden_["chat"]["rendered"].get<std::string>());
}

void TestTokenizer::knowsSpecialTokens() {
    QCOMPARE(tok_->tokenId("<|im_end|>"), golden_["eos_token_id"].get<int>());
    QVERIFY(tok_->isSpecial(tok_->tokenId("<|im_start|>")));
    QVERIFY(!tok_->isSpecial(tok_->encode("SELECT").front()));
    QCOMPARE(tok_->tokenId("no such token"), -1);
    QCOMPARE(tok_->vocabSize(), 891);
    QCOMPARE(tok_->tokenText(tok_->tokenId("<|im_end|>")), std::string("<|im_end|>"));
}

void TestTokenizer::badFilesAreErrors() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("tokenizer.json")).toStdString();
    EXPECT_ERROR(Error, Tokenizer::load(path), path + ": cannot open");
    test::writeFile(path, "{");
    EXPECT_ERROR(FormatError, Tokenizer::load(path), "not valid JSON");
    json t = json::parse(test::readFile(test::dataPath("engine/tokenizer/tokenizer.json")));
    t["model"]["type"] = "WordPiece";
    test::writeFile(path, t.dump());
    EXPECT_ERROR(FormatError, Tokenizer::load(path), "model.type \"WordPiece\" is not supported");
    t = json::parse(test::readFile(test::dataPath("engine/tokenizer/tokenizer.json")));
    t["model"]["merges"][5] = json::array({"zz", "qq"});
    test::writeFile(path, t.dump());
    EXPECT_ERROR(FormatError, Tokenizer::load(path), "merges[5]: \"zz qq\" uses a token missing from the vocabulary");
    t = json::parse(test::readFile(test::dataPath("engine/tokenizer/tokenizer.json")));
    t["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(unclosed";
    test::writeFile(path, t.dump());
    EXPECT_ERROR(FormatError, Tokenizer::load(path), "regex does not compile");
    t = json::parse(test::readFile(test::dataPath("engine/tokenizer/tokenizer.json")));
    t["normalizer"] = {{"type", "Lowercase"}};
    test::writeFile(path, t.dump());
    EXPECT_ERROR(FormatError, Tokenizer::load(path), "normalizer type \"Lowercase\" is not supported");
}

void TestTokenizer::unknownIdIsAnError() {
    EXPECT_ERROR(FormatError, tok_->decode({5, 99999}), "token id 99999 is not in the vocabulary (size 891)");
    EXPECT_ERROR(FormatError, tok_->decode({-1}), "token id -1");
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
