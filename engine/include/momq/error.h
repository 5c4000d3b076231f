// Errors raised by the engine. Each level adds the context it knows ("importing schema from
// club.sqlite: table member: ..."), so the boundary (CLI, app facade) can show one clear message.
#pragma once

#include <stdexcept>
#include <string>

namespace momq {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Rethrows the exception in flight as the same type with `context + ": "` prepended.
[[noreturn]] void rethrowWithContext(const std::string &context);

// Input that does not follow a documented format (JSON field, file layout, option value).
class FormatError : public Error {
public:
    using Error::Error;
};

// A database server or file that could not be reached, or that refused a request.
class ConnectionError : public Error {
public:
    using Error::Error;
};

}  // namespace momq
