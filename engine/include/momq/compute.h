// What the engine can compute on, and the CPU thread setting. libtorch starts with one intra-op
// thread on some virtual machines whatever the core count, so every entry point sets it.
#pragma once

#include <cstdint>
#include <string>

namespace momq {

struct ComputeInfo {
    std::string torchVersion;
    bool cudaAvailable = false;
    int cudaDeviceCount = 0;
    int cpuThreads = 0;
    int cpuCores = 0;
};

ComputeInfo computeInfo();
// 0: one thread per core.
void configureCpuThreads(int threads);
// "auto" picks CUDA when present; "cuda" without a GPU is an error saying so.
std::string resolveDevice(const std::string &requested);

// Resident memory of this process, from /proc/self/status (VmRSS, VmHWM); 0 where unavailable.
std::int64_t residentBytes();
std::int64_t peakResidentBytes();
// Starts a new peak measurement (Linux: /proc/self/clear_refs); false where unsupported.
bool resetPeakResidentBytes();

} // namespace momq
