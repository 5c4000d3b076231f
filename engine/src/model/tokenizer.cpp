#include "momq/tokenizer.h"

#include "core/json_document.h"
#include "core/text.h"
#include "core/utf8.h"
#include "momq/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace momq {

using nlohmann::json;

namespace {

// Larger than any real vocabulary (Qwen2: 151,646), small enough to allocate tables for.
constexpr std::int64_t kMaxTokenId = std::int64_t{1} << 24;

// GPT-2's reversible map from bytes to printable characters: printable Latin-1 bytes stand for
// themselves, the other 68 take the code points from U+0100 on, in byte order.
struct ByteMap {
    std::array<std::string, 256> byteToText;  // UTF-8 of the mapped character
    std::unordered_map<char32_t, std::uint8_t> charToByte;

    ByteMap() {
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            const char32_t cp = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(next++);
            charToByte[cp] = static_cast<std::uint8_t>(b);
            byteToText[b] = encodeUtf8(cp);
        }
    }
    static std::string encodeUtf8(char32_t cp) {
        std::string s;
        if (cp < 0x80)
            s += static_cast<char>(cp);
        else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return s;
    }
};

const ByteMap &byteMap() {
    static const ByteMap map;
    return map;
}

// Splits well-formed UTF-8 into code points (the texts here were validated or built by us).
std::vector<char32_t> codePoints(const std::string &s) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

struct Regex {
    pcre2_code *code = nullptr;
    explicit Regex(const std::string &pattern, const std::string &where) {
        int err = 0;
        PCRE2_SIZE offset = 0;
        code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(), PCRE2_UTF | PCRE2_UCP, &err,
                             &offset, nullptr);
        if (!code) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            throw FormatError(where + ": regex does not compile at offset " + std::to_string(offset) + ": " +
                              reinterpret_cast<char *>(msg));
        }
        pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // a speed-up where available; the interpreter otherwise
    }
    Regex(Regex &&o) noexcept : code(o.code) { o.code = nullptr; }
    Regex(const Regex &) = delete;
    ~Regex() { pcre2_code_free(code); }

    // "Isolated" split: every match and every stretch between matches becomes a piece.
    void split(const std::string &text, std::vector<std::string> &pieces) const {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, nullptr);
        std::size_t pos = 0, last = 0;
        while (pos <= text.size()) {
            const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), pos,
                                       PCRE2_NO_UTF_CHECK, md, nullptr);
            if (rc < 0) break;
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (ov[0] == ov[1]) {  // empty match: step one character on
                pos = ov[1] + 1;
                while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
                continue;
            }
            if (ov[0] > last) pieces.push_back(text.substr(last, ov[0] - last));
            pieces.push_back(text.substr(ov[0], ov[1] - ov[0]));
            last = pos = ov[1];
        }
        if (last < text.size()) pieces.push_back(text.substr(last));
        pcre2_match_data_free(md);
    }
};

// GPT-2's pattern, which ByteLevel applies itself when its use_regex is on.
const char *kByteLevelPattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

struct AddedToken {
    int id;
    std::string content;
    bool special;
};

struct PairHash {
    std::size_t operator()(const std::pair<int, int> &p) const {
        return std::hash<std::uint64_t>()((static_cast<std::uint64_t>(p.first) << 32) |
                                          static_cast<std::uint32_t>(p.second));
    }
};

}  // namespace

struct Tokenizer::Impl {
    std::unordered_map<std::string, int> vocab;
    std::vector<std::string> idToToken;
    std::unordered_map<std::pair<int, int>, std::pair<int, int>, PairHash> merges;  // pair -> (rank, merged id)
    std::vector<AddedToken> added;  // longest content first, for matching
    std::vector<bool> special;
    bool nfc = false;
    std::vector<Regex> splits;  // applied in order, each splitting every piece further
    bool ignoreMerges = false;
    int unkId = -1;

