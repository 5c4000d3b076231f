#include "query_highlighter.h"

namespace {

QStringList keywords(momq::Dialect dialect) {
    QStringList out;
    for (const char *k : momq::dialectInfo(dialect).keywords) out << QString::fromLatin1(k);
    return out;
}

}  // namespace

QueryHighlighter::QueryHighlighter(momq::Dialect dialect, QTextDocument *document) : QSyntaxHighlighter(document) {
    QTextCharFormat keyword, literal, number, comment;
    keyword.setForeground(QColor(0x1f, 0x4e, 0xb4));
    keyword.setFontWeight(QFont::Bold);
    literal.setForeground(QColor(0xa3, 0x15, 0x15));
    number.setForeground(QColor(0x09, 0x86, 0x58));
    comment.setForeground(QColor(0x6a, 0x73, 0x7d));
    comment.setFontItalic(true);
    rules_.append({QRegularExpression(QStringLiteral("\\b(%1)\\b").arg(keywords(dialect).join(QLatin1Char('|'))),
                                      QRegularExpression::CaseInsensitiveOption),
                   keyword});
    rules_.append({QRegularExpression(QStringLiteral("\\b\\d+(\\.\\d+)?\\b")), number});
    rules_.append({QRegularExpression(QStringLiteral("'([^'\\\\]|\\\\.)*'|\"([^\"\\\\]|\\\\.)*\"")), literal});
    rules_.append({QRegularExpression(QStringLiteral("(--|//|#).*$")), comment});
}

void QueryHighlighter::highlightBlock(const QString &text) {
    for (const auto &rule : rules_) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), rule.format);
        }
    }
}
