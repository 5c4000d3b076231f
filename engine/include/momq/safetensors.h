// A reader for the safetensors format, written against its definition: an 8-byte little-endian
// header length N, N bytes of JSON ({"name": {"dtype", "shape", "data_offsets": [begin, end]}},
// optional "__metadata__"), then the raw little-endian tensor data. Files are memory-mapped;
// nothing is copied until a caller asks. Every malformed file is a FormatError naming the file and
// the tensor, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace momq {

enum class DType { F32, F16, BF16 };
const char *dtypeName(DType dtype);  // "F32" | "F16" | "BF16"
std::size_t dtypeSize(DType dtype);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0, end = 0;  // byte range inside the data section

    std::int64_t numel() const;
};

struct SafetensorsHeader {
    std::vector<TensorInfo> tensors;  // in file order of their data
    std::map<std::string, std::string> metadata;
    std::uint64_t dataOffset = 0;  // where the data section starts in the file
};

// Parses and checks a whole file image (header and the extents it declares). `fileName` only
// labels errors. Exposed for the fuzz target.
SafetensorsHeader parseSafetensorsHeader(const std::uint8_t *bytes, std::size_t size, const std::string &fileName);

class SafetensorsFile {
public:
    static std::shared_ptr<SafetensorsFile> open(const std::string &path);
    ~SafetensorsFile();
    SafetensorsFile(const SafetensorsFile &) = delete;
    SafetensorsFile &operator=(const SafetensorsFile &) = delete;

    const std::string &path() const { return path_; }
    const std::vector<TensorInfo> &tensors() const { return header_.tensors; }
    const std::map<std::string, std::string> &metadata() const { return header_.metadata; }
    const TensorInfo *find(const std::string &name) const;
    // Raw little-endian bytes of a tensor, valid while this object lives.
    const std::uint8_t *data(const TensorInfo &tensor) const;
    // Values converted to float, e.g. for comparisons in tests.
    std::vector<float> toFloats(const TensorInfo &tensor) const;
    // Drops the tensor's pages from memory once a caller has made its own copy, so loading a
    // checkpoint never holds the file and the copies at once.
    void release(const TensorInfo &tensor) const;
    std::uint64_t fileSize() const { return size_; }

private:
    SafetensorsFile() = default;
    std::string path_;
    std::uint8_t *map_ = nullptr;
    std::uint64_t size_ = 0;
    SafetensorsHeader header_;
};

// A Hugging Face checkpoint folder: model.safetensors, or shards listed by
// model.safetensors.index.json. Each tensor name maps to the file that holds it.
class Checkpoint {
public:
    static Checkpoint open(const std::string &directory);

    struct Entry {
        std::shared_ptr<SafetensorsFile> file;
        const TensorInfo *tensor = nullptr;
    };
    const Entry *find(const std::string &name) const;
    std::vector<std::string> names() const;
    std::uint64_t totalBytes() const;
    const std::vector<std::shared_ptr<SafetensorsFile>> &files() const { return files_; }

private:
    std::vector<std::shared_ptr<SafetensorsFile>> files_;
    std::map<std::string, Entry> entries_;
};

// One tensor to write: raw little-endian bytes of `dtype` elements in `shape`.
struct TensorBytes {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::string bytes;
};
// A complete safetensors file image (header sorted by name, data in the given order).
std::string safetensorsImage(const std::vector<TensorBytes> &tensors,
                             const std::map<std::string, std::string> &metadata = {});

// "[2, 3]": a shape for error messages.
std::string shapeText(const std::vector<std::int64_t> &shape);

float halfToFloat(std::uint16_t bits);
float bfloat16ToFloat(std::uint16_t bits);

}  // namespace momq
