// config.json of a Hugging Face model folder.
#include "fuzz_support.h"

#include "momq/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzz::expectCleanRefusal([&] {
        const auto c = momq::parseModelConfig(std::string(reinterpret_cast<const char *>(data), size), "config.json");
        (void)momq::modelConfigToJson(c);
    });
    return 0;
}
