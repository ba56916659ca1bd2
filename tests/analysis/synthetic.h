// Hand-built snapshots for the rule tests ("synthetic" in test names):
// the situations the loopback network cannot produce, and exact timing.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "analysis/alerts.h"
#include "control/events.h"
#include "model/assemble.h"
#include "model/relay_state.h"
#include "model/snapshot.h"

namespace relaymon::testing {

inline model::TimePoint t0() {
  return model::TimePoint(std::chrono::seconds(1'800'000'000));
}
inline model::TimePoint at(double seconds) {
  return t0() +
         std::chrono::duration_cast<model::Clock::duration>(std::chrono::duration<double>(seconds));
}

// A healthy non-exit relay: in the consensus, cookie auth, few descriptors.
inline model::Snapshot healthy_relay() {
  model::Snapshot s;
  s.control.connected = true;
  s.control.endpoint = "127.0.0.1:9051";
  s.control.auth = model::AuthMethod::kSafeCookie;
  s.tor.version = "0.4.9.11";
  s.tor.version_status = "recommended";
  s.tor.uptime_seconds = 86400;
  s.relay.nickname = "synthetic";
  s.relay.fingerprint = std::string(40, 'A');
  s.relay.in_consensus = true;
  s.relay.exit_policy = {"reject *:*"};
  s.relay.is_exit = false;
  s.process.descriptors_used = 100;
  s.process.descriptor_limit = 1000;
  model::Connection relay;
  relay.category = model::Category::kOutboundRelay;
  relay.direction = model::Direction::kOutbound;
  relay.protocol = "tcp";
  relay.state = "ESTAB";
  relay.local = {"192.0.2.1", 40000};
  relay.remote = {"198.51.100.7", 9001};
  relay.relay_fingerprint = std::string(40, 'B');
  relay.relay_nickname = "peer";
  relay.bytes_in = 1'000'000;
  relay.bytes_out = 900'000;
  relay.first_seen = t0() - std::chrono::hours(1);
  s.connections.edit().push_back(relay);
  return s;
}

// An exit relay allowing everything, including private ranges.
inline model::Snapshot exit_relay() {
  model::Snapshot s = healthy_relay();
  s.relay.exit_policy = {"accept *:*"};
  s.relay.is_exit = true;
  return s;
}

inline model::Connection exit_connection(std::string address, std::uint16_t port, std::string state,
                                         model::TimePoint first_seen) {
  model::Connection c;
  c.category = model::Category::kExit;
  c.direction = model::Direction::kOutbound;
  c.protocol = "tcp";
  c.state = std::move(state);
  c.local = {"192.0.2.1", static_cast<std::uint16_t>(50000 + port % 1000)};
  c.remote = {std::move(address), port};
  c.scrubbed = true;
  c.first_seen = first_seen;
  return c;
}

// tor events as the model records them (what the rules read): fed through
// a RelayState, then its log and reachability record put into `s`.
inline model::Snapshot with_state(model::Snapshot s, const model::RelayState& state,
                                  model::TimePoint now = t0()) {
  model::Snapshot recorded = model::assemble_state(state, now);
  s.log = recorded.log;
  s.tor.reachability_succeeded = recorded.tor.reachability_succeeded;
  s.tor.reachability_failures = recorded.tor.reachability_failures;
  s.tor.testing_network = recorded.tor.testing_network;
  s.circuits = recorded.circuits;
  return s;
}

inline control::Event status_server(std::string action) {
  control::Event e;
  e.type = "STATUS_SERVER";
  control::StatusEvent status;
  status.severity = "WARN";
  status.action = std::move(action);
  e.payload = status;
  e.raw = "WARN " + status.action;
  return e;
}

inline control::Event log_event(std::string severity, std::string message) {
  control::Event e;
  e.type = severity;
  e.raw = message;
  e.payload = control::LogEvent{std::move(severity), std::move(message)};
  return e;
}

// The engine with every hold time 0, so one evaluation decides.
inline analysis::AlertConfig immediate() {
  auto c = analysis::AlertConfig::defaults();
  for (auto& [id, rule] : c.rules) rule.hold = 0;
  return c;
}

// A copy: Engine::alerts() returns a temporary.
inline std::optional<model::Alert> find_alert(const std::vector<model::Alert>& alerts,
                                              const std::string& id) {
  for (const auto& a : alerts) {
    if (a.id == id && a.active) return a;
  }
  return std::nullopt;
}

}  // namespace relaymon::testing
