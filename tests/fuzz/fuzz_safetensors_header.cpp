// libFuzzer target for the safetensors header parser: any byte string must either parse or raise
// momq::FormatError; crashes, hangs and sanitizer reports are bugs. Build (clang only):
//   cmake -S tests/fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ && cmake --build build-fuzz
//   build-fuzz/fuzz_safetensors_header -max_total_time=60 tests/data/engine
#include "momq/error.h"
#include "momq/safetensors.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    try {
        momq::parseSafetensorsHeader(data, size, "fuzz");
    } catch (const momq::FormatError &) {
    }
    return 0;
}
