// Cypher on Neo4j through its transactional HTTP endpoint, with libcurl.
#include "db/exec/executor_base.h"

#include "core/json_document.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace momq {

using nlohmann::json;

HttpRequest neo4jRequest(const ConnectionSettings &settings, const std::string &query) {
    HttpRequest r;
    const std::string host = settings.host.empty() ? "127.0.0.1" : settings.host;
    const std::string database = settings.database.empty() ? "neo4j" : settings.database;
    r.url = "http://" + host + ":" + std::to_string(settings.port ? settings.port : 7474) + "/db/" + database +
            "/tx/commit";
    r.headers = {"Accept: application/json;charset=UTF-8", "Content-Type: application/json", "Access-Mode: READ"};
    r.body = json{{"statements", json::array({{{"statement", query}, {"resultDataContents", json::array({"row"})}}})}}
                 .dump();
    r.user = settings.user;
    r.password = settings.password;
    return r;
}

namespace {

Value jsonValue(const json &v) {
    if (v.is_null()) return Value::null();
    if (v.is_boolean()) return Value::of(static_cast<std::int64_t>(v.get<bool>()));
    if (v.is_number_integer()) return Value::of(v.get<std::int64_t>());
    if (v.is_number()) return Value::of(v.get<double>());
    if (v.is_string()) return Value::of(v.get<std::string>());
    return Value::of(v.dump());  // nodes, lists and maps as their JSON text
}

}  // namespace

QueryResult parseNeo4jResponse(const std::string &body, int rowCap) {
    const auto j = parseJsonObject(body, "Neo4j response");
    if (!j.contains("errors") || !j["errors"].is_array() || !j.contains("results") || !j["results"].is_array())
        throw FormatError("Neo4j response: expected \"results\" and \"errors\" arrays");
    if (!j["errors"].empty()) {
        const auto &e = j["errors"][0];
        throw ExecutionError(ExecutionError::Reason::Failed,
                             e.value("code", std::string("Neo4j error")) + ": " + e.value("message", std::string()));
    }
    QueryResult r;
    if (j["results"].empty()) return r;
    const auto &first = j["results"][0];
    for (const auto &c : first.value("columns", json::array())) r.columns.push_back(c.get<std::string>());
    for (const auto &record : first.value("data", json::array())) {
        if (static_cast<int>(r.rows.size()) == rowCap) {
            r.truncated = true;
            break;
        }
        std::vector<Value> row;
        for (const auto &cell : record.value("row", json::array())) row.push_back(jsonValue(cell));
        r.rows.push_back(std::move(row));
    }
    return r;
}

namespace {

class Neo4jExecutor : public ReconnectingExecutor {
public:
    Neo4jExecutor(const ConnectionSettings &s, const ExecutionOptions &o) : settings_(s), options_(o) { connect(); }

private:
    void connect() override {
        curl_.reset(curl_easy_init());
        if (!curl_) throw ExecutionError(ExecutionError::Reason::Connection, "libcurl could not start");
    }

    static size_t collect(char *data, size_t size, size_t count, void *out) {
        static_cast<std::string *>(out)->append(data, size * count);
        return size * count;
    }

    QueryResult attempt(const std::string &query) override {
        const auto request = neo4jRequest(settings_, query);
        CURL *c = curl_.get();
        curl_easy_reset(c);
        std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
        for (const auto &h : request.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
        std::string response;
        curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeoutMs));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        if (!request.user.empty()) {
            curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(c, CURLOPT_USERNAME, request.user.c_str());
            curl_easy_setopt(c, CURLOPT_PASSWORD, request.password.c_str());
        }
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Neo4jExecutor::collect);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
        const CURLcode rc = curl_easy_perform(c);
        if (rc == CURLE_OPERATION_TIMEDOUT)
            throw ExecutionError(ExecutionError::Reason::Timeout,
                                 "timed out after " + std::to_string(options_.timeoutMs) + " ms");
        if (rc != CURLE_OK)
            throw ExecutionError(ExecutionError::Reason::Connection,
                                 describeConnection(settings_) + ": " + curl_easy_strerror(rc));
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (status == 401)
            throw ExecutionError(ExecutionError::Reason::Failed,
                                 describeConnection(settings_) + ": authentication failed");
        try {
            return parseNeo4jResponse(response, options_.rowCap);
        } catch (const FormatError &e) {
            throw ExecutionError(ExecutionError::Reason::Failed,
                                 describeConnection(settings_) + ": HTTP " + std::to_string(status) + ": " + e.what());
        }
    }

    ConnectionSettings settings_;
    ExecutionOptions options_;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_{nullptr, &curl_easy_cleanup};
};

}  // namespace

std::unique_ptr<QueryExecutor> openNeo4jExecutor(const ConnectionSettings &settings, const ExecutionOptions &options) {
    return std::make_unique<Neo4jExecutor>(settings, options);
}

}  // namespace momq
