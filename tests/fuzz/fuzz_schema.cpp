// Schema JSON, and its prompt serialisations when it loads.
#include "fuzz_support.h"

#include "momq/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    fuzz::expectCleanRefusal([&] {
        const auto s = momq::schemaFromJson(std::string(reinterpret_cast<const char *>(data), size));
        (void)momq::schemaToJson(s);
        for (auto format : {momq::SchemaFormat::Relational, momq::SchemaFormat::Cypher, momq::SchemaFormat::Ngql})
            fuzz::expectCleanRefusal([&] { (void)momq::formatSchemaForPrompt(s, format); });
    });
    return 0;
}