    void bpe(const std::string &word, std::vector<int> &out) const {
        if (ignoreMerges) {
            if (auto it = vocab.find(word); it != vocab.end()) {
                out.push_back(it->second);
                return;
            }
        }
        std::vector<int> symbols;
        for (char32_t cp : codePoints(word)) {
            auto it = vocab.find(ByteMap::encodeUtf8(cp));
            if (it != vocab.end())
                symbols.push_back(it->second);
            else if (unkId >= 0)
                symbols.push_back(unkId);
            else
                throw Error("tokenizer: character U+" + std::to_string(static_cast<unsigned>(cp)) +
                            " has no token and there is no unk_token");
        }
        // Repeatedly merge the adjacent pair with the lowest rank (the earliest learned merge).
        while (symbols.size() > 1) {
            int bestRank = INT32_MAX, bestAt = -1, bestId = -1;
            for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
                auto it = merges.find({symbols[i], symbols[i + 1]});
                if (it != merges.end() && it->second.first < bestRank) {
                    bestRank = it->second.first;
                    bestAt = static_cast<int>(i);
                    bestId = it->second.second;
                }
            }
            if (bestAt < 0) break;
            // merge every occurrence of this pair, left to right, as the reference does per rank
            std::vector<int> next;
            next.reserve(symbols.size());
            const int a = symbols[bestAt], b = symbols[bestAt + 1];
            for (std::size_t i = 0; i < symbols.size();) {
                if (i + 1 < symbols.size() && symbols[i] == a && symbols[i + 1] == b) {
                    next.push_back(bestId);
                    i += 2;
                } else {
                    next.push_back(symbols[i++]);
                }
            }
            symbols.swap(next);
        }
        out.insert(out.end(), symbols.begin(), symbols.end());
    }

    void encodeOrdinary(const std::string &segment, std::vector<int> &out) const {
        for (const auto &mapped : mappedPieces(segment)) bpe(mapped, out);
    }

    std::vector<std::string> mappedPieces(const std::string &segment) const {
        if (segment.empty()) return {};
        std::string text = segment;
        if (nfc) {
            utf8proc_uint8_t *normalized = nullptr;
            const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t *>(segment.data()),
                                        static_cast<utf8proc_ssize_t>(segment.size()), &normalized,
                                        static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
            if (n < 0) throw FormatError(std::string("tokenizer: text is not valid UTF-8: ") + utf8proc_errmsg(n));
            text.assign(reinterpret_cast<char *>(normalized), static_cast<std::size_t>(n));
            std::free(normalized);
        }
        std::vector<std::string> pieces{text};
        for (const auto &re : splits) {
            std::vector<std::string> next;
            for (const auto &p : pieces) re.split(p, next);
            pieces.swap(next);
        }
        const auto &map = byteMap();
        std::vector<std::string> out;
        for (const auto &piece : pieces) {
            std::string mapped;
            for (unsigned char c : piece) mapped += map.byteToText[c];
            out.push_back(std::move(mapped));
        }
        return out;
    }

    // Calls `ordinary` for each stretch between added tokens and `added` for each added token.
    template <typename Ordinary, typename Added>
    void splitOnAddedTokens(const std::string &text, Ordinary ordinary, Added added) const {
        std::size_t start = 0;
        for (std::size_t i = 0; i < text.size();) {
            const AddedToken *hit = nullptr;
            for (const auto &t : this->added)
                if (text.compare(i, t.content.size(), t.content) == 0) {
                    hit = &t;
                    break;
                }
            if (!hit) {
                ++i;
                continue;
            }
            ordinary(text.substr(start, i - start));
            added(*hit);
            i += hit->content.size();
            start = i;
        }
        ordinary(text.substr(start));
    }
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

