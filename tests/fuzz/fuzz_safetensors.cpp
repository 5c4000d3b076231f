// The safetensors header parser on arbitrary file bytes.
#include "fuzz_support.h"

#include "momq/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzz::expectCleanRefusal([&] { momq::parseSafetensorsHeader(data, size, "fuzz.safetensors"); });
    return 0;
}
