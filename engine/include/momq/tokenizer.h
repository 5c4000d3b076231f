// Byte-level BPE tokenizer read from a Hugging Face tokenizer.json: vocabulary, merges, added and
// special tokens, the NFC normaliser, the Split-regex and ByteLevel pre-tokenizers (regex through
// PCRE2 for \p{L}/\p{N}), and the ByteLevel decoder. Token ids match the `tokenizers` library.
// Immutable after loading, so one Tokenizer serves any number of threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace momq {

class Tokenizer {
public:
    // `path` is a tokenizer.json file or a folder holding one.
    static std::shared_ptr<const Tokenizer> load(const std::string &path);
    // The same from a tokenizer.json document's text; errors name `source`.
    static std::shared_ptr<const Tokenizer> fromJson(const std::string &text, const std::string &source);
    ~Tokenizer();

    std::vector<int> encode(const std::string &text) const;
    // Ids the vocabulary lacks decode to nothing, as in `tokenizers`.
    std::string decode(const std::vector<int> &ids, bool skipSpecialTokens = false) const;

    int vocabSize() const;                        // largest id + 1, added tokens included
    int tokenId(const std::string &token) const;  // -1 when unknown
    std::string tokenText(int id) const;          // the vocabulary entry, empty when unknown
    bool isSpecial(int id) const;
    // The byte-level pieces BPE would merge (normalised, split by the pre-tokenizers, bytes mapped to
    // their printable stand-ins); added tokens are left out. For training a vocabulary.
    std::vector<std::string> pretokenize(const std::string &text) const;

    struct Impl;  // opaque; defined in tokenizer.cpp, where the vocabulary trainer shares it

private:
    explicit Tokenizer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Turns a stream of token ids into text pieces as they arrive, holding back a piece while it ends
// in an incomplete UTF-8 character (which would decode to U+FFFD).
class IncrementalDecoder {
public:
    explicit IncrementalDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool skipSpecialTokens = true);
    std::string push(int id);  // text that became final with this token; may be empty
    std::string finish();      // whatever is left, incomplete characters included

private:
    std::shared_ptr<const Tokenizer> tokenizer_;
    bool skipSpecial_;
    std::vector<int> ids_;
    std::size_t emitted_ = 0;  // bytes of decode(ids_) already returned
};

// Learning a byte-level BPE vocabulary (`momq tokenizer train`): a pre-tokenizer split and NFC, the
// 256 byte tokens, then the most frequent adjacent pair merged until `vocabSize` (special tokens
// included) is reached or no pair occurs `minFrequency` times. Returns tokenizer.json text that
// this class and Hugging Face `tokenizers` both load.
//
// PreTokenizer::Identifiers (the built-in model's) keeps every run of letters and underscores apart
// from what precedes it — a space or punctuation never joins the word — so that
// an identifier is the same tokens in a schema ("(name:", "`name`") and in a query (" name",
// "T1.name", "n.name"). Qwen2's split glues one leading space or symbol to a word.
enum class PreTokenizer { Identifiers, Qwen2 };
struct TokenizerTrainOptions {
    int vocabSize = 4096;
    PreTokenizer preTokenizer = PreTokenizer::Identifiers;
    int minFrequency = 2;
    std::vector<std::string> specialTokens{"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
};
std::string trainByteLevelBpe(const std::vector<std::string> &texts, const TokenizerTrainOptions &options = {});

// Qwen2-Instruct's ChatML for one user turn with the default system turn and the generation
// prompt: "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n
// <|im_start|>assistant\n".
std::string chatPrompt(const std::string &user, const std::string &system = "You are a helpful assistant.");

}  // namespace momq
