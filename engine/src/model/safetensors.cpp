#include "momq/safetensors.h"

#include "core/json_document.h"
#include "momq/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string_view>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace momq {

namespace fs = std::filesystem;
using nlohmann::json;

const char *dtypeName(DType dtype) {
    switch (dtype) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    }
    return "?";
}

std::size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

std::int64_t TensorInfo::numel() const {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string shapeText(const std::vector<std::int64_t> &shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1f;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);  // inf, nan
    } else if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exponent = 127 - 15 + 1;
            while (!(mantissa & 0x400u)) {
                mantissa <<= 1;
                --exponent;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
        }
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bfloat16ToFloat(std::uint16_t b) {
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

// ---- header ------------------------------------------------------------------------------------

namespace {

DType parseDType(const std::string &name, const std::string &where) {
    if (name == "F32") return DType::F32;
    if (name == "F16") return DType::F16;
    if (name == "BF16") return DType::BF16;
    throw FormatError(where + ": dtype " + shortQuoted(name) + " is not supported (expected F32, F16 or BF16)");
}

std::uint64_t readU64(const json &j, const std::string &where) {
    if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<std::int64_t>() >= 0))
        throw FormatError(where + ": expected a non-negative integer, found " + describeJson(j));
    return j.get<std::uint64_t>();
}

}  // namespace

SafetensorsHeader parseSafetensorsHeader(const std::uint8_t *bytes, std::size_t size, const std::string &file) {
    if (size < 8)
        throw FormatError(file + ": truncated: " + std::to_string(size) +
                          " bytes, shorter than the 8-byte header length");
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | bytes[i];
    if (headerLength > size - 8)
        throw FormatError(file + ": truncated or corrupt: header length " + std::to_string(headerLength) +
                          " exceeds the " + std::to_string(size - 8) + " bytes after it");
    const json header =
        parseJsonInput(std::string_view(reinterpret_cast<const char *>(bytes + 8), headerLength), file + ": header");
    if (!header.is_object()) throw FormatError(file + ": header is not a JSON object");

    SafetensorsHeader out;
    out.dataOffset = 8 + headerLength;
    const std::uint64_t dataSize = size - out.dataOffset;
    for (const auto &[name, value] : header.items()) {
        const std::string where = file + ": tensor " + shortQuoted(name);
        if (name == "__metadata__") {
            if (!value.is_object()) throw FormatError(file + ": __metadata__ is not an object");
            for (const auto &[k, v] : value.items()) {
                if (!v.is_string()) throw FormatError(file + ": __metadata__." + shortQuoted(k) + " is not a string");
                out.metadata[k] = v.get<std::string>();
            }
            continue;
        }
        if (!value.is_object()) throw FormatError(where + ": entry is not an object");
        for (const char *key : {"dtype", "shape", "data_offsets"})
            if (!value.contains(key)) throw FormatError(where + ": missing \"" + key + "\"");
        if (!value["dtype"].is_string()) throw FormatError(where + ": dtype is not a string");
        TensorInfo t;
        t.name = name;
        t.dtype = parseDType(value["dtype"].get<std::string>(), where);
        if (!value["shape"].is_array()) throw FormatError(where + ": shape is not an array");
        if (value["shape"].size() > 16)
            throw FormatError(where + ": shape has " + std::to_string(value["shape"].size()) +
                              " dimensions, more than 16");
        std::uint64_t numel = 1;
        for (const auto &d : value["shape"]) {
            const std::uint64_t dim = readU64(d, where + ": shape");
            if (dim > (std::uint64_t{1} << 40) || (dim && numel > std::numeric_limits<std::uint64_t>::max() / dim / 4))
                throw FormatError(where + ": shape dimension " + std::to_string(dim) + " makes the tensor too large");
            numel *= dim;
            t.shape.push_back(static_cast<std::int64_t>(dim));
        }
        const auto &offsets = value["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2) throw FormatError(where + ": data_offsets is not [begin, end]");
        t.begin = readU64(offsets[0], where + ": data_offsets");
        t.end = readU64(offsets[1], where + ": data_offsets");
        if (t.begin > t.end) throw FormatError(where + ": data_offsets begin > end");
        if (t.end > dataSize)
            throw FormatError(where + ": truncated: data ends at byte " + std::to_string(t.end) +
                              " of the data section but the file holds only " + std::to_string(dataSize));
        if (t.end - t.begin != numel * dtypeSize(t.dtype))
            throw FormatError(where + ": shape " + shapeText(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
                              std::to_string(numel * dtypeSize(t.dtype)) + " bytes, data_offsets give " +
                              std::to_string(t.end - t.begin));
        out.tensors.push_back(std::move(t));
    }
    std::sort(out.tensors.begin(), out.tensors.end(),
              [](const TensorInfo &a, const TensorInfo &b) { return a.begin < b.begin; });
    for (std::size_t i = 1; i < out.tensors.size(); ++i)
        if (out.tensors[i].begin < out.tensors[i - 1].end)
            throw FormatError(file + ": tensors " + out.tensors[i - 1].name + " and " + out.tensors[i].name +
                              " overlap");
    return out;
}

std::string safetensorsImage(const std::vector<TensorBytes> &tensors,
                             const std::map<std::string, std::string> &metadata) {
    json header = json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::string data;
    for (const auto &t : tensors) {
        std::uint64_t numel = 1;
        for (auto d : t.shape) numel *= static_cast<std::uint64_t>(d);
        if (numel * dtypeSize(t.dtype) != t.bytes.size())
            throw Error("safetensors: tensor " + t.name + ": " + std::to_string(t.bytes.size()) +
                        " bytes do not fit its shape");
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {data.size(), data.size() + t.bytes.size()}}};
        data += t.bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // keep the data section 8-byte aligned
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<std::uint64_t>(text.size()) >> (8 * i)) & 0xff);
    return out + text + data;
}