namespace {

void readPreTokenizer(const json &pt, std::vector<Regex> &splits, const std::string &where) {
    if (pt.is_null()) return;
    const std::string type = pt.value("type", "");
    if (type == "Sequence") {
        for (const auto &p : pt.at("pretokenizers")) readPreTokenizer(p, splits, where);
    } else if (type == "Split") {
        const auto &pattern = pt.at("pattern");
        if (!pattern.contains("Regex"))
            throw FormatError(where + ": pre_tokenizer Split: only Regex patterns are supported");
        if (pt.value("behavior", "") != "Isolated" || pt.value("invert", false))
            throw FormatError(where + ": pre_tokenizer Split: only behavior Isolated without invert is supported");
        splits.emplace_back(pattern["Regex"].get<std::string>(), where + ": pre_tokenizer Split");
    } else if (type == "ByteLevel") {
        if (pt.value("add_prefix_space", false))
            throw FormatError(where + ": pre_tokenizer ByteLevel: add_prefix_space is not supported");
        if (pt.value("use_regex", true)) splits.emplace_back(kByteLevelPattern, where + ": ByteLevel");
    } else {
        throw FormatError(where + ": pre_tokenizer type " + shortQuoted(type) +
                          " is not supported (expected Split, ByteLevel or Sequence)");
    }
}

// Post-processors add tokens around every encoding. ByteLevel (offsets only) and templates of the
// text alone change nothing here; one that adds a token (Llama 3's BOS, BERT's [CLS]) would give
// other ids than `tokenizers`, so it is refused rather than ignored.
void checkPostProcessor(const json &p, const std::string &where) {
    if (p.is_null()) return;
    const std::string type = p.value("type", "");
    if (type == "ByteLevel") return;
    if (type == "Sequence") {
        for (const auto &inner : p.value("processors", json::array())) checkPostProcessor(inner, where);
        return;
    }
    if (type == "TemplateProcessing") {
        for (const auto &piece : p.value("single", json::array()))
            if (piece.contains("SpecialToken"))
                throw FormatError(where + ": post_processor TemplateProcessing adds " +
                                  shortQuoted(piece["SpecialToken"].value("id", "")) +
                                  " to every encoding; adding tokens is not supported");
        return;
    }
    throw FormatError(where + ": post_processor type " + shortQuoted(type) +
                      " is not supported (expected ByteLevel or a template of the text alone)");
}

bool readNormalizer(const json &n, const std::string &where) {
    if (n.is_null()) return false;
    const std::string type = n.value("type", "");
    if (type == "NFC") return true;
    if (type == "Sequence") {
        bool nfc = false;
        for (const auto &x : n.at("normalizers")) nfc = readNormalizer(x, where) || nfc;
        return nfc;
    }
    throw FormatError(where + ": normalizer type " + shortQuoted(type) + " is not supported (expected NFC)");
}

}  // namespace

