#include "query_highlighter.h"

namespace {

QStringList keywordsFor(QueryHighlighter::Language language) {
    const QStringList common = {"AND", "OR", "NOT", "AS", "ORDER", "BY", "LIMIT", "DESC", "ASC", "DISTINCT", "WHERE", "COUNT",
                                "SUM", "AVG", "MIN", "MAX", "IN", "IS", "NULL", "WITH", "RETURN", "CONTAINS", "STARTS"};
    switch (language) {
    case QueryHighlighter::Language::Sql:
        return common + QStringList{"SELECT", "FROM", "JOIN", "ON", "LEFT", "RIGHT", "INNER", "OUTER", "GROUP", "HAVING", "LIKE",
                                    "BETWEEN", "UNION", "CASE", "WHEN", "THEN", "ELSE", "END", "EXTRACT", "YEAR", "ROUND",
                                    "STRFTIME", "EXISTS", "OFFSET"};
    case QueryHighlighter::Language::Cypher:
        return common + QStringList{"MATCH", "OPTIONAL", "UNWIND", "CALL", "YIELD", "SKIP", "CASE", "WHEN", "THEN", "ELSE",
                                    "END", "EXISTS", "COLLECT", "ROUND", "SIZE"};
    case QueryHighlighter::Language::Ngql:
        return common + QStringList{"MATCH", "GO", "FROM", "OVER", "LOOKUP", "ON", "FETCH", "PROP", "YIELD", "GROUP", "PIPE",
                                    "REVERSELY", "BIDIRECT", "STEPS", "UPTO", "PROPERTIES", "VERTEX", "EDGE", "ID", "ROUND"};
    }
    return common;
}

} // namespace

QueryHighlighter::Language QueryHighlighter::languageForDialect(const QString &dialect) {
    if (dialect == QLatin1String("cypher")) return Language::Cypher;
    if (dialect == QLatin1String("ngql")) return Language::Ngql;
    return Language::Sql;
}

QueryHighlighter::QueryHighlighter(Language language, QTextDocument *document) : QSyntaxHighlighter(document) {
    QTextCharFormat keyword, literal, number, comment;
    keyword.setForeground(QColor(0x1f, 0x4e, 0xb4));
    keyword.setFontWeight(QFont::Bold);
    literal.setForeground(QColor(0xa3, 0x15, 0x15));
    number.setForeground(QColor(0x09, 0x86, 0x58));
    comment.setForeground(QColor(0x6a, 0x73, 0x7d));
    comment.setFontItalic(true);
    rules_.append({QRegularExpression(QStringLiteral("\\b(%1)\\b").arg(keywordsFor(language).join(QLatin1Char('|'))),
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
