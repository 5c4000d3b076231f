// Prompt serialisations of a schema, as fixed by spec Part 6.4 and 6.5.
#include "momq/error.h"
#include "momq/schema.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace momq {

namespace {

// Python's repr() of a str: single quotes unless the text holds a single quote and no double
// quote; backslashes and the chosen quote escaped. The reference prompts print example lists so.
std::string pythonRepr(const std::string &s) {
    const bool hasSingle = s.find('\'') != std::string::npos;
    const bool hasDouble = s.find('"') != std::string::npos;
    const char quote = (hasSingle && !hasDouble) ? '"' : '\'';
    std::string out(1, quote);
    for (char ch : s) {
        if (ch == '\\' || ch == quote) out += '\\';
        if (ch == '\n') {
            out += "\\n";
            continue;
        }
        if (ch == '\t') {
            out += "\\t";
            continue;
        }
        out += ch;
    }
    out += quote;
    return out;
}

std::string formatRelational(const Schema &s) {
    std::ostringstream out;
    out << "【DB_ID】 " << s.dbId << "\n【Schema】\n";
    for (const auto &t : s.tables) {
        out << "# Table: " << t.name;
        if (!t.description.empty()) out << ", " << t.description;
        out << "\n[\n";
        for (const auto &c : t.columns) {
            out << "  (" << c.name << ":" << c.type;
            if (!c.description.empty()) out << ", " << c.description << ".";
            if (!c.examples.empty()) {
                out << (c.description.empty() ? ", " : " ") << "Value examples: [";
                for (std::size_t i = 0; i < c.examples.size(); ++i) out << (i ? ", " : "") << pythonRepr(c.examples[i]);
                out << "].";
            }
            out << "),\n";
        }
        out << "]\n";
    }
    if (!s.foreignKeys.empty()) {
        out << "\n【Foreign keys】\n";
        for (const auto &f : s.foreignKeys)
            out << f.fromTable << "." << f.fromColumn << " = " << f.toTable << "." << f.toColumn << "\n";
    }
    std::string text = out.str();
    text.pop_back();  // no trailing newline: prompt sections add their own spacing
    return text;
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
    return s;
}

void formatCypherProperties(std::ostringstream &out, const std::vector<Property> &props) {
    for (const auto &p : props) {
        out << "  - `" << p.name << "`: " << upper(p.type);
        if (p.min && p.max)
            out << " Min: " << *p.min << ", Max: " << *p.max;
        else if (!p.examples.empty())
            out << " Example: \"" << p.examples.front() << "\"";
        out << "\n";
    }
}

std::string formatCypher(const Schema &s) {
    std::ostringstream out;
    out << "【DB_ID】 " << s.dbId << "\n【Schema】\nNode properties:\n";
    for (const auto &n : s.nodes) {
        out << "- **" << n.label << "**\n";
        formatCypherProperties(out, n.properties);
    }
    out << "Relationship properties:\n";
    std::set<std::string> listed;  // a type linking several label pairs lists its properties once
    for (const auto &r : s.relationships) {
        if (r.properties.empty() || !listed.insert(r.type).second) continue;
        out << "- **" << r.type << "**\n";
        formatCypherProperties(out, r.properties);
    }
    out << "The relationships:\n";
    for (const auto &r : s.relationships)
        out << "(:" << r.fromLabel << ")-[:" << r.type << "]->(:" << r.toLabel << ")\n";
    std::string text = out.str();
    text.pop_back();
    return text;
}

// nGQL property types as the class-style listing writes them (Zhou et al. 2024 use Python names).
std::string ngqlTypeName(const std::string &type) {
    const std::string t = [&] {
        std::string l = type;
        std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
        return l;
    }();
    if (t == "string" || t.rfind("fixed_string", 0) == 0 || t == "str") return "str";
    if (t.rfind("int", 0) == 0) return "int";
    if (t == "float" || t == "double") return "float";
    if (t == "bool") return "bool";
    return t.empty() ? "str" : t;
}

std::string ngqlParams(const std::string &fixed, const std::vector<Property> &props) {
    std::string params = fixed;
    for (const auto &p : props) params += ", " + p.name + ":" + ngqlTypeName(p.type);
    return params;
}

std::string formatNgql(const Schema &s) {
    std::ostringstream out;
    out << "# this is the schema of this graph\n# Nodes\n";
    for (const auto &n : s.nodes)
        out << "class " << n.label << ":\n    def __init__(self, " << ngqlParams("vid", n.properties)
            << "):\n        pass\n";
    out << "# Edges\nclass Edge:\n    def __init__(self, src_vid, dst_vid):\n        pass\n";
    std::set<std::string> written;
    for (const auto &r : s.relationships) {
        if (!written.insert(r.type).second) continue;
        out << "class " << r.type << "(Edge):  # ";
        bool first = true;
        for (const auto &e : s.relationships)
            if (e.type == r.type) {
                out << (first ? "" : ", ") << e.fromLabel << "-->" << e.toLabel;
                first = false;
            }
        out << "\n    def __init__(self, " << ngqlParams("src_vid, dst_vid", r.properties) << "):\n        pass\n";
    }
    std::string text = out.str();
    text.pop_back();
    return text;
}

}  // namespace

std::string formatSchemaForPrompt(const Schema &schema, SchemaFormat format) {
    const bool wantsGraph = format != SchemaFormat::Relational;
    if (wantsGraph != (schema.kind == SchemaKind::Graph))
        throw FormatError("schema \"" + schema.dbId + "\" is " + schemaKindName(schema.kind) + "; the " +
                          (wantsGraph ? "graph" : "relational") + " prompt format needs a " +
                          (wantsGraph ? "graph" : "relational") + " schema");
    switch (format) {
    case SchemaFormat::Relational: return formatRelational(schema);
    case SchemaFormat::Cypher: return formatCypher(schema);
    case SchemaFormat::Ngql: return formatNgql(schema);
    }
    return {};
}

}  // namespace momq
