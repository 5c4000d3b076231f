// Passwords for the command-line tool: from an environment variable or an owner-only file.
#include "momq/secrets.h"

#include "momq/error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace momq {

std::string readSecretFromEnvironment(const std::string &variable) {
    const char *value = std::getenv(variable.c_str());
    if (!value) throw Error("environment variable " + variable + " is not set");
    return value;
}

std::string readSecretFromFile(const std::string &path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error("password file " + path + ": " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw Error("password file " + path + ": not a regular file");
    if (st.st_uid != ::geteuid()) throw Error("password file " + path + ": owned by another user; it must be yours");
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        std::ostringstream msg;
        msg << "password file " << path << ": readable or writable by others (mode " << std::oct << (st.st_mode & 0777)
            << "); run: chmod 600 " << path;
        throw Error(msg.str());
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("password file " + path + ": cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    std::string secret = text.str();
    if (!secret.empty() && secret.back() == '\n') secret.pop_back();
    if (!secret.empty() && secret.back() == '\r') secret.pop_back();
    return secret;
}

}  // namespace momq
