// Engine-internal: UTF-8 checks for text that comes from users, files and servers, before it
// reaches JSON (which refuses invalid UTF-8) or a message.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace momq {

// The length of the well-formed UTF-8 sequence at bytes[i] (1-4), or 0 when there is none there;
// `valid` is then how many bytes form the longest invalid prefix (at least 1).
inline int utf8SequenceAt(std::string_view bytes, std::size_t i, int &valid) {
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const unsigned char c = p[i];
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        len = 1;
    else if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;  // no overlong forms
        if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    }
    valid = 1;
    if (len == 0) return 0;
    for (; valid < len && i + valid < bytes.size(); ++valid) {
        const unsigned char cc = p[i + valid];
        if (cc < (valid == 1 ? lo : 0x80) || cc > (valid == 1 ? hi : 0xBF)) break;
    }
    return valid == len ? len : 0;
}

// Bytes to text the way Rust's String::from_utf8_lossy does it (which the reference tokenizer's
// decoder uses): each maximal invalid subsequence becomes one U+FFFD.
inline std::string utf8Lossy(std::string_view bytes) {
    std::string out;
    for (std::size_t i = 0; i < bytes.size();) {
        int consumed = 0;
        if (const int len = utf8SequenceAt(bytes, i, consumed))
            out.append(bytes.substr(i, len));
        else
            out += "\xEF\xBF\xBD";
        i += consumed;
    }
    return out;
}

// The offset of the first byte that is not part of well-formed UTF-8, if any.
inline std::optional<std::size_t> invalidUtf8Offset(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        int consumed = 0;
        if (!utf8SequenceAt(bytes, i, consumed)) return i;
        i += consumed;
    }
    return std::nullopt;
}

}  // namespace momq
