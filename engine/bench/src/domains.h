// Engine-internal: the built-in benchmark's domains. Each is a few entities linked many-to-one
// (hand-written: child -> parent -> grandparent; generated: also two entities, or a child with two
// parents), which become tables with foreign keys in the relational form and node labels with
// relationship types in the graph form.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace momq::bench {

// ---- deterministic randomness (std distributions differ between standard libraries) -----------

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {  // splitmix64
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    long uniform(long lo, long hi) { return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    template <typename T> const T &pick(const std::vector<T> &v) { return v[next() % v.size()]; }
    template <typename T> void shuffle(std::vector<T> &v) {
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
    }

private:
    std::uint64_t state_;
};

enum class AttrKind { Name, Category, Integer, Decimal, Date };

struct AttrSpec {
    std::string column;  // column and property name
    AttrKind kind;
    std::string en, zh;                   // how questions call it
    std::vector<std::string> categories;  // Category values
    long lo = 0, hi = 0;                  // Integer range; Decimal range in hundredths; Date range of years
    bool described = true;                // the schema gives `en` as the column's description
    bool glossZh = false;                 // ... followed by " / " and `zh`, as bilingual schemas do
    bool isYear = false;                  // an Integer that counts years (never summed)
};

struct EntitySpec {
    std::string table, label;      // "player", "Player"
    std::string en, enPlural, zh;  // "player", "players", "球员"
    int count = 0;
    std::vector<AttrSpec> attrs;  // attrs[0] is the entity's unique name
    // Names are "<first> <second>" drawn without repeats; with `second` empty, `first` in order.
    std::vector<std::string> first, second;
    std::vector<std::size_t> order;  // attrs in the table's column order; empty: as listed
    std::string key = "id";          // the primary key column
    bool glossZh = false;            // the table's description also gives `zh`
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
    std::vector<EntitySpec> entities;  // entity 0 is a child of every link's parent chain or star
    std::vector<LinkSpec> links;       // hand-written: 0 -> 1, 1 -> 2
    std::string subset = "handwritten";
    int valueExamples = 3;  // per column in the schema
};

// The six hand-written domains (hospital and retail are the test ones).
const std::vector<DomainSpec> &benchmarkDomains();

// `count` generated domains (subset "procedural"): 2 or 3 entities in a chain or a star, drawn from
// word lists of entity nouns, attributes and link verbs; the test split draws from lists disjoint
// from the training split's. Names, keys, case, order of columns and descriptions vary per domain.
// Deterministic for a seed.
std::vector<DomainSpec> proceduralDomains(int count, bool test, std::uint64_t seed);

// Name pools shared by the hand-written and generated domains.
extern const std::vector<std::string> kFirstNames, kSurnames, kAdjectives, kNouns;

}  // namespace momq::bench
