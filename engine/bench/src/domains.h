// Engine-internal: the built-in benchmark's domains. Each is a chain of three entities linked
// many-to-one (child -> parent -> grandparent), which becomes three tables with foreign keys in the
// relational form and three node labels with two relationship types in the graph form.
#pragma once

#include <string>
#include <vector>

namespace momq::bench {

enum class AttrKind { Name, Category, Integer, Decimal, Date };

struct AttrSpec {
    std::string column;  // column and property name
    AttrKind kind;
    std::string en, zh;                   // how questions call it
    std::vector<std::string> categories;  // Category values
    long lo = 0, hi = 0;                  // Integer range; Decimal range in hundredths; Date range of years
};

struct EntitySpec {
    std::string table, label;      // "player", "Player"
    std::string en, enPlural, zh;  // "player", "players", "球员"
    int count = 0;
    std::vector<AttrSpec> attrs;  // attrs[0] is the entity's unique name
    // Names are "<first> <second>" drawn without repeats; with `second` empty, `first` in order.
    std::vector<std::string> first, second;
};

struct LinkSpec {
    int child = 0, parent = 0;  // entity indices
    std::string fkColumn;       // on the child's table
    std::string edgeType;       // child -> parent in the graph
    std::string en, zh;         // "plays for", "效力于"
};

struct DomainSpec {
    std::string name;  // the relational db_id; the graph db_id adds "_graph"
    std::string description;
    bool test = false;                 // in the test split (never trained on)
    std::vector<EntitySpec> entities;  // child, parent, grandparent
    std::vector<LinkSpec> links;       // 0 -> 1, 1 -> 2
};

const std::vector<DomainSpec> &benchmarkDomains();

}  // namespace momq::bench
