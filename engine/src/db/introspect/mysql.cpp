#include "db/introspect/backends.h"

#include "momq/error.h"

#include <mysql.h>

#include <memory>
#include <vector>

namespace momq::detail {

namespace {

using Row = std::vector<std::string>;

class MysqlSession {
public:
    MysqlSession(const ConnectionSettings &s, int timeoutSeconds) : db_(mysql_init(nullptr), &mysql_close) {
        if (!db_) throw ConnectionError("cannot initialise the MariaDB client");
        unsigned int timeout = static_cast<unsigned int>(timeoutSeconds);
        mysql_options(db_.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_options(db_.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4");
        const char *host = s.host.empty() ? "127.0.0.1" : s.host.c_str();
        const unsigned int port = s.port ? static_cast<unsigned int>(s.port) : 3306;
        if (!mysql_real_connect(db_.get(), host, s.user.empty() ? nullptr : s.user.c_str(),
                                s.password.empty() ? nullptr : s.password.c_str(), s.database.c_str(), port, nullptr,
                                0))
            throw ConnectionError(std::string("cannot connect: ") + mysql_error(db_.get()));
        query("SET SESSION TRANSACTION READ ONLY");
    }

    std::vector<Row> query(const std::string &sql) {
        if (mysql_real_query(db_.get(), sql.data(), sql.size()) != 0)
            throw Error(std::string("query failed: ") + mysql_error(db_.get()));
        std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> res(mysql_store_result(db_.get()), &mysql_free_result);
        std::vector<Row> rows;
        if (!res) {
            if (mysql_field_count(db_.get()) != 0)
                throw Error(std::string("reading result failed: ") + mysql_error(db_.get()));
            return rows;
        }
        const unsigned n = mysql_num_fields(res.get());
        while (MYSQL_ROW r = mysql_fetch_row(res.get())) {
            const unsigned long *lengths = mysql_fetch_lengths(res.get());
            Row row;
            for (unsigned i = 0; i < n; ++i) row.emplace_back(r[i] ? std::string(r[i], lengths[i]) : "");
            rows.push_back(std::move(row));
        }
        return rows;
    }

    std::string literal(const std::string &text) {
        std::string out(text.size() * 2 + 1, '\0');
        out.resize(mysql_real_escape_string(db_.get(), out.data(), text.data(), text.size()));
        return "'" + out + "'";
    }

    static std::string quote(const std::string &identifier) {
        std::string out = "`";
        for (char c : identifier) {
            if (c == '`') out += '`';
            out += c;
        }
        return out + "`";
    }

private:
    std::unique_ptr<MYSQL, decltype(&mysql_close)> db_;
};

}  // namespace

Schema introspectMysql(const ConnectionSettings &settings, const IntrospectOptions &o) {
    MysqlSession my(settings, o.connectTimeoutSeconds);
    Schema schema;
    schema.dbId = o.dbId;
    schema.kind = SchemaKind::Relational;
    const auto db = my.literal(settings.database);

    for (const auto &tr : my.query("SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES "
                                   "WHERE TABLE_SCHEMA = " +
                                   db + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"))
        schema.tables.push_back({tr[0], tr[1], {}});
    for (auto &t : schema.tables) {
        try {
            for (const auto &cr :
                 my.query("SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_COMMENT, COLUMN_KEY "
                          "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
                          db + " AND TABLE_NAME = " + my.literal(t.name) + " ORDER BY ORDINAL_POSITION")) {
                Column c{cr[0], cr[1], cr[2], cr[3] == "PRI", {}};
                if (o.exampleCount > 0 && !isBinaryType(c.type))
                    for (const auto &v : my.query(exampleValuesSql(MysqlSession::quote(t.name),
                                                                   MysqlSession::quote(c.name), o.exampleCount)))
                        c.examples.push_back(v[0]);
                t.columns.push_back(std::move(c));
            }
        } catch (...) {
            rethrowWithContext("table " + t.name);
        }
    }
    for (const auto &f : my.query("SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "
                                  "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = " +
                                  db +
                                  " AND REFERENCED_TABLE_NAME IS NOT NULL "
                                  "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"))
        schema.foreignKeys.push_back({f[0], f[1], f[2], f[3]});
    return schema;
}

}  // namespace momq::detail
