// Syntax colouring for the query editors: keywords of SQL, Cypher or nGQL, string literals,
// numbers and comments.
#pragma once

#include "momq/dialect.h"

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QueryHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    QueryHighlighter(momq::Dialect dialect, QTextDocument *document);

protected:
    void highlightBlock(const QString &text) override;

private:
    struct Rule {
        QRegularExpression pattern;
        QTextCharFormat format;
    };
    QList<Rule> rules_;
};
