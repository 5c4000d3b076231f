// Engine-internal: mixed precision the way torch.autocast does it. Inside the scope, matrix
// products run in the low-precision type while float32 master weights stay as they are; the
// previous setting comes back at the end of the scope.
#pragma once

#include <ATen/autocast_mode.h>

namespace momq {

class AutocastScope {
public:
    AutocastScope(at::DeviceType device, bool enabled, at::ScalarType dtype = at::kBFloat16)
        : device_(device), wasEnabled_(at::autocast::is_autocast_enabled(device)),
          previousType_(at::autocast::get_autocast_dtype(device)) {
        at::autocast::set_autocast_enabled(device, enabled);
        at::autocast::set_autocast_dtype(device, dtype);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();  // casted weights of this scope
        at::autocast::set_autocast_enabled(device_, wasEnabled_);
        at::autocast::set_autocast_dtype(device_, previousType_);
    }
    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

private:
    at::DeviceType device_;
    bool wasEnabled_;
    at::ScalarType previousType_;
};

}  // namespace momq
