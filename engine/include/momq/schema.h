// One schema model for relational databases and property graphs, with its JSON form.
//
// JSON layout (all keys optional except "db_id" and "kind"):
//   {"db_id": "club", "kind": "relational", "description": "...",
//    "tables": [{"name": "member", "description": "...",
//                "columns": [{"name": "id", "type": "integer", "description": "...",
//                             "primary_key": true, "examples": ["1", "2"]}]}],
//    "foreign_keys": [{"from_table": "member", "from_column": "club_id",
//                      "to_table": "club", "to_column": "id"}]}
//   {"db_id": "movies", "kind": "graph",
//    "nodes": [{"label": "Person", "properties": [{"name": "born", "type": "INTEGER",
//                                                  "min": "1929", "max": "1996"}]}],
//    "relationships": [{"type": "ACTED_IN", "from": "Person", "to": "Movie",
//                       "properties": [...]}]}
#pragma once

#include "momq/dialect.h"

#include <optional>
#include <string>
#include <vector>

namespace momq {

struct Column {
    std::string name;
    std::string type;  // the database's own type name: "bigint", "varchar(64)", ...
    std::string description;
    bool primaryKey = false;
    std::vector<std::string> examples;  // distinct values as text, most useful first
};

struct Table {
    std::string name;
    std::string description;
    std::vector<Column> columns;

    const Column *findColumn(const std::string &columnName) const;
};

struct ForeignKey {
    std::string fromTable, fromColumn, toTable, toColumn;
};

// A property of a node label or relationship type. Numeric properties may carry a range
// instead of (or besides) examples; the Cypher prompt format prefers the range.
struct Property {
    std::string name;
    std::string type;
    std::vector<std::string> examples;
    std::optional<std::string> min, max;
};

struct NodeLabel {
    std::string label;
    std::vector<Property> properties;
};

// One relationship (edge) type between two node labels. A type that links several label
// pairs appears once per pair.
struct RelationshipType {
    std::string type;
    std::string fromLabel, toLabel;
    std::vector<Property> properties;
};

enum class SchemaKind { Relational, Graph };

struct Schema {
    std::string dbId;
    SchemaKind kind = SchemaKind::Relational;
    std::string description;
    // relational
    std::vector<Table> tables;
    std::vector<ForeignKey> foreignKeys;
    // property graph
    std::vector<NodeLabel> nodes;
    std::vector<RelationshipType> relationships;

    const Table *findTable(const std::string &tableName) const;
    bool operator==(const Schema &) const;
};

bool operator==(const Column &, const Column &);
bool operator==(const Table &, const Table &);
bool operator==(const ForeignKey &, const ForeignKey &);
bool operator==(const Property &, const Property &);
bool operator==(const NodeLabel &, const NodeLabel &);
bool operator==(const RelationshipType &, const RelationshipType &);

const char *schemaKindName(SchemaKind kind);

// JSON text <-> Schema. Parsing throws FormatError naming the offending field, e.g.
// "tables[2].columns[0].name: expected a string, found number".
std::string schemaToJson(const Schema &schema, int indent = 2);
Schema schemaFromJson(const std::string &jsonText);
// Reads a schema JSON file; errors name the file.
Schema loadSchemaFile(const std::string &path);

// Prompt serialisations of spec Part 6.4 (relational) and 6.5 (Cypher, nGQL).
std::string formatSchemaForPrompt(const Schema &schema, SchemaFormat format);

}  // namespace momq
