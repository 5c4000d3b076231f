// Helpers shared by the tests: test data paths, file reading, and checking that a call throws a
// given exception type whose message contains the expected words.
#pragma once

#include "momq/connection.h"

#include <QString>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace test {

inline std::string dataPath(const std::string &relative) { return std::string(MOMQ_TEST_DATA_DIR) + "/" + relative; }

inline std::string readFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The non-empty lines of a file, e.g. one Cypher statement per line.
inline std::vector<std::string> nonEmptyLines(const std::string &path) {
    std::vector<std::string> out;
    std::istringstream in(readFile(path));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

inline void writeFile(const std::string &path, const std::string &content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

// Returns the exception's message so the caller can check it; fails the test when `call` does not
// throw `E`.
template <typename E, typename F> std::string messageOf(F &&call) {
    try {
        call();
    } catch (const E &e) {
        return e.what();
    } catch (const std::exception &e) {
        return std::string("<wrong exception type: ") + e.what() + ">";
    }
    return "<no exception>";
}

// Connection settings of a server the db_servers fixture started ("postgresql", "mysql",
// "falkordb"), with the fixture's password; from $MOMQ_TEST_SERVERS.
inline momq::ConnectionSettings serverSettings(const std::string &engine) {
    const char *path = std::getenv("MOMQ_TEST_SERVERS");
    if (!path) throw std::runtime_error("MOMQ_TEST_SERVERS is not set: run through ctest, which starts the servers");
    const auto all = nlohmann::json::parse(readFile(path));
    const auto &s = all.at(engine);
    momq::ConnectionSettings c;
    c.engine = momq::engineFromName(engine);
    c.host = s.at("host");
    c.port = s.at("port");
    c.user = s.value("user", std::string());
    c.database = s.value("database", std::string());
    if (engine != "falkordb") c.password = all.at("password");
    return c;
}

}  // namespace test

#define EXPECT_ERROR(ExceptionType, call, fragment)                                                                    \
    do {                                                                                                               \
        const std::string momqMessage_ = test::messageOf<ExceptionType>([&] { call; });                                \
        if (momqMessage_.find(fragment) == std::string::npos)                                                          \
            QFAIL(qPrintable(QStringLiteral("expected %1 containing \"%2\", got: %3")                                  \
                                 .arg(QStringLiteral(#ExceptionType), QString::fromUtf8(fragment),                     \
                                      QString::fromStdString(momqMessage_))));                                         \
    } while (false)
