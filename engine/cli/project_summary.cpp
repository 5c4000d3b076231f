#include "project_summary.h"

#include "momq/connection.h"

namespace cli {

nlohmann::json summariseProject(const momq::ProjectStore &store) {
    using nlohmann::json;
    json out = {{"project", store.path()}, {"store_version", store.schemaVersion()}};
    out["connections"] = json::array();
    for (const auto &c : store.connections())
        out["connections"].push_back({{"id", c.id},
                                      {"name", c.name},
                                      {"engine", momq::engineName(c.settings.engine)},
                                      {"target", momq::describeConnection(c.settings)}});
    out["schemas"] = json::array();
    for (const auto &r : store.schemas()) {
        json s = {{"db_id", r.schema.dbId}, {"kind", momq::schemaKindName(r.schema.kind)}, {"source", r.source}};
        if (r.schema.kind == momq::SchemaKind::Relational) {
            s["tables"] = r.schema.tables.size();
            s["foreign_keys"] = r.schema.foreignKeys.size();
        } else {
            s["node_labels"] = r.schema.nodes.size();
            s["relationship_types"] = r.schema.relationships.size();
        }
        out["schemas"].push_back(std::move(s));
    }
    out["datasets"] = store.datasets().size();
    out["models"] = store.models().size();
    out["training_runs"] = store.trainingRuns().size();
    out["evaluation_reports"] = store.evaluationReports().size();
    return out;
}

}  // namespace cli
