// The byte-level BPE tokenizer against ids and texts dumped by Hugging Face `tokenizers`
// (tests/data/engine/golden.json, made by scripts/make_engine_fixtures.py).
#include "test_support.h"

#include "momq/error.h"
#include "momq/tokenizer.h"

#include <algorithm>

#include <QProcess>
#include <QTemporaryDir>
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
    void unknownIdDecodesToNothing();
    void hostileFilesAreRefusedBeforeUse();
    void trainedVocabularyLoadsHereAndInHuggingFace_data();
    void trainedVocabularyLoadsHereAndInHuggingFace();
    void identifiersAreTheSameTokensInSchemaAndQuery();
    void trainingRefusesATooSmallVocabulary();

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

// What fuzzing found (stack overflows, invalid writes, bad_alloc): refused with one line that
// names the file and field, in the library and through `momq`.
void TestTokenizer::hostileFilesAreRefusedBeforeUse() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("tokenizer.json")).toStdString();
    const json good = json::parse(test::readFile(test::dataPath("engine/tokenizer/tokenizer.json")));
    auto refused = [&](const std::string &text, const std::string &fragment) {
        test::writeFile(path, text);
        EXPECT_ERROR(FormatError, Tokenizer::load(path), path + ": ");
        EXPECT_ERROR(FormatError, Tokenizer::load(path), fragment);
        QProcess p;
        p.start(QStringLiteral(MOMQ_CLI), {QStringLiteral("tokenize"), QStringLiteral("--model"), dir.path(),
                                           QStringLiteral("--text"), QStringLiteral("hi")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
        QVERIFY2(err.contains(QString::fromStdString(fragment)), qPrintable(err));
    };
    std::string deep;  // a normalizer nested 200,000 deep
    for (int i = 0; i < 200000; ++i) deep += R"({"type":"Sequence","normalizers":[)";
    deep += R"({"type":"NFC"})";
    for (int i = 0; i < 200000; ++i) deep += "]}";
    std::string text = good.dump();  // the old normalizer stays behind as "unused": still one valid document
    text.replace(text.find(R"("normalizer":)"), std::string(R"("normalizer":)").size(),
                 R"("normalizer":)" + deep + R"(,"unused":)");
    refused(text, "not valid JSON: nested deeper than 64 levels");

    json t = good;
    t["model"]["vocab"]["a"] = std::int64_t{1} << 31;
    refused(t.dump(), "model.vocab.\"a\": expected a token id from 0 to 16777215, found number 2147483648");
    t = good;
    t["model"]["vocab"]["a"] = -5;
    refused(t.dump(), "found number -5");
    t = good;
    t["model"]["vocab"]["a"] = "7";
    refused(t.dump(), "found string \"7\"");
    t = good;
    t["model"]["vocab"]["a"] = t["model"]["vocab"]["b"];
    refused(t.dump(), "share id");
    // Regression: a post-processor that adds a BOS to every encoding (Llama 3) was ignored, so ids
    // differed from encode() in `tokenizers`; now refused, while a template of the text alone loads.
    t = good;
    t["post_processor"] = json::parse(R"({"type": "Sequence", "processors": [{"type": "ByteLevel"},
        {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
        {"Sequence": {"id": "A", "type_id": 0}}], "pair": [], "special_tokens": {}}]})");
    refused(t.dump(), "post_processor TemplateProcessing adds \"<|begin_of_text|>\" to every encoding");
    t["post_processor"]["processors"][1]["single"].erase(0);
    test::writeFile(path, t.dump());
    QCOMPARE(Tokenizer::load(path)->encode("hi"), Tokenizer::load(test::dataPath("engine/tokenizer"))->encode("hi"));
    t["post_processor"] = json::parse(R"({"type": "BertProcessing", "sep": ["[SEP]", 1], "cls": ["[CLS]", 2]})");
    refused(t.dump(), "post_processor type \"BertProcessing\" is not supported");
    t = good;
    t["added_tokens"][0]["id"] = -1;
    refused(t.dump(), "added_tokens[0].id: expected a token id");
    t = good;
    t["added_tokens"][0]["id"] = 1000000000000LL;  // once a bad_alloc
    refused(t.dump(), "added_tokens[0].id: expected a token id from 0 to 16777215, found number 1000000000000");
}

// Regression: text-mode generation stopped with an error when a model whose embedding is padded past
// the tokenizer emitted such an id; `tokenizers` decodes it to nothing, and so does this.
void TestTokenizer::unknownIdDecodesToNothing() {
    QCOMPARE(tok_->decode({5, 99999, 5}), tok_->decode({5, 5}));
    QCOMPARE(tok_->decode({-1}), std::string());
}

void TestTokenizer::trainedVocabularyLoadsHereAndInHuggingFace_data() {
    QTest::addColumn<int>("split");
    QTest::newRow("identifiers") << static_cast<int>(PreTokenizer::Identifiers);
    QTest::newRow("qwen2") << static_cast<int>(PreTokenizer::Qwen2);
}

