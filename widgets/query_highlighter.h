// Syntax colouring for the query editors: keywords of SQL, Cypher or nGQL, string literals,
// numbers and comments.
#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QueryHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    enum class Language { Sql, Cypher, Ngql };
    QueryHighlighter(Language language, QTextDocument *document);
    static Language languageForDialect(const QString &dialect);  // mysql/postgresql/sqlite: Sql

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    QList<Rule> rules_;
};
