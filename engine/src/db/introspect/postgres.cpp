#include "db/introspect/backends.h"

#include "momq/error.h"

#include <libpq-fe.h>

#include <map>
#include <memory>
#include <vector>

namespace momq::detail {

namespace {

using Row = std::vector<std::string>;

class PgSession {
public:
    PgSession(const ConnectionSettings &s, int timeoutSeconds) {
        const std::string port = s.port ? std::to_string(s.port) : "";
        const std::string timeout = std::to_string(timeoutSeconds);
        const char *keys[] = {
            "host", "port", "dbname", "user", "password", "connect_timeout", "options", "application_name", nullptr};
        const char *values[] = {s.host.empty() ? nullptr : s.host.c_str(),
                                port.empty() ? nullptr : port.c_str(),
                                s.database.c_str(),
                                s.user.empty() ? nullptr : s.user.c_str(),
                                s.password.empty() ? nullptr : s.password.c_str(),
                                timeout.c_str(),
                                "-c default_transaction_read_only=on",
                                "momq",
                                nullptr};
        conn_.reset(PQconnectdbParams(keys, values, 0));
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
            throw ConnectionError(std::string("cannot connect: ") +
                                  (conn_ ? PQerrorMessage(conn_.get()) : "out of memory"));
    }

    std::vector<Row> query(const std::string &sql, const std::vector<std::string> &params = {}) {
        std::vector<const char *> p;
        for (const auto &s : params) p.push_back(s.c_str());
        std::unique_ptr<PGresult, decltype(&PQclear)> res(
            PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(p.size()), nullptr, p.data(), nullptr, nullptr, 0),
            &PQclear);
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
            throw Error(std::string("query failed: ") + PQerrorMessage(conn_.get()));
        std::vector<Row> rows;
        for (int r = 0; r < PQntuples(res.get()); ++r) {
            Row row;
            for (int c = 0; c < PQnfields(res.get()); ++c)
                row.emplace_back(PQgetisnull(res.get(), r, c) ? "" : PQgetvalue(res.get(), r, c));
            rows.push_back(std::move(row));
        }
        return rows;
    }

    std::string quote(const std::string &identifier) {
        std::unique_ptr<char, decltype(&PQfreemem)> q(
            PQescapeIdentifier(conn_.get(), identifier.c_str(), identifier.size()), &PQfreemem);
        if (!q) throw Error("cannot quote identifier " + identifier);
        return q.get();
    }

private:
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn_{nullptr, &PQfinish};
};

}  // namespace

Schema introspectPostgres(const ConnectionSettings &settings, const IntrospectOptions &o) {
    PgSession pg(settings, o.connectTimeoutSeconds);
    Schema schema;
    schema.dbId = o.dbId;
    schema.kind = SchemaKind::Relational;

    // every schema but the system ones, unless one is asked for (introspectDatabase sorts the tables)
    const std::string inSchemas =
        "(($1 = '' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
        "AND n.nspname NOT LIKE 'pg\\_temp%') OR n.nspname = $1)";
    auto qualified = [](const std::string &nsp, const std::string &rel) {
        return nsp == "public" ? rel : nsp + "." + rel;
    };
    const auto tables =
        pg.query("SELECT c.oid::text, n.nspname, c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') "
                 "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE " +
                     inSchemas + " AND c.relkind IN ('r', 'p') ORDER BY n.nspname, c.relname",
                 {o.pgSchema});
    for (const auto &tr : tables) {
        Table t{qualified(tr[1], tr[2]), tr[3], {}};
        try {
            const auto cols =
                pg.query("SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                         "coalesce(col_description(a.attrelid, a.attnum), ''), "
                         "coalesce((SELECT i.indisprimary FROM pg_index i WHERE i.indrelid = a.attrelid "
                         "          AND i.indisprimary AND a.attnum = ANY(i.indkey)), false)::text "
                         "FROM pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
                         "ORDER BY a.attnum",
                         {tr[0]});
            const auto quotedTable = pg.quote(tr[1]) + "." + pg.quote(tr[2]);
            for (const auto &cr : cols) {
                Column c{cr[0], cr[1], cr[2], cr[3] == "true", {}};
                if (o.exampleCount > 0 && !isBinaryType(c.type)) {
                    try {
                        // order by the native value (4.25 before 12.00), then hand back text
                        for (const auto &v :
                             pg.query("SELECT v::text FROM (" +
                                      exampleValuesSql(quotedTable, pg.quote(c.name), o.exampleCount) + ") AS e(v)"))
                            c.examples.push_back(v[0]);
                    } catch (const Error &) {
                        // json, xml and similar types cannot be ordered: such columns get no examples
                    }
                }
                t.columns.push_back(std::move(c));
            }
        } catch (...) {
            rethrowWithContext("table " + t.name);
        }
        schema.tables.push_back(std::move(t));
    }
    for (const auto &f :
         pg.query("SELECT n.nspname, cl.relname, att.attname, fn.nspname, fcl.relname, fatt.attname "
                  "FROM pg_constraint con "
                  "JOIN pg_class cl ON cl.oid = con.conrelid "
                  "JOIN pg_namespace n ON n.oid = cl.relnamespace "
                  "JOIN pg_class fcl ON fcl.oid = con.confrelid "
                  "JOIN pg_namespace fn ON fn.oid = fcl.relnamespace "
                  "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(col, fcol, ord) "
                  "JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.col "
                  "JOIN pg_attribute fatt ON fatt.attrelid = con.confrelid AND fatt.attnum = k.fcol "
                  "WHERE con.contype = 'f' AND " +
                      inSchemas + " ORDER BY n.nspname, cl.relname, con.conname, k.ord",
                  {o.pgSchema}))
        schema.foreignKeys.push_back({qualified(f[0], f[1]), f[2], qualified(f[3], f[4]), f[5]});
    return schema;
}

}  // namespace momq::detail
