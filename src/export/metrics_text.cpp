#include "export/metrics_text.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "analysis/alerts.h"
#include "export/prometheus_text.h"

namespace relaymon::exporter {

namespace {

class Exposition {
 public:
  void family(const char* name, const char* type, const char* help) {
    current_ = name;
    text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(const std::vector<std::pair<std::string, std::string>>& labels, double value) {
    std::string l;
    for (const auto& [k, v] : labels)
      l += fmt::format("{}{}=\"{}\"", l.empty() ? "" : ",", k, prometheus_label_value(v));
    text_ += fmt::format("{}{{{}}} {}\n", current_, l, value);
  }
  std::string text() && { return std::move(text_); }

 private:
  std::string current_;
  std::string text_;
};

// Relay health (issue 13): a state set per concern, and the figures an
// alert rule would compare. Relays only (a client has no health).
void add_health_families(Exposition& e, const std::vector<MetricsRelay>& relays) {
  auto relays_with_health = [&](auto each) {
    for (const auto& r : relays) {
      if (!r.snapshot->relay.fingerprint.empty() && r.snapshot->health.updated) each(r);
    }
  };
  e.family("relaymon_health", "gauge",
           "1 for the level each health concern is at (ok, warning, critical, unknown), else 0");
  relays_with_health([&](const MetricsRelay& r) {
    for (const auto& [label, state] : model::health_concerns(r.snapshot->health)) {
      for (auto level : {model::HealthLevel::kOk, model::HealthLevel::kWarning,
                         model::HealthLevel::kCritical, model::HealthLevel::kUnknown}) {
        e.sample({{"relay", r.label},
                  {"concern", model::health_concern_id(label)},
                  {"level", std::string(model::to_string(level))}},
                 state->level == level ? 1 : 0);
      }
    }
  });
  e.family("relaymon_health_metrics_port", "gauge",
           "1 when tor's MetricsPort was read at the last health update");
  relays_with_health([&](const MetricsRelay& r) {
    e.sample({{"relay", r.label}}, r.snapshot->health.metrics_port ? 1 : 0);
  });
  e.family("relaymon_health_onionskins_dropped_ratio", "gauge",
           "Onionskins tor dropped per onionskin asked for, over the health window");
  relays_with_health([&](const MetricsRelay& r) {
    if (auto share = r.snapshot->health.dos.dropped_share) e.sample({{"relay", r.label}}, *share);
  });
  e.family("relaymon_health_signing_key_expiry_timestamp_seconds", "gauge",
           "When the ed25519 signing certificate expires (OfflineMasterKey and MetricsPort)");
  relays_with_health([&](const MetricsRelay& r) {
    if (const auto& t = r.snapshot->health.signing_key.expires) {
      e.sample({{"relay", r.label}}, static_cast<double>(std::chrono::system_clock::to_time_t(*t)));
    }
  });
  e.family("relaymon_health_accounting_exhaustion_timestamp_seconds", "gauge",
           "When AccountingMax runs out at the average rate so far (accounting on)");
  relays_with_health([&](const MetricsRelay& r) {
    if (const auto& t = r.snapshot->health.accounting.projected_exhaustion) {
      e.sample({{"relay", r.label}}, static_cast<double>(std::chrono::system_clock::to_time_t(*t)));
    }
  });
}

}  // namespace

std::string render_metrics(const std::vector<MetricsRelay>& relays) {
  Exposition e;
  e.family("relaymon_up", "gauge", "1 when relaymon is connected to the relay's control port");
  for (const auto& r : relays)
    e.sample({{"relay", r.label}}, r.snapshot->control.connected ? 1 : 0);
  e.family("relaymon_collected", "gauge", "1 once a complete collection of the relay is in");
  for (const auto& r : relays) e.sample({{"relay", r.label}}, r.collected ? 1 : 0);
  e.family("relaymon_alerts_active", "gauge", "Active alerts by rule id and severity");
  for (const auto& r : relays) {
    std::map<std::pair<std::string, std::string>, long> counts;
    for (const auto& rule : analysis::rules()) {
      for (auto sev :
           {model::Severity::kInfo, model::Severity::kWarning, model::Severity::kCritical}) {
        counts[{std::string(rule.id), std::string(model::to_string(sev))}] = 0;
      }
    }
    for (const auto& a : r.snapshot->alerts) {
      if (a.active) ++counts[{a.id, std::string(model::to_string(a.severity))}];
    }
    for (const auto& [key, n] : counts) {
      e.sample({{"relay", r.label}, {"id", key.first}, {"severity", key.second}},
               static_cast<double>(n));
    }
  }
  e.family("relaymon_connections", "gauge", "tor's sockets by category");
  for (const auto& r : relays) {
    // Not connected: relaymon_up says so; zero connections would be a claim.
    if (!r.snapshot->control.connected) continue;
    std::map<std::string, long> counts;
    for (int c = 0; c <= static_cast<int>(model::Category::kUnexpected); ++c) {
      counts[std::string(model::to_string(static_cast<model::Category>(c)))] = 0;
    }
    for (const auto& c : r.snapshot->connections)
      ++counts[std::string(model::to_string(c.category))];
    for (const auto& [category, n] : counts) {
      e.sample({{"relay", r.label}, {"category", category}}, static_cast<double>(n));
    }
  }
  e.family("relaymon_traffic_read_bytes_total", "counter", "Bytes tor has read (traffic/read)");
  for (const auto& r : relays) {
    if (r.snapshot->tor.traffic_read)
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot->tor.traffic_read));
  }
  e.family("relaymon_traffic_written_bytes_total", "counter",
           "Bytes tor has written (traffic/written)");
  for (const auto& r : relays) {
    if (r.snapshot->tor.traffic_written) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot->tor.traffic_written));
    }
  }
  e.family("relaymon_bandwidth_bytes_per_second", "gauge", "The last BW event, by direction");
  for (const auto& r : relays) {
    if (r.snapshot->bandwidth.empty()) continue;
    const auto& b = r.snapshot->bandwidth.back();
    e.sample({{"relay", r.label}, {"direction", "read"}}, static_cast<double>(b.read));
    e.sample({{"relay", r.label}, {"direction", "written"}}, static_cast<double>(b.written));
  }
  e.family("relaymon_descriptors_used", "gauge", "File descriptors tor has open");
  for (const auto& r : relays) {
    if (r.snapshot->process.descriptors_used) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot->process.descriptors_used));
    }
  }
  e.family("relaymon_descriptors_limit", "gauge", "tor's file descriptor limit");
  for (const auto& r : relays) {
    if (r.snapshot->process.descriptor_limit) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot->process.descriptor_limit));
    }
  }
  e.family("relaymon_crosscheck_connections", "gauge",
           "Cross-check of OR connections: matched, only_control, only_system, persistent");
  for (const auto& r : relays) {
    if (!r.snapshot->control.connected) continue;
    const auto& x = r.snapshot->crosscheck;
    e.sample({{"relay", r.label}, {"result", "matched"}}, static_cast<double>(x.matched));
    e.sample({{"relay", r.label}, {"result", "only_control"}}, static_cast<double>(x.only_control));
    e.sample({{"relay", r.label}, {"result", "only_system"}}, static_cast<double>(x.only_system));
    e.sample({{"relay", r.label}, {"result", "persistent"}},
             static_cast<double>(x.persistent.size()));
  }
  e.family("relaymon_tor_info", "gauge",
           "Always 1: tor's version and what tor's directory says of it (status/version/current)");
  for (const auto& r : relays) {
    if (r.snapshot->tor.version.empty()) continue;
    e.sample({{"relay", r.label},
              {"version", r.snapshot->tor.version},
              {"version_status", r.snapshot->tor.version_status}},
             1);
  }
  e.family("relaymon_relay_in_consensus", "gauge",
           "1 when the relay's own consensus lists it (relays only: tor has a fingerprint)");
  for (const auto& r : relays) {
    if (r.snapshot->relay.fingerprint.empty()) continue;
    e.sample({{"relay", r.label}}, r.snapshot->relay.in_consensus ? 1 : 0);
  }
  e.family("relaymon_relay_flag", "gauge",
           "Always 1, one sample per flag the relay's consensus entry gives it");
  for (const auto& r : relays) {
    for (const auto& flag : r.snapshot->relay.flags)
      e.sample({{"relay", r.label}, {"flag", flag}}, 1);
  }
  e.family("relaymon_uptime_seconds", "gauge", "tor's uptime");
  for (const auto& r : relays) {
    if (r.snapshot->tor.uptime_seconds)
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot->tor.uptime_seconds));
  }
  add_health_families(e, relays);
  return std::move(e).text();
}

}  // namespace relaymon::exporter
