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
    std::string openmpWaitPolicy;  // OMP_WAIT_POLICY as this process started, "" when unset
    std::string openmpSpinCount;   // GOMP_SPINCOUNT as this process started, "" when unset
};

ComputeInfo computeInfo();
// 0: one thread per core.
void configureCpuThreads(int threads);
// OpenMP worker threads spin a long while between parallel regions by default. A process that runs
// two torch jobs at once (the desktop app: training beside generation), or shares its cores with
// other such processes, then loses most of its time to spinning threads (measured: 25 s alone,
// 139 s beside a second job on 2 cores). Not spinning at all (OMP_WAIT_POLICY=PASSIVE) costs
// generation 1.6-3.8x, its gaps between operations being shorter than a thread's wake-up; a short
// spin (GOMP_SPINCOUNT=10000) keeps both (docs/benchmarks.md). libgomp reads these only while
// loading, so with neither set the process sets the spin count and executes itself again; returns
// only when no restart was needed or possible.
void restartWithShortThreadSpins(char **argv);
// "auto" picks CUDA when present; "cuda" without a GPU is an error saying so.
std::string resolveDevice(const std::string &requested);

// Resident memory of this process, from /proc/self/status (VmRSS, VmHWM); 0 where unavailable.
std::int64_t residentBytes();
std::int64_t peakResidentBytes();
// Starts a new peak measurement (Linux: /proc/self/clear_refs); false where unsupported.
bool resetPeakResidentBytes();

}  // namespace momq