namespace {

std::unique_ptr<Tokenizer::Impl> parseTokenizerJson(const json &j, const std::string &where) {
    auto impl = std::make_unique<Tokenizer::Impl>();
    try {
        const auto &model = j.at("model");
        if (model.value("type", "BPE") != "BPE")
            throw FormatError(where + ": model.type " + shortQuoted(model.value("type", "")) +
                              " is not supported (expected BPE)");
        if (model.value("byte_fallback", false)) throw FormatError(where + ": model.byte_fallback is not supported");
        impl->ignoreMerges = model.value("ignore_merges", false);
        // Ids index tables below: each is checked before use, and the tables' size is bounded.
        auto tokenId = [&](const json &id, const std::string &field) {
            if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() >= kMaxTokenId)
                throw FormatError(where + ": " + field + ": expected a token id from 0 to " +
                                  std::to_string(kMaxTokenId - 1) + ", found " + describeJson(id));
            return static_cast<int>(id.get<std::int64_t>());
        };
        const auto &vocab = model.at("vocab");
        if (!vocab.is_object())
            throw FormatError(where + ": model.vocab: expected an object of token -> id, found " + describeJson(vocab));
        int maxId = -1;
        std::unordered_map<int, std::string> tokenOfId;
        for (const auto &[token, id] : vocab.items()) {
            const int value = tokenId(id, "model.vocab." + shortQuoted(token));
            if (const auto [at, fresh] = tokenOfId.emplace(value, token); !fresh)
                throw FormatError(where + ": model.vocab: tokens " + shortQuoted(at->second) + " and " +
                                  shortQuoted(token) + " share id " + std::to_string(value));
            impl->vocab[token] = value;
            maxId = std::max(maxId, value);
        }
        const auto added = j.value("added_tokens", json::array());
        if (!added.is_array())
            throw FormatError(where + ": added_tokens: expected an array, found " + describeJson(added));
        for (std::size_t i = 0; i < added.size(); ++i) {
            const auto &a = added[i];
            const std::string field = "added_tokens[" + std::to_string(i) + "]";
            if (!a.is_object())
                throw FormatError(where + ": " + field + ": expected an object, found " + describeJson(a));
            AddedToken t{tokenId(a.at("id"), field + ".id"), a.at("content").get<std::string>(),
                         a.value("special", false)};
            if (t.content.empty())
                throw FormatError(where + ": " + field + ": token " + std::to_string(t.id) + " has empty content");
            maxId = std::max(maxId, t.id);
            impl->added.push_back(t);
        }
        impl->idToToken.assign(maxId + 1, std::string());
        impl->special.assign(maxId + 1, false);
        for (const auto &[token, id] : impl->vocab) impl->idToToken[id] = token;
        for (const auto &t : impl->added) {
            impl->idToToken[t.id] = t.content;
            impl->special[t.id] = t.special;
            impl->vocab.emplace(t.content, t.id);
        }
        std::stable_sort(impl->added.begin(), impl->added.end(),
                         [](const AddedToken &a, const AddedToken &b) { return a.content.size() > b.content.size(); });
        int rank = 0;
        for (const auto &m : model.at("merges")) {
            std::string left, right;
            if (m.is_string()) {
                const auto s = m.get<std::string>();
                const auto space = s.find(' ');
                if (space == std::string::npos)
                    throw FormatError(where + ": merges[" + std::to_string(rank) + "]: " + shortQuoted(s) +
                                      " has no space");
                left = s.substr(0, space);
                right = s.substr(space + 1);
            } else if (m.is_array() && m.size() == 2) {
                left = m[0].get<std::string>();
                right = m[1].get<std::string>();
            } else {
                throw FormatError(where + ": merges[" + std::to_string(rank) + "]: expected \"a b\" or [a, b]");
            }
            const auto l = impl->vocab.find(left), r = impl->vocab.find(right), merged = impl->vocab.find(left + right);
            if (l == impl->vocab.end() || r == impl->vocab.end() || merged == impl->vocab.end())
                throw FormatError(where + ": merges[" + std::to_string(rank) + "]: " + shortQuoted(left + " " + right) +
                                  " uses a token missing from the vocabulary");
            impl->merges.emplace(std::pair{l->second, r->second}, std::pair{rank, merged->second});
            ++rank;
        }
        if (model.contains("unk_token") && model["unk_token"].is_string()) {
            auto it = impl->vocab.find(model["unk_token"].get<std::string>());
            if (it != impl->vocab.end()) impl->unkId = it->second;
        }
        impl->nfc = readNormalizer(j.value("normalizer", json()), where);
        readPreTokenizer(j.value("pre_tokenizer", json()), impl->splits, where);
        checkPostProcessor(j.value("post_processor", json()), where);
        const auto decoder = j.value("decoder", json());
        if (!decoder.is_null() && decoder.value("type", "") != "ByteLevel")
            throw FormatError(where + ": decoder type " + shortQuoted(decoder.value("type", "")) +
                              " is not supported (expected ByteLevel)");
    } catch (const json::exception &e) {
        throw FormatError(where + ": " + e.what());
    }
    return impl;
}

}  // namespace

std::shared_ptr<const Tokenizer> Tokenizer::load(const std::string &pathText) {
    std::filesystem::path path(pathText);
    if (std::filesystem::is_directory(path)) path /= "tokenizer.json";
    const std::string where = path.string();
    std::ifstream in(path);
    if (!in) throw Error(where + ": cannot open file for reading");
    return std::shared_ptr<const Tokenizer>(new Tokenizer(parseTokenizerJson(parseJsonInput(in, where), where)));
}

std::shared_ptr<const Tokenizer> Tokenizer::fromJson(const std::string &text, const std::string &source) {
    return std::shared_ptr<const Tokenizer>(new Tokenizer(parseTokenizerJson(parseJson(text, source), source)));
}

// ---- training ------------------------------------------------------------------------------------

