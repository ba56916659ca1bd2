#include "export/health_json.h"

#include <string>

#include "text/time.h"

namespace relaymon::exporter {

using nlohmann::json;

namespace {

template <typename T>
json opt(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json time_json(const std::optional<model::HealthTime>& t) {
  return t ? json(text::iso8601(*t)) : json(nullptr);
}

json state_json(std::string_view name, const model::HealthState& s) {
  return {{"concern", name},
          {"id", model::health_concern_id(name)},
          {"level", model::to_string(s.level)},
          {"code", s.code},
          {"problem", s.problem},
          {"since", time_json(s.since)},
          {"source", s.source}};
}

json counters_json(const std::vector<std::pair<std::string, double>>& counters) {
  json out = json::object();
  for (const auto& [name, value] : counters) out[name] = value;
  return out;
}

std::string_view reach_state(model::ReachabilityFamily::State s) {
  using S = model::ReachabilityFamily::State;
  switch (s) {
    case S::kChecking:
      return "checking";
    case S::kReachable:
      return "reachable";
    case S::kFailed:
      return "failed";
    case S::kUnknown:
      break;
  }
  return "unknown";
}

json reach_json(const model::ReachabilityFamily& f) {
  auto colon = f.address.rfind(':');
  json port = colon == std::string::npos ? json(nullptr) : json(f.address.substr(colon + 1));
  return {{"state", reach_state(f.state)},
          {"port", port},
          {"since", time_json(f.since)},
          {"failures", f.failures}};
}

json overload_json(const model::OverloadHealth& o) {
  json general = o.general ? json{{"since", text::iso8601(o.general->since)}} : json(nullptr);
  json fd = o.fd_exhausted ? json{{"since", text::iso8601(o.fd_exhausted->since)}} : json(nullptr);
  json rl = nullptr;
  if (o.ratelimits) {
    rl = {{"since", text::iso8601(o.ratelimits->since)},
          {"rate", o.ratelimits->rate},
          {"burst", o.ratelimits->burst},
          {"read_count", o.ratelimits->read_count},
          {"write_count", o.ratelimits->write_count}};
  }
  return {{"general", general},
          {"ratelimits", rl},
          {"fd_exhausted", fd},
          {"rate_limit_reached_read", opt(o.rate_limit_reached_read)},
          {"rate_limit_reached_write", opt(o.rate_limit_reached_write)},
          {"tcp_exhaustion", opt(o.tcp_exhaustion)},
          {"sockets_open", opt(o.sockets_open)},
          {"sockets_limit", opt(o.sockets_limit)},
          {"bandwidth_rate", opt(o.bandwidth_rate)},
          {"bandwidth_burst", opt(o.bandwidth_burst)},
          {"bandwidth_observed", opt(o.bandwidth_observed)}};
}

json dos_json(const model::DosHealth& d) {
  return {{"counters", counters_json(d.counters)},
          {"total", opt(d.total.latest())},
          {"disabled", d.disabled},
          {"onionskins_processed", opt(d.onionskins_processed.latest())},
          {"onionskins_dropped", opt(d.onionskins_dropped.latest())},
          {"ntor_requested", opt(d.ntor_requested)},
          {"ntor_assigned", opt(d.ntor_assigned)},
          {"dropped_share", opt(d.dropped_share)}};
}

json flags_json(const model::FlagsHealth& f) {
  return {{"known", f.known},
          {"in_consensus", f.in_consensus},
          {"flags", f.flags},
          {"lost", f.lost},
          {"gained", f.gained},
          {"changed_at", time_json(f.changed_at)},
          {"absent_since", time_json(f.absent_since)},
          {"published", time_json(f.published)},
          {"hibernating", f.hibernating},
          {"bridge", f.bridge}};
}

json dns_json(const model::DnsHealth& d) {
  return {{"is_exit", d.is_exit},
          {"queries", opt(d.queries.latest())},
          {"failures", opt(d.failures.latest())},
          {"timeouts", opt(d.timeouts.latest())},
          {"errors", counters_json(d.errors)},
          {"nameservers_down", d.nameservers_down.size()},
          {"all_down", d.all_down},
          {"hijacked", d.hijacked},
          {"useless", d.useless},
          {"last_event", time_json(d.last_event)}};
}

json accounting_json(const model::AccountingHealth& a) {
  // tor answers interval-end with the epoch while accounting is off.
  bool on = a.values.enabled.value_or(false);
  return {{"enabled", opt(a.values.enabled)},
          {"hibernating", a.values.hibernating},
          {"max_bytes", opt(a.max_bytes)},
          {"used_bytes", opt(a.used_bytes)},
          {"interval_end", on ? time_json(a.values.interval_end) : json(nullptr)},
          {"projected_exhaustion", time_json(a.projected_exhaustion)}};
}

}  // namespace

json health_to_json(const model::Health& h) {
  json concerns = json::array();
  for (const auto& [name, state] : model::health_concerns(h)) {
    concerns.push_back(state_json(name, *state));
  }
  return {
      {"updated", time_json(h.updated)},
      {"metrics_port", h.metrics_port},
      {"metrics_missing", h.metrics_missing},
      {"concerns", concerns},
      {"overload", overload_json(h.overload)},
      {"dos", dos_json(h.dos)},
      {"flags", flags_json(h.flags)},
      {"reachability",
       {{"ipv4", reach_json(h.reachability.ipv4)}, {"ipv6", reach_json(h.reachability.ipv6)}}},
      {"dns", dns_json(h.dns)},
      {"family",
       {{"configured", opt(h.family.configured)},
        {"id_configured", opt(h.family.id_configured)},
        {"members", h.family.members},
        {"certificates", h.family.certificates}}},
      {"memory",
       {{"max_in_queues", opt(h.memory.max_in_queues)},
        {"rss_bytes", opt(h.memory.rss_bytes)},
        {"oom_bytes", opt(h.memory.oom_bytes.latest())},
        {"last_oom", time_json(h.memory.last_oom)}}},
      {"accounting", accounting_json(h.accounting)},
      {"signing_key",
       {{"expires", time_json(h.signing_key.expires)},
        {"offline_master_key", opt(h.signing_key.offline_master_key)}}},
  };
}

}  // namespace relaymon::exporter
