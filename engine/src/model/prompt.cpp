#include "momq/prompt.h"

#include "core/text.h"
#include "momq/tokenizer.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <set>

namespace momq {

std::string userPrompt(Dialect dialect, const std::string &question, const std::string &schemaText,
                       const std::string &evidence) {
    const auto &t = dialectInfo(dialect);
    const std::string header = t.schemaHeader;
    std::string schema = schemaText;
    while (!schema.empty() && (schema.back() == '\n' || schema.back() == ' ')) schema.pop_back();
    return std::string("你是一名") + t.expert + "专家，现在需要阅读并理解下面的【" + header +
           "】描述，以及可能用到的【参考信息】，并运用" + t.knowledge + "知识生成" + t.statement +
           "语句回答【用户问题】。\n" + "【用户问题】\n" + question + "\n\n" + "【" + header + "】\n" + schema +
           "\n\n" + "【参考信息】\n" + evidence + "\n\n" + "【用户问题】\n" + question + "\n\n" + "```" + t.fence;
}

std::string answerText(const std::string &query) { return query + "<|im_end|>\n"; }

std::string queryFromAnswer(const std::string &decoded) {
    std::string text = decoded;
    // A model that repeats the prompt's open fence ("```sql\n...") gets it taken off first.
    if (text.rfind("```", 0) == 0) {
        const auto eol = text.find('\n');
        text = eol == std::string::npos ? std::string() : text.substr(eol + 1);
    }
    if (const auto fence = text.find("```"); fence != std::string::npos) text.resize(fence);
    return trimmed(text);
}

std::string BudgetedPrompt::note() const {
    std::string out;
    if (droppedExamples) out = "value examples dropped";
    if (!droppedTables.empty()) {
        out += out.empty() ? "" : "; ";
        out += "tables dropped:";
        for (std::size_t i = 0; i < droppedTables.size(); ++i) out += (i ? ", " : " ") + droppedTables[i];
    }
    if (!fits) out += std::string(out.empty() ? "" : "; ") + "still over the token budget";
    return out;
}

namespace {

std::set<std::string> words(const std::string &text) {
    std::set<std::string> out;
    std::string w;
    for (char c : text + " ") {
        if (std::isalnum(static_cast<unsigned char>(c)))
            w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (c == '_' || !std::isalnum(static_cast<unsigned char>(c))) {
            if (w.size() > 1) out.insert(w);
            w.clear();
        }
    }
    return out;
}

// How many of the question's words appear in a table's (or label's) own and column names.
int relatedness(const std::set<std::string> &question, const std::string &name,
                const std::vector<std::string> &fields) {
    std::string all = name;
    for (const auto &f : fields) all += " " + f;
    int shared = 0;
    for (const auto &w : words(all)) shared += question.count(w) > 0;
    return shared;
}

}  // namespace

BudgetedPrompt buildPrompt(const Tokenizer &tok, Dialect dialect, const std::string &question, const Schema &schema,
                           const std::string &evidence, int budget) {
    const auto format = dialectInfo(dialect).schemaFormat;
    BudgetedPrompt p;
    Schema current = schema;
    auto render = [&] {
        p.text = chatPrompt(userPrompt(dialect, question, formatSchemaForPrompt(current, format), evidence));
        p.ids = tok.encode(p.text);
        return static_cast<int>(p.ids.size()) <= budget;
    };
    if (render()) return p;
    p.droppedExamples = true;
    for (auto &t : current.tables)
        for (auto &c : t.columns) c.examples.clear();
    for (auto &n : current.nodes)
        for (auto &prop : n.properties) prop.examples.clear();
    for (auto &r : current.relationships)
        for (auto &prop : r.properties) prop.examples.clear();
    if (render()) return p;
    const auto q = words(question);
    while (current.tables.size() + current.nodes.size() > 1) {
        // the least related table or label goes; ties: the later one
        std::size_t worst = 0;
        int worstScore = INT32_MAX;
        const bool relational = current.kind == SchemaKind::Relational;
        const std::size_t count = relational ? current.tables.size() : current.nodes.size();
        for (std::size_t i = 0; i < count; ++i) {
            std::vector<std::string> fields;
            std::string name;
            if (relational) {
                name = current.tables[i].name;
                for (const auto &c : current.tables[i].columns) fields.push_back(c.name);
            } else {
                name = current.nodes[i].label;
                for (const auto &prop : current.nodes[i].properties) fields.push_back(prop.name);
            }
            const int score = relatedness(q, name, fields);
            if (score <= worstScore) {
                worstScore = score;
                worst = i;
            }
        }
        if (relational) {
            const std::string name = current.tables[worst].name;
            current.tables.erase(current.tables.begin() + static_cast<std::ptrdiff_t>(worst));
            std::erase_if(current.foreignKeys,
                          [&](const ForeignKey &f) { return f.fromTable == name || f.toTable == name; });
            p.droppedTables.push_back(name);
        } else {
            const std::string name = current.nodes[worst].label;
            current.nodes.erase(current.nodes.begin() + static_cast<std::ptrdiff_t>(worst));
            std::erase_if(current.relationships,
                          [&](const RelationshipType &r) { return r.fromLabel == name || r.toLabel == name; });
            p.droppedTables.push_back(name);
        }
        if (render()) return p;
    }
    p.fits = false;
    return p;
}

}  // namespace momq
