// Reads a schema from a live database, read-only: from SQLite, PostgreSQL and MySQL/MariaDB the
// tables, columns with types and comments, primary and foreign keys and a few example values per
// column; from a FalkorDB graph the node labels, relationship types with endpoints, and properties
// with types, numeric ranges or examples.
#pragma once

#include "momq/connection.h"
#include "momq/schema.h"

namespace momq {

struct IntrospectOptions {
    std::string dbId;      // the schema's db_id; default: database name or file stem
    int exampleCount = 3;  // distinct non-NULL example values per column (0: none)
    // PostgreSQL: the one schema to read; empty, every schema but the system ones. A table outside
    // `public` is named "schema.table", as a query must name it.
    std::string pgSchema;
    int connectTimeoutSeconds = 5;
};

// Throws ConnectionError (unreachable, refused, bad password) or Error, each naming the
// connection and the table or column being read.
Schema introspectDatabase(const ConnectionSettings &settings, const IntrospectOptions &options = {});

}  // namespace momq
