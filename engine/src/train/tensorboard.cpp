#include "train/tensorboard.h"

#include "momq/error.h"

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace momq {

namespace {

constexpr std::array<std::uint32_t, 256> crcTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = c & 1 ? 0x82F63B78u ^ (c >> 1) : c >> 1;  // reflected Castagnoli polynomial
        table[i] = c;
    }
    return table;
}

std::uint32_t maskedCrc(const std::string &bytes) {
    const std::uint32_t crc = crc32c(bytes.data(), bytes.size());
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

// Protocol-buffer wire format, the few pieces an Event needs.
void varint(std::string &out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}
template <typename T> void fixed(std::string &out, T v) {
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));  // little-endian hosts only, as the engine assumes throughout
    out.append(bytes, sizeof(T));
}
void lengthDelimited(std::string &out, int field, const std::string &bytes) {
    varint(out, static_cast<std::uint64_t>(field) << 3 | 2);
    varint(out, bytes.size());
    out += bytes;
}
// Event fields: wall_time (1, double), step (2, int64), file_version (3) or summary (5).
std::string eventHeader(std::int64_t step) {
    std::string e;
    varint(e, 1 << 3 | 1);
    fixed(e, std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
    varint(e, 2 << 3 | 0);
    varint(e, static_cast<std::uint64_t>(step));
    return e;
}

std::string littleEndian32(std::uint32_t v) {
    std::string s;
    fixed(s, v);
    return s;
}

}  // namespace

std::uint32_t crc32c(const void *data, std::size_t size) {
    static constexpr auto table = crcTable();
    std::uint32_t c = 0xFFFFFFFFu;
    const auto *p = static_cast<const unsigned char *>(data);
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

TensorBoardWriter::TensorBoardWriter(const std::string &directory) {
    std::filesystem::create_directories(directory);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    path_ = directory + "/events.out.tfevents." + std::to_string(seconds) + ".momq";
    out_.open(path_, std::ios::binary | std::ios::app);
    if (!out_) throw Error(path_ + ": cannot open file for writing");
    std::string e = eventHeader(0);
    lengthDelimited(e, 3, "brain.Event:2");
    writeEvent(e);
}

void TensorBoardWriter::addScalars(std::int64_t step, const std::vector<std::pair<std::string, double>> &scalars) {
    std::string summary;
    for (const auto &[tag, value] : scalars) {
        std::string v;  // Summary.Value: tag (1), simple_value (2, float)
        lengthDelimited(v, 1, tag);
        varint(v, 2 << 3 | 5);
        fixed(v, static_cast<float>(value));
        lengthDelimited(summary, 1, v);
    }
    std::string e = eventHeader(step);
    lengthDelimited(e, 5, summary);
    writeEvent(e);
}

void TensorBoardWriter::writeEvent(const std::string &event) {
    std::string length;
    fixed(length, static_cast<std::uint64_t>(event.size()));
    out_ << length << littleEndian32(maskedCrc(length)) << event << littleEndian32(maskedCrc(event));
    out_.flush();  // TensorBoard reads while the run goes on
    if (!out_) throw Error(path_ + ": cannot write");
}

}  // namespace momq
