#include "db/introspect/backends.h"
#include "project/sqlite_db.h"

#include "momq/error.h"

#include <filesystem>

namespace momq::detail {

Schema introspectSqlite(const ConnectionSettings &settings, const IntrospectOptions &o) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(settings.path, ec))
        throw ConnectionError(settings.path + ": no such SQLite database file");
    sqlite::Connection db(settings.path, SQLITE_OPEN_READONLY, [](int code, const std::string &msg) {
        if (code == SQLITE_NOTADB) throw FormatError(msg + " (not an SQLite database)");
        throw ConnectionError(msg);
    });
    Schema schema;
    schema.dbId = o.dbId;
    schema.kind = SchemaKind::Relational;

    sqlite::Statement tables(db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    while (tables.step()) {
        Table t;
        t.name = tables.text(0);
        const auto quotedTable = sqlite::quoteIdentifier(t.name);
        try {
            sqlite::Statement cols(db, "SELECT name, type, pk FROM pragma_table_info(?)");
            cols.bind(1, t.name);
            while (cols.step()) t.columns.push_back({cols.text(0), cols.text(1), "", cols.integer(2) > 0, {}});
            for (auto &c : t.columns) {
                if (o.exampleCount <= 0 || isBinaryType(c.type)) continue;
                sqlite::Statement ex(db,
                                     exampleValuesSql(quotedTable, sqlite::quoteIdentifier(c.name), o.exampleCount));
                while (ex.step()) c.examples.push_back(ex.text(0));
            }
            // "to" is NULL when the key refers to the parent's primary key.
            sqlite::Statement fks(db, "SELECT f.\"table\", f.\"from\", coalesce(f.\"to\", "
                                      "(SELECT p.name FROM pragma_table_info(f.\"table\") p WHERE p.pk = f.seq + 1)) "
                                      "FROM pragma_foreign_key_list(?) f ORDER BY f.id, f.seq");
            fks.bind(1, t.name);
            while (fks.step()) schema.foreignKeys.push_back({t.name, fks.text(1), fks.text(0), fks.text(2)});
        } catch (...) {
            rethrowWithContext("table " + t.name);
        }
        schema.tables.push_back(std::move(t));
    }
    return schema;
}

}  // namespace momq::detail
