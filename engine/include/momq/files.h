// Files that appear complete or not at all: written under a temporary name, flushed to disk,
// then renamed over the target, and the folder synced so the rename survives a crash.
#pragma once

#include <string>

namespace momq {

void writeFileAtomically(const std::string &path, const std::string &bytes);
// The whole file, without a leading UTF-8 byte order mark; Error "PATH: cannot open file for
// reading" when it cannot be read.
std::string readTextFile(const std::string &path);
// Drops a UTF-8 byte order mark from the start of `text` (editors on Windows write one; it is not
// part of the text). For readers that go line by line.
void dropByteOrderMark(std::string &text);
// Makes a renamed or created entry of `directory` durable.
void syncDirectory(const std::string &directory);
// Renames a whole folder into place, replacing an older one of the same name. Two renames: a
// crash between them leaves the older version at TO.old and no TO.
void replaceDirectory(const std::string &from, const std::string &to);

}  // namespace momq
