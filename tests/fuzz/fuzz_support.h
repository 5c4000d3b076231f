// What every harness shares: the loaders may refuse an input only with momq::Error (a clear,
// located message); any other exception, like a crash, is a finding.
#pragma once

#include "momq/error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fuzz {

// Loaders that read a path get the input through one file per process.
inline std::string writeInput(const std::uint8_t *data, std::size_t size, const char *suffix) {
    static const std::string path = "/tmp/momq-fuzz-" + std::to_string(::getpid()) + suffix;
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
    return path;
}

template <typename F> void expectCleanRefusal(F &&load) {
    try {
        load();
    } catch (const momq::Error &) {
        // refused with a message: fine
    } catch (const std::exception &e) {
        std::fprintf(stderr, "finding: an exception that is not momq::Error escaped: %s\n", e.what());
        std::abort();
    }
}

}  // namespace fuzz
