// Engine-internal: TensorBoard event files (scalars only), so that a run can be watched in
// TensorBoard beside the app. The format: TFRecord framing (length, masked CRC-32C of the length,
// the bytes, masked CRC-32C of the bytes) around Event protocol-buffer messages.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace momq {

// CRC-32C (Castagnoli), as TFRecord uses it; no Debian package provides it.
std::uint32_t crc32c(const void *data, std::size_t size);

class TensorBoardWriter {
public:
    // Creates DIR/events.out.tfevents.<seconds>.momq and writes the file-version event.
    explicit TensorBoardWriter(const std::string &directory);
    void addScalars(std::int64_t step, const std::vector<std::pair<std::string, double>> &scalars);
    const std::string &path() const { return path_; }

private:
    void writeEvent(const std::string &event);

    std::string path_;
    std::ofstream out_;
};

}  // namespace momq
