#include "eval/schema_constraint.h"

#include <algorithm>
#include <cctype>

namespace momq {

namespace {

bool isWordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// Name checks look this far back: enough for "FROM `name` AS x, alias.", short enough per token.
constexpr std::size_t kTail = 96;

}  // namespace

bool needsQuotes(const std::string &name) {
    return name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ||
           !std::all_of(name.begin(), name.end(), isWordChar);
}

SchemaConstraint::SchemaConstraint(Dialect dialect, const Schema &schema, std::shared_ptr<const Tokenizer> tokenizer,
                                   std::vector<int> stopTokens)
    : dialect_(dialect), caseInsensitive_(!dialectInfo(dialect).graph), tokenizer_(std::move(tokenizer)),
      stops_(stopTokens.begin(), stopTokens.end()) {
    for (const auto &t : schema.tables) {
        tables_.insert(fold(t.name));
        tablesExact_.insert(t.name);
        auto &columns = columnsOf_[fold(t.name)];
        auto &exactColumns = columnsOfExact_[fold(t.name)];
        for (const auto &c : t.columns) {
            columns.insert(fold(c.name));
            allColumns_.insert(fold(c.name));
            exactColumns.insert(c.name);
            allColumnsExact_.insert(c.name);
        }
    }
    for (const auto &n : schema.nodes) {
        labels_.insert(n.label);
        for (const auto &p : n.properties) properties_.insert(p.name);
    }
    for (const auto &r : schema.relationships) {
        relationshipTypes_.insert(r.type);
        for (const auto &p : r.properties) properties_.insert(p.name);
    }
    labelsAndProperties_ = labels_;
    labelsAndProperties_.insert(properties_.begin(), properties_.end());
    for (const auto *names : {&tables_, &allColumns_, &labels_, &relationshipTypes_, &properties_})
        quotedNames_ = quotedNames_ || std::any_of(names->begin(), names->end(), needsQuotes);
    const int vocab = tokenizer_->vocabSize();
    tokenText_.resize(static_cast<std::size_t>(vocab));
    for (int id = 0; id < vocab; ++id) {
        try {
            tokenText_[id] = tokenizer_->decode({id}, true);
        } catch (const std::exception &) {  // a hole in the vocabulary: never allowed in a name
            tokenText_[id] = "\x01";
        }
    }
    allowed_.assign(static_cast<std::size_t>(vocab), 1);
}

std::string SchemaConstraint::fold(const std::string &s) const {
    if (!caseInsensitive_) return s;
    std::string out = s;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

SchemaConstraint::Slot SchemaConstraint::slotOf(const std::string &text, std::size_t wordBegin) const {
    std::size_t i = wordBegin;
    const bool graph = dialectInfo(dialect_).graph;
    if (!graph && i > 0 && (text[i - 1] == '"' || text[i - 1] == '`')) --i;        // a quoted name
    if (graph && i >= 3 && text.compare(i - 3, 3, "$-.") == 0) return Slot::None;  // nGQL's piped column
    if (i > 0 && text[i - 1] == '.') {
        std::size_t q = i - 1;  // the word before the dot: digits make it a number (13.42), not a name
        while (q > 0 && isWordChar(text[q - 1])) --q;
        if (q == i - 1 ||
            std::all_of(text.begin() + q, text.begin() + (i - 1), [](unsigned char c) { return std::isdigit(c); }))
            return Slot::None;  // no word before the dot (".5"), or digits (13.42): a number
        return graph ? Slot::Property : Slot::Column;
    }
    if (graph && i > 0 && text[i - 1] == ':') {
        int depth = 0;  // the innermost bracket still open before the colon
        for (std::size_t k = i - 1; k-- > 0;) {
            const char c = text[k];
            if (c == ')' || c == ']' || c == '}')
                ++depth;
            else if (c == '(' || c == '[' || c == '{') {
                if (depth > 0)
                    --depth;
                else
                    return c == '(' ? Slot::Label : c == '[' ? Slot::RelationshipType : Slot::None;
            }
        }
        return Slot::None;
    }
    if (graph) return Slot::None;
    while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) --i;
    std::size_t start = i;
    while (start > 0 && isWordChar(text[start - 1])) --start;
    if (start == i || i == wordBegin) return Slot::None;  // no keyword before, or no space after it
    const std::string keyword = fold(text.substr(start, i - start));
    if (keyword == "join") return Slot::Table;
    if (keyword != "from") return Slot::None;
    // FROM inside EXTRACT(… FROM x), SUBSTRING(x FROM 2), TRIM(… FROM x) takes a value, not a table.
    int depth = 0;
    for (std::size_t k = start; k-- > 0;) {
        if (text[k] == ')') {
            ++depth;
        } else if (text[k] == '(' && depth-- == 0) {
            std::size_t e = k;
            while (e > 0 && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
            std::size_t b = e;
            while (b > 0 && isWordChar(text[b - 1])) --b;
            const std::string fn = fold(text.substr(b, e - b));
            return fn == "extract" || fn == "substring" || fn == "trim" || fn == "overlay" ? Slot::None : Slot::Table;
        }
    }
    return Slot::Table;
}

std::map<std::string, std::string> SchemaConstraint::aliasesIn(const std::string &text) const {
    std::map<std::string, std::string> out;
    if (dialectInfo(dialect_).graph) {  // variables bound so far: `(x`, `[x`, `AS x`, `x = (`
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (!isWordChar(text[i]) || (i > 0 && isWordChar(text[i - 1]))) continue;
            std::size_t e = i;
            while (e < text.size() && isWordChar(text[e])) ++e;
            std::size_t before = i, after = e;
            while (before > 0 && text[before - 1] == ' ') --before;
            while (after < text.size() && text[after] == ' ') ++after;
            // a pattern's `(x` or `[x`, not a function's argument `count(x`
            const bool opens = before > 0 && (text[before - 1] == '(' || text[before - 1] == '[') &&
                               (before < 2 || !isWordChar(text[before - 2]));
            const bool named = before >= 2 && fold(text.substr(before - 2, 2)) == "as" &&
                               (before == 2 || !isWordChar(text[before - 3])) && before < i;
            const bool path = after + 1 < text.size() && text[after] == '=' && text[after + 1] != '=';
            if (opens || named || path) out[text.substr(i, e - i)] = "";
            i = e;
        }
        return out;
    }
    std::vector<std::string> words;
    for (std::size_t i = 0; i < text.size();) {
        if (!isWordChar(text[i])) {
            ++i;
            continue;
        }
        std::size_t e = i;
        while (e < text.size() && isWordChar(text[e])) ++e;
        words.push_back(fold(text.substr(i, e - i)));
        i = e;
    }
    for (std::size_t k = 0; k + 2 < words.size(); ++k)
        if ((words[k] == "from" || words[k] == "join") && tables_.count(words[k + 1])) {
            const std::size_t alias = words[k + 2] == "as" ? k + 3 : k + 2;
            if (alias < words.size()) out[words[alias]] = words[k + 1];
        }
    return out;
}

const std::set<std::string> &SchemaConstraint::namesFor(Slot slot, const std::string &text, std::size_t wordBegin,
                                                        const std::map<std::string, std::string> &aliases,
                                                        bool exact) const {
    static const std::set<std::string> none;
    switch (slot) {
    case Slot::Table: return exact ? tablesExact_ : tables_;
    case Slot::Label: return labels_;
    case Slot::RelationshipType: return relationshipTypes_;
    case Slot::Property: return dialect_ == Dialect::Ngql ? labelsAndProperties_ : properties_;
    case Slot::Column: {
        std::size_t end = wordBegin;
        if (end > 0 && (text[end - 1] == '"' || text[end - 1] == '`')) --end;
        --end;  // the dot
        if (end > 0 && (text[end - 1] == '"' || text[end - 1] == '`')) --end;
        std::size_t start = end;
        while (start > 0 && isWordChar(text[start - 1])) --start;
        std::string qualifier = fold(text.substr(start, end - start));
        if (const auto a = aliases.find(qualifier); a != aliases.end()) qualifier = a->second;
        const auto &byTable = exact ? columnsOfExact_ : columnsOf_;
        const auto columns = byTable.find(qualifier);
        return columns != byTable.end() ? columns->second : exact ? allColumnsExact_ : allColumns_;
    }
    case Slot::None: break;
    }
    return none;
}

char SchemaConstraint::openQuote(const std::string &text, std::size_t from, std::size_t to, char quote) const {
    const bool graph = dialectInfo(dialect_).graph;  // SQL's double quotes name things; graph ones are strings
    for (std::size_t i = from; i < to; ++i) {
        const char c = text[i];
        if (quote) {
            if (graph && c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;  // a doubled quote closes and reopens: the same state after both
        } else if (c == '\'' || (graph && c == '"')) {
            quote = c;
        }
    }
    return quote;
}

bool SchemaConstraint::acceptable(const std::string &text, std::size_t checkFrom, bool finished,
                                  const std::map<std::string, std::string> &aliases, char quote, bool exact) const {
    if (finished) {  // the answer may not end where a name must come
        std::size_t end = text.size();
        while (end > 0 && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
        if (end > 1 && text[end - 1] == '.' && isWordChar(text[end - 2])) return false;
        if (dialectInfo(dialect_).graph && end > 0 && text[end - 1] == ':' &&
            slotOf(text.substr(0, end) + "x", end) != Slot::None)
            return false;
        if (!dialectInfo(dialect_).graph && end >= 4) {
            const std::string last = fold(text.substr(end - 4, 4));
            if ((last == "from" || last == "join") && (end == 4 || !isWordChar(text[end - 5]))) return false;
        }
    }
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (quote || c == '\'' || (dialectInfo(dialect_).graph && c == '"')) {  // literals hold no names
            const char open = quote ? quote : c;
            std::size_t k = quote ? i : i + 1;
            quote = 0;
            for (; k < text.size(); ++k) {
                if (dialectInfo(dialect_).graph && text[k] == '\\')
                    ++k;
                else if (text[k] == open)
                    break;
            }
            i = k + 1;
            continue;
        }
        if (!isWordChar(c)) {
            // A name must follow where the syntax opens one: after `x.`, and in a graph dialect
            // after the colon of `(n:` or `[r:`.
            const bool graph = dialectInfo(dialect_).graph;
            // In a graph dialect `x.` needs x bound before (a pattern's variable, `AS x`) or a label
            // or type (nGQL's `tag.prop`): the grammar cannot see scope, and engines refuse the rest.
            if (graph && c == '.' && i >= checkFrom && i > 0 && isWordChar(text[i - 1])) {
                std::size_t b = i;
                while (b > 0 && isWordChar(text[b - 1])) --b;
                const std::string word = text.substr(b, i - b);
                const bool chained = b > 0 && (text[b - 1] == '.' || text[b - 1] == '$');
                if (!chained && !std::isdigit(static_cast<unsigned char>(word[0])) && !aliases.count(word) &&
                    !labels_.count(word) && !relationshipTypes_.count(word))
                    return false;
            }
            if (i + 1 < text.size() && i + 1 >= checkFrom && i > 0 && isWordChar(text[i - 1])) {
                const char next = text[i + 1];
                const bool startsName = std::isalpha(static_cast<unsigned char>(next)) || next == '_' ||
                                        static_cast<unsigned char>(next) >= 0x80;
                if (c == '.' && !std::isdigit(static_cast<unsigned char>(text[i - 1])) && !startsName &&
                    !(!graph && (next == '*' || (quotedNames_ && (next == '"' || next == '`')))))
                    return false;
            }
            if (graph && c == ':' && i + 1 < text.size() && i + 1 >= checkFrom &&
                !(std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_' ||
                  (quotedNames_ && text[i + 1] == '`')) &&
                slotOf(text + "x", i + 1) != Slot::None)
                return false;
            ++i;
            continue;
        }
        std::size_t e = i;
        while (e < text.size() && isWordChar(text[e])) ++e;
        // no name glued onto the keyword ("FROMauthor" would dodge the table check)
        if (!dialectInfo(dialect_).graph && e >= checkFrom && e - i > 4 &&
            (text.compare(i, 4, "FROM") == 0 || text.compare(i, 4, "JOIN") == 0))
            return false;
        if (!dialectInfo(dialect_).graph && e < text.size()) {  // after FROM or JOIN comes a table, or a subquery
            const std::string word = fold(text.substr(i, e - i));
            if (word == "from" || word == "join") {
                std::size_t j = e;
                while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
                if (j < text.size() && j >= checkFrom && !isWordChar(text[j]) && text[j] != '(' &&
                    !(quotedNames_ && (text[j] == '"' || text[j] == '`')))
                    return false;
            }
        }
        const Slot slot =
            e < checkFrom || std::isdigit(static_cast<unsigned char>(text[i])) ? Slot::None : slotOf(text, i);
        if (slot == Slot::None && e >= checkFrom && std::isdigit(static_cast<unsigned char>(text[i])) &&
            slotOf(text, i) != Slot::None)
            return false;  // a name does not start with a digit
        if (slot != Slot::None) {
            const auto &names = namesFor(slot, text, i, aliases, exact);
            const std::string word = exact ? text.substr(i, e - i) : fold(text.substr(i, e - i));
            if (e == text.size() && !finished) {
                if (std::none_of(names.begin(), names.end(),
                                 [&](const std::string &n) { return n.rfind(word, 0) == 0; }))
                    return false;
            } else if (!names.count(word)) {
                return false;
            }
        }
        i = e;
    }
    return true;
}

const std::vector<std::uint8_t> *SchemaConstraint::allowedNext(const std::vector<int> &generated) {
    const std::string text = tokenizer_->decode(generated, true);
    const auto aliases = aliasesIn(text);
    const std::size_t cut = text.size() > kTail ? text.size() - kTail : 0;
    const std::string tail = text.substr(cut);
    const char quote = openQuote(text, 0, cut, 0);  // a literal the tail starts inside
    bool constrained = false;
    std::string candidate;
    for (std::size_t id = 0; id < tokenText_.size(); ++id) {
        const std::string &piece = tokenText_[id];
        bool ok;
        if (stops_.count(static_cast<int>(id)))
            ok = acceptable(tail, tail.size(), true, aliases, quote, true);
        else if (piece.empty())
            ok = false;  // other special tokens: never part of a query
        else if (piece == "\x01")
            ok = false;
        else {
            candidate.assign(tail).append(piece);
            ok = acceptable(candidate, tail.size(), false, aliases, quote, true);
        }
        allowed_[id] = ok ? 1 : 0;
        constrained = constrained || (!ok && !piece.empty());  // special tokens alone do not call for a mask
    }
    return constrained ? &allowed_ : nullptr;
}

bool SchemaConstraint::namesOnlySchemaObjects(const std::string &text) const {
    return acceptable(text, 0, true, aliasesIn(text), 0, false);
}

LiteralConstraint::LiteralConstraint(Dialect dialect, const Schema &schema, const std::string &question,
                                     const std::string &evidence, std::shared_ptr<const Tokenizer> tokenizer)
    : dialect_(dialect), tokenizer_(std::move(tokenizer)) {
    std::vector<std::string> sources = {question, evidence};
    for (const auto &t : schema.tables)
        for (const auto &c : t.columns) sources.insert(sources.end(), c.examples.begin(), c.examples.end());
    for (const auto &n : schema.nodes)
        for (const auto &p : n.properties) sources.insert(sources.end(), p.examples.begin(), p.examples.end());
    for (const auto &r : schema.relationships)
        for (const auto &p : r.properties) sources.insert(sources.end(), p.examples.begin(), p.examples.end());
    for (const auto &source : sources) {
        for (const char c : source) sources_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        sources_ += '\0';
    }
    const int vocab = tokenizer_->vocabSize();
    tokenText_.resize(static_cast<std::size_t>(vocab));
    for (int id = 0; id < vocab; ++id) {
        if (tokenizer_->isSpecial(id)) continue;
        try {
            tokenText_[static_cast<std::size_t>(id)] = tokenizer_->decode({id}, true);
        } catch (const std::exception &) {  // a hole in the vocabulary: left empty, never allowed
        }
    }
    allowed_.assign(static_cast<std::size_t>(vocab), 0);
}

bool LiteralConstraint::fits(const std::string &literalText) const {
    std::string core;
    for (std::size_t i = 0; i < literalText.size(); ++i) {
        const char c = literalText[i];
        if (c == '%') {  // a wildcard, or a directive such as %Y
            if (i + 1 < literalText.size() && std::isalpha(static_cast<unsigned char>(literalText[i + 1]))) ++i;
            continue;
        }
        core += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (std::none_of(core.begin(), core.end(), [](unsigned char c) { return std::isalnum(c) || c >= 0x80; }))
        return true;  // punctuation alone (a separator in a format) is nobody's value
    return sources_.find(core) != std::string::npos;
}

const std::vector<std::uint8_t> *LiteralConstraint::allowedNext(const std::vector<int> &generated) {
    // The literal open at the end, if any: its quote and where its text starts. A doubled quote
    // inside stays text ("O''Brien"); graph dialects escape with a backslash.
    const bool graph = dialectInfo(dialect_).graph;
    const bool doubleQuotedStrings = graph || dialect_ == Dialect::MySQL;
    const std::string text = tokenizer_->decode(generated, true);
    char quote = 0;
    std::string literal;  // its text so far, escapes resolved
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (!quote) {
            if (c == '\'' || (doubleQuotedStrings && c == '"')) {
                quote = c;
                literal.clear();
            } else if (c == '`' || (!doubleQuotedStrings && c == '"')) {  // a quoted name: skip it whole
                const auto close = text.find(c, i + 1);
                if (close == std::string::npos) return nullptr;
                i = close;
            }
        } else if (graph && c == '\\' && i + 1 < text.size()) {
            literal += text[++i];
        } else if (c == quote) {
            if (!graph && i + 1 < text.size() && text[i + 1] == quote) {
                literal += c;
                ++i;
            } else {
                quote = 0;
            }
        } else {
            literal += c;
        }
    }
    if (!quote) return nullptr;
    for (std::size_t id = 0; id < tokenText_.size(); ++id) {
        const std::string &piece = tokenText_[id];
        const auto close = piece.find(quote);
        allowed_[id] = !piece.empty() && fits(literal + piece.substr(0, close)) ? 1 : 0;
    }
    return &allowed_;
}

}  // namespace momq
