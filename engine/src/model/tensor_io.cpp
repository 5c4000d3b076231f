// Named tensors to and from safetensors files: what models, adapters and checkpoints share.
#include "model/tensor_io.h"

#include "momq/error.h"
#include "momq/files.h"

#include <ATen/core/grad_mode.h>

namespace momq {

std::string shapeTextOf(at::IntArrayRef shape) { return shapeText(shape.vec()); }

at::ScalarType scalarTypeFromName(const std::string &name) {
    if (name == "f32") return at::kFloat;
    if (name == "bf16") return at::kBFloat16;
    if (name == "f16") return at::kHalf;
    throw FormatError("dtype: expected auto, f32, bf16 or f16, got \"" + name + "\"");
}

std::string scalarTypeName(at::ScalarType type) {
    return type == at::kBFloat16 ? "bf16" : type == at::kHalf ? "f16" : "f32";
}

TensorBytes toTensorBytes(const std::string &name, const at::Tensor &tensor) {
    const auto cpu = tensor.detach().to(at::kCPU, at::kFloat).contiguous();
    return {name, DType::F32, cpu.sizes().vec(),
            std::string(static_cast<const char *>(cpu.data_ptr()), static_cast<std::size_t>(cpu.nbytes()))};
}

void saveNamedTensors(const std::vector<std::pair<std::string, at::Tensor>> &named, const std::string &path,
                      const std::map<std::string, std::string> &metadata) {
    std::vector<TensorBytes> tensors;
    for (const auto &[name, t] : named) tensors.push_back(toTensorBytes(name, t));
    writeFileAtomically(path, safetensorsImage(tensors, metadata));
}

void loadNamedTensors(const std::vector<std::pair<std::string, at::Tensor>> &named, const std::string &path) {
    const auto file = SafetensorsFile::open(path);
    at::NoGradGuard noGrad;
    for (const auto &[name, t] : named) {
        const auto *info = file->find(name);
        if (!info) throw FormatError(path + ": tensor " + name + " is missing");
        if (info->shape != t.sizes().vec())
            throw FormatError(path + ": tensor " + name + " has shape " + shapeTextOf(info->shape) + ", expected " +
                              shapeTextOf(t.sizes()));
        const auto values = file->toFloats(*info);
        const_cast<at::Tensor &>(t).copy_(at::from_blob(const_cast<float *>(values.data()), info->shape, at::kFloat));
    }
    if (file->tensors().size() != named.size())
        throw FormatError(path + ": holds tensors this configuration does not have");
}

}  // namespace momq
