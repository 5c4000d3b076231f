#include "train/adamw.h"

#include <ATen/ops/_fused_adamw.h>
#include <c10/core/GradMode.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace momq {

void adamWStep(torch::optim::AdamW &optimizer) {
    at::NoGradGuard noGrad;
    struct Lists {
        std::vector<at::Tensor> params, grads, expAvgs, expAvgSqs, steps;
    };
    for (auto &group : optimizer.param_groups()) {
        const auto &o = static_cast<const torch::optim::AdamWOptions &>(group.options());
        TORCH_CHECK(!o.amsgrad(), "adamWStep: amsgrad is not used here");
        std::map<std::pair<std::string, int>, Lists> byType;  // the kernel takes one device and type at a time
        for (auto &p : group.params()) {
            if (!p.grad().defined()) continue;
            auto &slot = optimizer.state()[p.unsafeGetTensorImpl()];
            if (!slot) {
                auto fresh = std::make_unique<torch::optim::AdamWParamState>();
                fresh->exp_avg(at::zeros_like(p, at::MemoryFormat::Preserve));
                fresh->exp_avg_sq(at::zeros_like(p, at::MemoryFormat::Preserve));
                slot = std::move(fresh);
            }
            auto &state = static_cast<torch::optim::AdamWParamState &>(*slot);
            state.step(state.step() + 1);
            auto &lists = byType[{p.device().str(), static_cast<int>(p.scalar_type())}];
            lists.params.push_back(p);
            lists.grads.push_back(p.grad());
            lists.expAvgs.push_back(state.exp_avg());
            lists.expAvgSqs.push_back(state.exp_avg_sq());
            lists.steps.push_back(at::scalar_tensor(static_cast<double>(state.step()),
                                                    at::TensorOptions().dtype(at::kFloat).device(p.device())));
        }
        const auto [beta1, beta2] = o.betas();
        for (auto &[type, l] : byType)
            at::_fused_adamw_(l.params, l.grads, l.expAvgs, l.expAvgSqs, {}, l.steps, o.lr(), beta1, beta2,
                              o.weight_decay(), o.eps(),
                              /*amsgrad=*/false, /*maximize=*/false);
    }
}

}  // namespace momq