// ---- files -------------------------------------------------------------------------------------

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string &path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    std::shared_ptr<SafetensorsFile> file(new SafetensorsFile);
    file->path_ = path;
    file->size_ = static_cast<std::uint64_t>(st.st_size);
    if (file->size_ > 0) {
        // Private and writable: the tensors made over it can never write through to the file,
        // and an accidental in-place write copies a page instead of faulting.
        void *p = ::mmap(nullptr, file->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            throw Error(path + ": cannot map: " + std::strerror(errno));
        }
        file->map_ = static_cast<std::uint8_t *>(p);
    }
    ::close(fd);
    file->header_ = parseSafetensorsHeader(file->map_, file->size_, path);
    return file;
}

SafetensorsFile::~SafetensorsFile() {
    if (map_) ::munmap(map_, size_);
}

const TensorInfo *SafetensorsFile::find(const std::string &name) const {
    for (const auto &t : header_.tensors)
        if (t.name == name) return &t;
    return nullptr;
}

const std::uint8_t *SafetensorsFile::data(const TensorInfo &t) const { return map_ + header_.dataOffset + t.begin; }

std::vector<float> SafetensorsFile::toFloats(const TensorInfo &t) const {
    std::vector<float> out(static_cast<std::size_t>(t.numel()));
    const std::uint8_t *p = data(t);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (t.dtype == DType::F32) {
            std::memcpy(&out[i], p + 4 * i, 4);
        } else {
            std::uint16_t bits;
            std::memcpy(&bits, p + 2 * i, 2);
            out[i] = t.dtype == DType::F16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
        }
    }
    return out;
}

void SafetensorsFile::release(const TensorInfo &t) const {
    static const std::uintptr_t page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    auto first = reinterpret_cast<std::uintptr_t>(data(t));
    auto last = first + (t.end - t.begin);
    first = (first + page - 1) / page * page;
    last = last / page * page;
    if (last > first) ::madvise(reinterpret_cast<void *>(first), last - first, MADV_DONTNEED);
}

// ---- checkpoints -------------------------------------------------------------------------------

Checkpoint Checkpoint::open(const std::string &directory) {
    Checkpoint ckpt;
    const fs::path dir(directory);
    const fs::path single = dir / "model.safetensors";
    const fs::path index = dir / "model.safetensors.index.json";
    std::vector<std::string> shardNames;
    std::map<std::string, std::string> expected;  // tensor -> shard, from the index
    if (fs::exists(index)) {
        std::ifstream in(index);
        if (!in) throw Error(index.string() + ": cannot open file for reading");
        const json j = parseJsonInput(in, index.string());
        if (!j.contains("weight_map") || !j["weight_map"].is_object())
            throw FormatError(index.string() + ": weight_map: missing or not an object");
        std::set<std::string> shards;
        for (const auto &[tensor, shard] : j["weight_map"].items()) {
            if (!shard.is_string())
                throw FormatError(index.string() + ": weight_map." + shortQuoted(tensor) + ": not a string");
            expected[tensor] = shard.get<std::string>();
            shards.insert(shard.get<std::string>());
        }
        shardNames.assign(shards.begin(), shards.end());
    } else if (fs::exists(single)) {
        shardNames.push_back("model.safetensors");
    } else {
        throw Error(directory + ": no model.safetensors or model.safetensors.index.json");
    }
    for (const auto &name : shardNames) {
        if (name.find('/') != std::string::npos)
            throw FormatError(index.string() + ": shard name " + name + " leaves the folder");
        auto file = SafetensorsFile::open((dir / name).string());
        for (const auto &t : file->tensors()) {
            if (!expected.empty()) {
                auto it = expected.find(t.name);
                if (it == expected.end() || it->second != name)
                    throw FormatError(file->path() + ": tensor " + t.name + " is not listed for this shard in " +
                                      index.string());
            }
            if (!ckpt.entries_.emplace(t.name, Entry{file, &t}).second)
                throw FormatError(file->path() + ": tensor " + t.name + " appears in two shards");
        }
        ckpt.files_.push_back(std::move(file));
    }
    for (const auto &[tensor, shard] : expected)
        if (!ckpt.entries_.count(tensor))
            throw FormatError(index.string() + ": tensor " + tensor + " is listed for " + shard + " but missing there");
    return ckpt;
}

const Checkpoint::Entry *Checkpoint::find(const std::string &name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
}

std::vector<std::string> Checkpoint::names() const {
    std::vector<std::string> out;
    for (const auto &[name, entry] : entries_) out.push_back(name);
    return out;
}

std::uint64_t Checkpoint::totalBytes() const {
    std::uint64_t n = 0;
    for (const auto &f : files_) n += f->fileSize();
    return n;
}

}  // namespace momq