// `momq tokenizer train`'s core: a vocabulary learned from a small mixed corpus gives the same ids
// here and in Hugging Face `tokenizers` (the Python package set-up installs), merges frequent text,
// round-trips, and is the same for the same input — with either pre-tokenizer.
void TestTokenizer::trainedVocabularyLoadsHereAndInHuggingFace() {
    QFETCH(int, split);
    std::vector<std::string> texts;
    for (int i = 0; i < 40; ++i) {
        texts.push_back("SELECT name FROM player WHERE age > " + std::to_string(20 + i) + " ORDER BY name LIMIT 3");
        texts.push_back("MATCH (p:Player)-[:PLAYS_FOR]->(t:Team) WHERE t.name = 'Falcons' RETURN p.name");
        texts.push_back("哪些球员的年龄大于" + std::to_string(i) + "？ Which players are older than " +
                        std::to_string(i) + "?");
    }
    TokenizerTrainOptions options;
    options.vocabSize = 400;
    options.preTokenizer = static_cast<PreTokenizer>(split);
    const std::string text = trainByteLevelBpe(texts, options);
    QCOMPARE(trainByteLevelBpe(texts, options), text);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("tokenizer.json")).toStdString();
    test::writeFile(path, text);
    const auto tok = Tokenizer::load(path);
    QVERIFY(tok->vocabSize() <= 400);
    QVERIFY(tok->tokenId("<|im_end|>") >= 256);
    QVERIFY(tok->isSpecial(tok->tokenId("<|endoftext|>")));
    const std::vector<std::string> samples = {"SELECT name FROM player WHERE age > 31",
                                              "MATCH (p:Player) RETURN p.name", "哪些球员的年龄大于7？",
                                              "unseen words: café, naïve, 12345 <|im_end|>\n\n  spaces"};
    QVERIFY(tok->encode(samples[0]).size() < (options.preTokenizer == PreTokenizer::Qwen2 ? 12 : 20));
    json expected = json::array();
    for (const auto &s : samples) {
        QCOMPARE(tok->decode(tok->encode(s)), s);
        expected.push_back(tok->encode(s));
    }
    const QString python = QStringLiteral(MOMQ_SOURCE_DIR "/.venv/bin/python");
    QVERIFY2(QFile::exists(python), "scripts/setup.sh installs the reference Python packages into .venv");
    QProcess hf;
    hf.start(python,
             {QStringLiteral("-c"),
              QStringLiteral("import json,sys\nfrom tokenizers import Tokenizer\nt=Tokenizer.from_file(sys.argv[1])\n"
                             "print(json.dumps([t.encode(s).ids for s in json.loads(sys.argv[2])]))"),
              QString::fromStdString(path), QString::fromStdString(json(samples).dump())});
    QVERIFY(hf.waitForFinished(120000));
    QCOMPARE(hf.exitCode(), 0);
    QCOMPARE(json::parse(hf.readAllStandardOutput().toStdString()), expected);
}

// The built-in model's split: a name is the same token ids wherever the prompt's schema or a query
// writes it — after "(", "`", "." or a space — while Qwen2's split glues the symbol or space to it.
void TestTokenizer::identifiersAreTheSameTokensInSchemaAndQuery() {
    std::vector<std::string> texts;
    for (int i = 0; i < 30; ++i) {
        texts.push_back("  (points_per_game:DECIMAL(10,2), points per game.),\n- `points_per_game`: FLOAT");
        texts.push_back("SELECT T1.points_per_game FROM player AS T1 WHERE points_per_game > " + std::to_string(i));
        texts.push_back("MATCH (n:Player) RETURN n.points_per_game, count(points_per_game)");
    }
    auto idsOf = [](const Tokenizer &tok, const std::string &text, const std::string &name) {
        const auto ids = tok.encode(text);
        const auto nameIds = tok.encode(name);
        const bool found = std::search(ids.begin(), ids.end(), nameIds.begin(), nameIds.end()) != ids.end();
        return found ? nameIds : std::vector<int>{};
    };
    const std::vector<std::string> contexts = {"  (points_per_game:DECIMAL",  "- `points_per_game`: FLOAT",
                                               "SELECT points_per_game FROM", "WHERE T1.points_per_game > 3",
                                               "RETURN n.points_per_game",    "count(points_per_game)"};
    for (const auto split : {PreTokenizer::Identifiers, PreTokenizer::Qwen2}) {
        TokenizerTrainOptions options;
        options.vocabSize = 320;
        options.preTokenizer = split;
        const auto tok = Tokenizer::fromJson(trainByteLevelBpe(texts, options), "trained");
        int sameEverywhere = 0;
        for (const auto &context : contexts) sameEverywhere += !idsOf(*tok, context, "points_per_game").empty();
        if (split == PreTokenizer::Identifiers)
            QCOMPARE(sameEverywhere, static_cast<int>(contexts.size()));
        else
            QVERIFY(sameEverywhere < static_cast<int>(contexts.size()));
    }
}

void TestTokenizer::trainingRefusesATooSmallVocabulary() {
    TokenizerTrainOptions options;
    options.vocabSize = 100;
    EXPECT_ERROR(FormatError, trainByteLevelBpe({"abc"}, options),
                 "vocab_size: 100 is smaller than the 259 byte and special tokens");
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
