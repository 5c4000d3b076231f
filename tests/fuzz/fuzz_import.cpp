// Every import format on the same bytes: the first byte picks the format.
#include "fuzz_support.h"

#include "momq/importers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    const auto path = fuzz::writeInput(data + 1, size - 1, ".data");
    const momq::ProblemSink sink = [](const momq::ItemProblem &p) { (void)p.describe(); };
    fuzz::expectCleanRefusal([&] {
        std::vector<momq::DatasetItem> items;
        switch (data[0] % 4) {
        case 0: items = momq::importMomqConversations(path, sink); break;
        case 1: items = momq::importSpiderJson(path, sink); break;
        case 2: items = momq::importDefogCsv(path, sink); break;
        default: items = momq::importText2CypherCsv(path, sink); break;
        }
        for (const auto &item : items) (void)momq::datasetItemToJsonLine(item);
    });
    return 0;
}
