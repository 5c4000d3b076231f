// Dataset JSONL: every line either an item or a located problem.
#include "fuzz_support.h"

#include "momq/dataset.h"
#include "momq/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const auto path = fuzz::writeInput(data, size, ".jsonl");
    fuzz::expectCleanRefusal([&] {
        for (const auto &item : momq::readDatasetJsonl(path, [](const momq::ItemProblem &p) { (void)p.describe(); }))
            (void)momq::datasetItemToJsonLine(item);
    });
    return 0;
}
