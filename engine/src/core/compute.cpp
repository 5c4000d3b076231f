#include "momq/compute.h"

#include "momq/error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include <unistd.h>

namespace momq {

ComputeInfo computeInfo() {
    ComputeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDeviceCount = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    info.cpuThreads = at::get_num_threads();
    info.cpuCores = static_cast<int>(std::thread::hardware_concurrency());
    if (const char *policy = std::getenv("OMP_WAIT_POLICY")) info.openmpWaitPolicy = policy;
    if (const char *spins = std::getenv("GOMP_SPINCOUNT")) info.openmpSpinCount = spins;
    return info;
}

void configureCpuThreads(int threads) {
    if (threads < 0)
        throw FormatError("threads: must be 0 (all cores) or a positive count, got " + std::to_string(threads));
    const int n = threads > 0 ? threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    at::set_num_threads(n);
}

void restartWithShortThreadSpins(char **argv) {
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT")) return;
    setenv("GOMP_SPINCOUNT", "10000", 0);
    execv("/proc/self/exe", argv);
    // Not restarted (no /proc): carry on with spinning waits, slower but correct.
}

std::string resolveDevice(const std::string &requested) {
    if (requested == "cpu") return "cpu";
    const bool cuda = torch::cuda::is_available();
    if (requested == "auto") return cuda ? "cuda" : "cpu";
    if (requested == "cuda") {
        if (!cuda) throw Error("device cuda: no CUDA GPU is available to this libtorch (use --device cpu)");
        return "cuda";
    }
    throw FormatError("device: expected auto, cpu or cuda, got \"" + requested + "\"");
}

namespace {
std::int64_t statusField(const char *field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return std::stoll(line.substr(prefix.size())) * 1024;  // kB
    return 0;
}
}  // namespace

std::int64_t residentBytes() { return statusField("VmRSS"); }
std::int64_t peakResidentBytes() { return statusField("VmHWM"); }

bool resetPeakResidentBytes() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out.flush());
}

}  // namespace momq
