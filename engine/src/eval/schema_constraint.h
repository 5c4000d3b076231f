// Engine-internal: schema-constrained decoding. Where a dialect's syntax names a schema object —
// a table after FROM or JOIN, a column after `table.` or `alias.` (SQL); a label after `(x:`, a
// relationship type after `[r:`, a property after `x.` (Cypher, nGQL) — only tokens that keep that
// word a prefix of one of the schema's names may come next, and the word may end only on a whole
// name. Everything else is left to the model: this is a lexical constraint on names, not a parser.
#pragma once

#include "momq/dialect.h"
#include "momq/schema.h"
#include "momq/tokenizer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace momq {

// Whether a name must be quoted to be read as one: empty, a leading digit, or a character other
// than letters, digits, '_' and non-ASCII.
bool needsQuotes(const std::string &name);

class SchemaConstraint {
public:
    SchemaConstraint(Dialect dialect, const Schema &schema, std::shared_ptr<const Tokenizer> tokenizer,
                     std::vector<int> stopTokens);
    // The tokens allowed after `generated` (the answer's tokens so far), or nullptr when the
    // answer is not inside a name the schema must supply.
    const std::vector<std::uint8_t> *allowedNext(const std::vector<int> &generated);

    // Whether `text` names only the schema's objects in the positions above (the whole answer).
    bool namesOnlySchemaObjects(const std::string &text) const;

private:
    enum class Slot { None, Table, Column, Label, RelationshipType, Property };
    struct Word {
        std::size_t begin, end;
    };
    Slot slotOf(const std::string &text, std::size_t wordBegin) const;
    // `exact`: names as the schema spells them (decoding writes them so); else case-folded where
    // the dialect folds (checking a query someone wrote).
    const std::set<std::string> &namesFor(Slot slot, const std::string &text, std::size_t wordBegin,
                                          const std::map<std::string, std::string> &aliases, bool exact) const;
    // Every name-bearing word of `text` that ends at or after `checkFrom` is a name (or, when it
    // runs to the end and the answer goes on, a prefix of one); words inside string literals (the
    // first one open from the start when `quote` is set) are not checked.
    bool acceptable(const std::string &text, std::size_t checkFrom, bool finished,
                    const std::map<std::string, std::string> &aliases, char quote, bool exact) const;
    // The string literal still open at `to` when scanning [from, to) starts in `quote` (0: none).
    char openQuote(const std::string &text, std::size_t from, std::size_t to, char quote) const;
    std::map<std::string, std::string> aliasesIn(const std::string &text) const;  // folded alias -> table
    std::string fold(const std::string &s) const;

    Dialect dialect_;
    bool caseInsensitive_;
    std::shared_ptr<const Tokenizer> tokenizer_;
    std::vector<std::string> tokenText_;  // each id's text ("" for special tokens)
    std::set<int> stops_;
    std::set<std::string> tables_, allColumns_, labels_, relationshipTypes_, properties_, labelsAndProperties_;
    std::map<std::string, std::set<std::string>> columnsOf_;  // folded table -> folded columns
    // The same as spelled in the schema: decoding may write SQL names only so, since a model unsure of
    // a name it never saw would otherwise drift into odd spellings ("vinEYaRD") that lead it astray.
    std::set<std::string> tablesExact_, allColumnsExact_;
    std::map<std::string, std::set<std::string>> columnsOfExact_;  // folded table -> columns as spelled
    std::vector<std::uint8_t> allowed_;
    // Some name needs quotes (a space, a symbol, a leading digit): only then may a quote open where a
    // name must come; otherwise a quote would let the model write any name at all.
    bool quotedNames_ = false;
};

// Values copied, not invented: inside a string literal ('…' everywhere; "…" in MySQL, Cypher and
// nGQL, where it is a string) only tokens that keep the literal's text a piece of the question,
// the evidence or one of the schema's example values (ignoring letter case, LIKE's % and
// strftime's %Y-style directives). A small model otherwise spells a value it has half-read.
class LiteralConstraint {
public:
    LiteralConstraint(Dialect dialect, const Schema &schema, const std::string &question, const std::string &evidence,
                      std::shared_ptr<const Tokenizer> tokenizer);
    // The tokens allowed after `generated`, or nullptr outside a string literal.
    const std::vector<std::uint8_t> *allowedNext(const std::vector<int> &generated);
    // Whether a literal's text so far (or whole) could be copied from the sources.
    bool fits(const std::string &literalText) const;

private:
    Dialect dialect_;
    std::shared_ptr<const Tokenizer> tokenizer_;
    std::string sources_;  // lower-cased, NUL between sources so that no piece spans two
    std::vector<std::string> tokenText_;
    std::vector<std::uint8_t> allowed_;
};

}  // namespace momq
