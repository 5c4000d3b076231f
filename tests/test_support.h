// Helpers shared by the tests: test data paths, file reading, and checking that a call throws a
// given exception type whose message contains the expected words.
#pragma once

#include <QString>
#include <QTest>

#include <fstream>
#include <sstream>
#include <string>

namespace test {

inline std::string dataPath(const std::string &relative) { return std::string(MOMQ_TEST_DATA_DIR) + "/" + relative; }

inline std::string readFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
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

} // namespace test

#define EXPECT_ERROR(ExceptionType, call, fragment)                                                          \
    do {                                                                                                     \
        const std::string momqMessage_ = test::messageOf<ExceptionType>([&] { call; });                      \
        if (momqMessage_.find(fragment) == std::string::npos)                                                \
            QFAIL(qPrintable(QStringLiteral("expected %1 containing \"%2\", got: %3")                        \
                                 .arg(QStringLiteral(#ExceptionType), QString::fromUtf8(fragment),           \
                                      QString::fromStdString(momqMessage_))));                               \
    } while (false)
