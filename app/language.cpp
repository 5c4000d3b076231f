#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace {
QTranslator *appTranslator = nullptr;
QTranslator *qtTranslator = nullptr;
QString currentCode = QStringLiteral("en");
}  // namespace

namespace Language {

QStringList available() { return {QStringLiteral("en"), QStringLiteral("zh_CN")}; }

QString displayName(const QString &code) {
    if (code == QLatin1String("zh_CN")) return QStringLiteral("简体中文");
    return QStringLiteral("English");
}

bool apply(const QString &code) {
    if (!available().contains(code)) return false;
    // Installing or removing a translator sends LanguageChange to every widget, which
    // retranslates itself in changeEvent().
    auto *app = QCoreApplication::instance();
    for (QTranslator **t : {&appTranslator, &qtTranslator}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    if (code != QLatin1String("en")) {
        appTranslator = new QTranslator(app);
        if (!appTranslator->load(QStringLiteral(":/i18n/momq_%1.qm").arg(code))) return false;
        QCoreApplication::installTranslator(appTranslator);
        // Qt's own dialogs and buttons, when the system has Qt's translations installed.
        qtTranslator = new QTranslator(app);
        if (qtTranslator->load(QStringLiteral("qtbase_%1").arg(code),
                               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(qtTranslator);
    }
    currentCode = code;
    return true;
}

QString current() { return currentCode; }

}  // namespace Language
