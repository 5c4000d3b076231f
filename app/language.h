// The interface language: English (the source strings) or Simplified Chinese, switchable while
// the program runs; the choice is kept in QSettings ("language").
#pragma once

#include <QString>
#include <QStringList>

namespace Language {
QStringList available();                   // {"en", "zh_CN"}
QString displayName(const QString &code);  // in its own language: "English", "简体中文"
// Installs the translators for `code` (ours and Qt's own); false for an unknown code.
bool apply(const QString &code);
QString current();
}  // namespace Language
