#include <fmt/format.h>

#include "analysis/rules_health.h"
#include "analysis/rules_internal.h"

namespace relaymon::analysis {

namespace d = detail;

const std::vector<Rule>& rules() {
  static const std::vector<Rule> all = [] {
    std::vector<Rule> list = {
        {"asymmetric-traffic", "the relay, or one of its own circuits, moves far more one way",
         d::asymmetric_traffic},
        {"unestablished-exit", "exit connections stuck in SYN-SENT, by destination port",
         d::unestablished_exit},
        {"private-address", "a tor socket to a private or reserved address range",
         d::private_address},
        {"non-relay-outbound", "a non-exit relay connects to something that is not a relay",
         d::non_relay_outbound},
        {"connection-flood", "too many connections with one address", d::connection_flood},
        {"short-lived-connections", "relay connections closing abnormally fast",
         d::short_lived_connections},
        {"crosscheck-mismatch", "the control port and the system persistently disagree",
         d::crosscheck_mismatch},
        {"descriptors-near-limit", "file descriptors close to the limit",
         d::descriptors_near_limit},
        {"circuit-stuck", "origin circuits that never finish building", d::circuit_stuck},
        {"orport-unreachable", "tor cannot confirm that its ORPort is reachable",
         d::orport_unreachable},
        {"tor-version", "tor's version is obsolete or not recommended", d::tor_version},
        {"control-port-open", "the control port needs no authentication on TCP",
         d::control_port_open},
        {"tor-warnings", "tor logged warnings or errors", d::tor_warnings},
        {"safe-logging-off", "tor writes client addresses and destinations to its logs",
         d::safe_logging_off},
        {"tor-unreachable", "relaymon cannot reach tor's control port", d::tor_unreachable},
    };
    for (const auto& rule : health_rules()) list.push_back(rule);
    return list;
  }();
  return all;
}

bool judges_the_connection(std::string_view rule_id) {
  return rule_id == "tor-unreachable";
}

// The documented defaults (man/relaymon.1, ALERTS): change both together.
AlertConfig AlertConfig::defaults() {
  AlertConfig c;
  auto rule = [&c](const char* id, double hold, double clear,
                   std::map<std::string, double, std::less<>> params) {
    c.rules[id] = RuleSettings{true, hold, clear, std::move(params)};
  };
  rule("asymmetric-traffic", 60, 120,
       {{"factor", 10}, {"floor_bytes", 50 * 1024 * 1024}, {"window", 300}});
  rule("unestablished-exit", 0, 30,
       {{"stuck_seconds", 5}, {"min_connections", 3}, {"min_share", 0.5}});
  rule("private-address", 10, 60, {});
  rule("non-relay-outbound", 10, 60, {});
  rule("connection-flood", 30, 60, {{"max_connections", 50}});
  rule("short-lived-connections", 60, 300,
       {{"median_seconds", 10}, {"min_closed", 20}, {"window", 600}});
  rule("crosscheck-mismatch", 0, 60, {{"polls", 3}});
  rule("descriptors-near-limit", 0, 60,
       {{"warning_ratio", 0.80}, {"critical_ratio", 0.95}, {"clear_margin", 0.05}});
  rule("circuit-stuck", 0, 60, {{"seconds", 120}, {"min_circuits", 1}});
  rule("orport-unreachable", 0, 600, {{"startup_seconds", 1200}});
  rule("tor-version", 0, 0, {});
  rule("control-port-open", 0, 0, {});
  rule("tor-warnings", 0, 600, {});
  rule("safe-logging-off", 0, 0, {});
  rule("tor-unreachable", 30, 0, {});
  add_health_defaults(c);
  return c;
}

namespace detail {

std::optional<model::ExitPolicy> exit_policy_of(const model::Snapshot& s) {
  if (s.relay.exit_policy.empty()) return std::nullopt;
  std::string text;
  for (const auto& line : s.relay.exit_policy) text += line + "\n";
  return model::ExitPolicy::parse(text);
}

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, units[u]);
}

}  // namespace detail

}  // namespace relaymon::analysis
