// tokenizer.json: loading, then encoding and decoding with whatever loaded.
#include "fuzz_support.h"

#include "momq/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzz::expectCleanRefusal([&] {
        const auto tok =
            momq::Tokenizer::fromJson(std::string(reinterpret_cast<const char *>(data), size), "tokenizer.json");
        const auto ids = tok->encode("SELECT name FROM t WHERE x = 'é' <|im_end|>\n 1234");
        tok->decode(ids);
        tok->decode({0, 1, tok->vocabSize() - 1});
    });
    return 0;
}
