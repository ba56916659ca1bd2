#include "export/snapshot_json.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "export/health_json.h"
#include "text/time.h"

namespace relaymon::exporter {

using nlohmann::json;

namespace {

using text::iso8601;

json counts_object(const std::vector<std::pair<std::string, long>>& counts) {
  json out = json::object();
  for (const auto& [kind, n] : counts) out[kind] = n;
  return out;
}

template <typename T>
json optional(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
template <typename T>
json optional(const ::relaymon::text::CompactOptional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json endpoint_json(const model::Endpoint& endpoint) {
  return {{"address", endpoint.address}, {"port", endpoint.port}};
}

json connection_json(const model::Connection& c) {
  return {{"category", model::to_string(c.category)},
          {"direction", model::to_string(c.direction)},
          {"protocol", c.protocol},
          {"state", c.state},
          {"local", endpoint_json(c.local)},
          {"remote", endpoint_json(c.remote)},
          {"scrubbed", c.scrubbed},
          {"relay_fingerprint", c.relay_fingerprint},
          {"relay_nickname", c.relay_nickname},
          {"country", c.country},
          {"asn", c.asn},
          {"service", c.service},
          {"bytes_in", optional(c.bytes_in)},
          {"bytes_out", optional(c.bytes_out)},
          {"rate_in", c.rate_in},
          {"rate_out", c.rate_out},
          {"rtt_ms", optional(c.rtt_ms)},
          {"first_seen", iso8601(c.first_seen)},
          {"orconn_id", c.orconn_id ? fmt::to_string(c.orconn_id) : std::string()},
          {"own_control", c.is_own_control},
          {"relay_unlisted", c.relay_unlisted},
          {"opened_before_relaymon", c.opened_before_relaymon}};
}

}  // namespace

json relay_to_json(const model::Snapshot& s) {
  json listeners = json::array();
  for (const auto& l : s.listeners) {
    listeners.push_back(
        {{"kind", l.kind}, {"address", l.endpoint.address}, {"port", l.endpoint.port}});
  }
  json circuits = json::array();
  for (const auto& c : s.circuits) {
    json path = json::array();
    for (const auto& hop : c.path) {
      path.push_back({{"fingerprint", hop.fingerprint}, {"nickname", hop.nickname}});
    }
    circuits.push_back({{"id", c.id},
                        {"status", c.status},
                        {"purpose", c.purpose},
                        {"build_flags", c.build_flags},
                        {"bytes_read", c.bytes_read},
                        {"bytes_written", c.bytes_written},
                        {"path", path}});
  }
  json connections = json::array();
  std::map<std::string, long> counts;
  for (const auto& c : s.connections) {
    connections.push_back(connection_json(c));
    counts[std::string(model::to_string(c.category))]++;
  }
  json alerts = json::array();
  for (const auto& a : s.alerts) {
    json evidence = json::object();
    for (const auto& [k, v] : a.evidence) evidence[k] = v;
    alerts.push_back({{"id", a.id},
                      {"subject", a.subject},
                      {"severity", model::to_string(a.severity)},
                      {"active", a.active},
                      {"first_seen", iso8601(a.first_seen)},
                      {"last_seen", iso8601(a.last_seen)},
                      {"count", a.count},
                      {"evidence", evidence},
                      {"explanation", a.explanation},
                      {"action", a.action}});
  }
  const auto& t = s.tor;
  const auto& p = s.process;
  const auto& r = s.relay;
  return {
      {"taken", iso8601(s.taken)},
      {"host", s.host},
      {"control",
       {{"endpoint", s.control.endpoint},
        {"auth", model::to_string(s.control.auth)},
        {"connected", s.control.connected},
        {"error", s.control.last_error}}},
      {"tor",
       {{"version", t.version},
        {"version_status", t.version_status},
        {"uptime", optional(t.uptime_seconds)},
        {"traffic", {{"read", optional(t.traffic_read)}, {"written", optional(t.traffic_written)}}},
        {"bootstrap", {{"progress", t.bootstrap_progress}, {"phase", t.bootstrap_phase}}},
        {"network_liveness", t.network_liveness},
        {"accounting", {{"enabled", t.accounting_enabled}, {"state", t.accounting_state}}},
        {"bandwidth",
         {{"rate", optional(t.bandwidth_rate)},
          {"burst", optional(t.bandwidth_burst)},
          {"observed", optional(t.bandwidth_observed)},
          {"consensus_weight", optional(t.consensus_weight)},
          {"weight_unmeasured", optional(t.weight_unmeasured)}}}}},
      {"process",
       {{"pid", optional(p.pid)},
        {"user", p.user},
        {"descriptors",
         {{"limit", optional(p.descriptor_limit)}, {"used", optional(p.descriptors_used)}}},
        {"cpu_percent", optional(p.cpu_percent)},
        {"rss_bytes", optional(p.rss_bytes)},
        {"threads", optional(p.threads)},
        {"unavailable_reason", p.unavailable_reason}}},
      {"relay",
       {{"nickname", r.nickname},
        {"fingerprint", r.fingerprint},
        {"address", r.address},
        {"or_port", r.or_port},
        {"dir_port", r.dir_port},
        {"in_consensus", r.in_consensus},
        {"flags", r.flags},
        {"exit_policy", r.exit_policy},
        {"exit_policy_summary", r.exit_policy_summary},
        {"is_exit", r.is_exit}}},
      {"listeners", listeners},
      {"circuits", circuits},
      {"connections", connections},
      {"connection_counts", counts},
      {"resolver", {{"name", s.resolver}, {"status", s.resolver_status}}},
      {"crosscheck",
       {{"matched", s.crosscheck.matched},
        {"only_control", s.crosscheck.only_control},
        {"only_system", s.crosscheck.only_system},
        {"persistent", s.crosscheck.persistent},
        {"control_source", s.crosscheck.control_source},
        {"control_counts", counts_object(s.crosscheck.control_counts)},
        {"system_counts", counts_object(s.crosscheck.system_counts)}}},
      {"relay_index_size", s.relay_index_size},
      {"geo", {{"source", s.geo_source}, {"status", s.geo_status}}},
      {"alerts", alerts},
      {"health", health_to_json(s.health)},
      {"unanswered", s.unanswered},
  };
}

json snapshots_to_json(const std::vector<model::SnapshotPtr>& snapshots,
                       const std::vector<SnapshotError>& errors) {
  json relays = json::array();
  for (const auto& s : snapshots) relays.push_back(relay_to_json(*s));
  json failed = json::array();
  for (const auto& e : errors) failed.push_back({{"endpoint", e.endpoint}, {"error", e.error}});
  return {{"schema", model::Snapshot::kSchema},
          {"generator", fmt::format("relaymon {}", RELAYMON_VERSION)},
          {"relays", relays},
          {"errors", failed}};
}

}  // namespace relaymon::exporter
