#include "momq/files.h"

#include "momq/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fcntl.h>
#include <unistd.h>

namespace momq {

namespace fs = std::filesystem;

std::string readTextFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open file for reading");
    std::ostringstream text;
    text << in.rdbuf();
    std::string bytes = text.str();
    dropByteOrderMark(bytes);
    return bytes;
}

void dropByteOrderMark(std::string &text) {
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
}

void syncDirectory(const std::string &directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw Error(directory + ": cannot open folder: " + std::strerror(errno));
    ::fsync(fd);
    ::close(fd);
}

void writeFileAtomically(const std::string &path, const std::string &bytes) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(tmp + ": cannot create: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(tmp + ": write failed: " + why);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error(tmp + ": cannot flush to disk: " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        throw Error(path + ": cannot rename into place: " + std::strerror(errno));
    syncDirectory(fs::path(path).parent_path().empty() ? "." : fs::path(path).parent_path().string());
}

void replaceDirectory(const std::string &from, const std::string &to) {
    std::error_code ec;
    const std::string old = to + ".old";
    fs::remove_all(old, ec);
    if (fs::exists(to)) fs::rename(to, old);
    fs::rename(from, to);
    fs::remove_all(old, ec);
    syncDirectory(fs::path(to).parent_path().empty() ? "." : fs::path(to).parent_path().string());
}

}  // namespace momq
