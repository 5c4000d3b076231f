// Child process for test_store_crash: writes datasets of 50 items into a project store as fast as
// it can, printing each dataset's number once its transaction has committed, until it is killed.
#include "momq/store.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: store_crash_writer PROJECT\n");
        return 2;
    }
    try {
        auto store = momq::ProjectStore::open(argv[1]);
        for (auto n = store.datasets().size();; ++n) {
            std::vector<momq::DatasetItem> items;
            for (int i = 0; i < 50; ++i)
                items.push_back({std::to_string(i), "mysql", "club",
                                 "question " + std::to_string(i) + " of batch " + std::to_string(n),
                                 "SELECT " + std::to_string(i), std::string(200, 'e')});
            store.addDataset("batch-" + std::to_string(n), "crash-test", items);
            std::printf("%zu\n", n);
            std::fflush(stdout);
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "store_crash_writer: %s\n", e.what());
        return 1;
    }
}