namespace {

// Qwen2's pre-tokenizer split: contractions, letters with one leading non-letter, single digits,
// punctuation runs, newlines, spaces.
const char *kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// Identifiers: letter-and-underscore runs on their own, single digits, punctuation runs (with one
// leading space), newlines, spaces.
const char *kIdentifierPattern = R"([\p{L}_]+|\p{N}| ?[^\s\p{L}\p{N}_]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

json tokenizerJson(const std::vector<std::string> &vocab,
                   const std::vector<std::pair<std::string, std::string>> &merges,
                   const std::vector<std::string> &specialTokens, PreTokenizer split) {
    const json byteLevel = {
        {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
    json j = {
        {"version", "1.0"},
        {"truncation", nullptr},
        {"padding", nullptr},
        {"added_tokens", json::array()},
        {"normalizer", {{"type", "NFC"}}},
        {"pre_tokenizer",
         {{"type", "Sequence"},
          {"pretokenizers",
           json::array({{{"type", "Split"},
                         {"pattern", {{"Regex", split == PreTokenizer::Qwen2 ? kQwen2Pattern : kIdentifierPattern}}},
                         {"behavior", "Isolated"},
                         {"invert", false}},
                        byteLevel})}}},
        {"post_processor", byteLevel},
        {"decoder", byteLevel}};
    json v = json::object();
    for (std::size_t i = 0; i < vocab.size(); ++i) v[vocab[i]] = i;
    json m = json::array();
    for (const auto &[a, b] : merges) m.push_back({a, b});
    j["model"] = {{"type", "BPE"},
                  {"dropout", nullptr},
                  {"unk_token", nullptr},
                  {"continuing_subword_prefix", ""},
                  {"end_of_word_suffix", ""},
                  {"fuse_unk", false},
                  {"byte_fallback", false},
                  {"ignore_merges", false},
                  {"vocab", v},
                  {"merges", m}};
    for (std::size_t i = 0; i < specialTokens.size(); ++i)
        j["added_tokens"].push_back({{"id", vocab.size() + i},
                                     {"content", specialTokens[i]},
                                     {"single_word", false},
                                     {"lstrip", false},
                                     {"rstrip", false},
                                     {"normalized", false},
                                     {"special", true}});
    return j;
}

}  // namespace

std::string trainByteLevelBpe(const std::vector<std::string> &texts, const TokenizerTrainOptions &options) {
    const int alphabet = 256, reserved = alphabet + static_cast<int>(options.specialTokens.size());
    if (options.vocabSize < reserved)
        throw FormatError("vocab_size: " + std::to_string(options.vocabSize) + " is smaller than the " +
                          std::to_string(reserved) + " byte and special tokens");
    std::vector<std::string> vocab(byteMap().byteToText.begin(), byteMap().byteToText.end());
    // A tokenizer with bytes only splits the texts exactly as the trained one will.
    const auto seed =
        parseTokenizerJson(tokenizerJson(vocab, {}, options.specialTokens, options.preTokenizer), "tokenizer training");
    std::map<std::string, std::int64_t> wordCounts;  // ordered: the result must not depend on hashing
    for (const auto &text : texts)
        seed->splitOnAddedTokens(
            text,
            [&](const std::string &s) {
                for (const auto &piece : seed->mappedPieces(s)) ++wordCounts[piece];
            },
            [](const AddedToken &) {});

    std::unordered_map<std::string, int> ids;
    for (int i = 0; i < alphabet; ++i) ids[vocab[i]] = i;
    std::vector<std::vector<int>> words;
    std::vector<std::int64_t> counts;
    for (const auto &[word, count] : wordCounts) {
        std::vector<int> symbols;
        for (char32_t cp : codePoints(word)) symbols.push_back(ids.at(ByteMap::encodeUtf8(cp)));
        words.push_back(std::move(symbols));
        counts.push_back(count);
    }
    std::unordered_map<std::pair<int, int>, std::int64_t, PairHash> pairs;
    auto countPairs = [&](const std::vector<int> &w, std::int64_t sign, std::int64_t count) {
        for (std::size_t i = 0; i + 1 < w.size(); ++i) pairs[{w[i], w[i + 1]}] += sign * count;
    };
    for (std::size_t i = 0; i < words.size(); ++i) countPairs(words[i], 1, counts[i]);

    std::vector<std::pair<std::string, std::string>> merges;
    while (static_cast<int>(vocab.size()) + static_cast<int>(options.specialTokens.size()) < options.vocabSize) {
        // The most frequent pair; ties go to the pair whose text sorts first, so runs are repeatable.
        std::pair<int, int> best{-1, -1};
        std::int64_t bestCount = 0;
        for (const auto &[pair, count] : pairs) {
            if (count < bestCount || count < options.minFrequency) continue;
            if (count > bestCount ||
                std::tie(vocab[pair.first], vocab[pair.second]) < std::tie(vocab[best.first], vocab[best.second])) {
                best = pair;
                bestCount = count;
            }
        }
        if (best.first < 0) break;
        const int merged = static_cast<int>(vocab.size());
        vocab.push_back(vocab[best.first] + vocab[best.second]);
        merges.emplace_back(vocab[best.first], vocab[best.second]);
        for (std::size_t i = 0; i < words.size(); ++i) {
            auto &w = words[i];
            bool has = false;
            for (std::size_t k = 0; k + 1 < w.size() && !has; ++k) has = w[k] == best.first && w[k + 1] == best.second;
            if (!has) continue;
            countPairs(w, -1, counts[i]);
            std::vector<int> next;
            for (std::size_t k = 0; k < w.size();) {
                if (k + 1 < w.size() && w[k] == best.first && w[k + 1] == best.second) {
                    next.push_back(merged);
                    k += 2;
                } else {
                    next.push_back(w[k++]);
                }
            }
            w.swap(next);
            countPairs(w, 1, counts[i]);
        }
        pairs.erase(best);
    }
    return tokenizerJson(vocab, merges, options.specialTokens, options.preTokenizer).dump(1) + "\n";
}

std::vector<int> Tokenizer::encode(const std::string &text) const {
    // Added tokens are found in the raw text first; the stretches between them are tokenized.
    std::vector<int> ids;
    impl_->splitOnAddedTokens(
        text, [&](const std::string &s) { impl_->encodeOrdinary(s, ids); },
        [&](const AddedToken &t) { ids.push_back(t.id); });
    return ids;
}

std::vector<std::string> Tokenizer::pretokenize(const std::string &text) const {
    std::vector<std::string> pieces;
    impl_->splitOnAddedTokens(
        text,
        [&](const std::string &s) {
            for (auto &p : impl_->mappedPieces(s)) pieces.push_back(std::move(p));
        },
        [](const AddedToken &) {});
    return pieces;
}

std::string Tokenizer::decode(const std::vector<int> &ids, bool skipSpecialTokens) const {
    const auto &map = byteMap();
    std::string bytes;
    for (int id : ids) {
        // An id the vocabulary lacks (a model's embedding is often padded past the tokenizer) stands
        // for no text, as in the reference decoder.
        if (id < 0 || id >= static_cast<int>(impl_->idToToken.size()) || impl_->idToToken[id].empty()) continue;
        if (skipSpecialTokens && impl_->special[id]) continue;
        const std::string &token = impl_->idToToken[id];
        // As the reference ByteLevel decoder: a token whose characters all belong to the byte map
        // stands for those bytes; any other token (an added one, say) for its own UTF-8.
        std::string tokenBytes;
        bool mapped = true;
        for (char32_t cp : codePoints(token)) {
            auto it = map.charToByte.find(cp);
            if (it == map.charToByte.end()) {
                mapped = false;
                break;
            }
            tokenBytes += static_cast<char>(it->second);
        }
        bytes += mapped ? tokenBytes : token;
    }
    return utf8Lossy(bytes);
}

int Tokenizer::vocabSize() const { return static_cast<int>(impl_->idToToken.size()); }

int Tokenizer::tokenId(const std::string &token) const {
    auto it = impl_->vocab.find(token);
    return it == impl_->vocab.end() ? -1 : it->second;
}

std::string Tokenizer::tokenText(int id) const {
    return id >= 0 && id < vocabSize() ? impl_->idToToken[id] : std::string();
}

bool Tokenizer::isSpecial(int id) const { return id >= 0 && id < vocabSize() && impl_->special[id]; }

IncrementalDecoder::IncrementalDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool skipSpecialTokens)
    : tokenizer_(std::move(tokenizer)), skipSpecial_(skipSpecialTokens) {}

std::string IncrementalDecoder::push(int id) {
    ids_.push_back(id);
    const std::string text = tokenizer_->decode(ids_, skipSpecial_);
    static const std::string replacement = "\xEF\xBF\xBD";
    if (endsWith(text, replacement))
        return {};  // the last character is still incomplete  // the last character is still incomplete
    std::string piece = text.size() > emitted_ ? text.substr(emitted_) : std::string();
    emitted_ = text.size();
    return piece;
}

std::string IncrementalDecoder::finish() {
    const std::string text = tokenizer_->decode(ids_, skipSpecial_);
    std::string piece = text.size() > emitted_ ? text.substr(emitted_) : std::string();
    emitted_ = text.size();
    return piece;
}

std::string chatPrompt(const std::string &user, const std::string &system) {
    return "<|im_start|>system\n" + system + "<|im_end|>\n<|im_start|>user\n" + user +
           "<|im_end|>\n<|im_start|>assistant\n";
}

}  // namespace momq
