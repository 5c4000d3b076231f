// One function per database engine; introspect.cpp chooses among them and adds context.
#pragma once

#include "momq/introspect.h"

#include <string>

namespace momq::detail {

Schema introspectSqlite(const ConnectionSettings &s, const IntrospectOptions &o);
Schema introspectPostgres(const ConnectionSettings &s, const IntrospectOptions &o);
Schema introspectMysql(const ConnectionSettings &s, const IntrospectOptions &o);
Schema introspectFalkorDb(const ConnectionSettings &s, const IntrospectOptions &o);

// The same example-value query serves every engine: smallest distinct non-NULL values, so that
// repeated imports give the same schema.
std::string exampleValuesSql(const std::string &quotedTable, const std::string &quotedColumn, int count);
// Types whose values make no useful example text (binary data).
bool isBinaryType(const std::string &type);

}  // namespace momq::detail
