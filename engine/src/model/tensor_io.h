// Engine-internal: named tensors to and from safetensors files (models, adapters, checkpoints).
#pragma once

#include "momq/safetensors.h"

#include <ATen/ATen.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace momq {

// "[2, 3]": a shape for error messages.
std::string shapeTextOf(at::IntArrayRef shape);
// A tensor as float32 bytes for the safetensors writer.
TensorBytes toTensorBytes(const std::string &name, const at::Tensor &tensor);
// Writes named tensors (float32) to a safetensors file, atomically.
void saveNamedTensors(const std::vector<std::pair<std::string, at::Tensor>> &named, const std::string &path,
                      const std::map<std::string, std::string> &metadata = {});
// Copies the file's values into the named tensors; every name must be there with its shape, and
// the file must hold nothing else.
void loadNamedTensors(const std::vector<std::pair<std::string, at::Tensor>> &named, const std::string &path);

at::ScalarType scalarTypeFromName(const std::string &name);
std::string scalarTypeName(at::ScalarType type);

}  // namespace momq
