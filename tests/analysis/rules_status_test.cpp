// Each status/event rule: one synthetic situation where it must raise, one
// healthy one where it must not.
#include <catch2/catch.hpp>

#include "analysis/alerts.h"
#include "synthetic.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

std::optional<model::Alert> once(const std::string& id, const model::Snapshot& s,
                                 analysis::Engine& engine, model::TimePoint now = t0()) {
  engine.evaluate(s, now);
  return find_alert(engine.alerts(), id);
}

std::optional<model::Alert> once(const std::string& id, const model::Snapshot& s) {
  analysis::Engine engine(immediate());
  return once(id, s, engine);
}

}  // namespace

TEST_CASE("synthetic: crosscheck-mismatch raises on persistent discrepancies only", "[rules]") {
  auto s = healthy_relay();
  s.crosscheck.matched = 5;
  s.crosscheck.only_control = 1;
  CHECK(once("crosscheck-mismatch", s) == std::nullopt);  // one-off lag
  s.crosscheck.persistent = {"relay $AAAA reported by tor, not seen by the system (for 3 polls)"};
  auto a = once("crosscheck-mismatch", s);
  REQUIRE(a);
  CHECK(a->subject == "control port vs system");
}

TEST_CASE("synthetic: descriptors-near-limit warns at 80 % and is critical at 95 %", "[rules]") {
  auto s = healthy_relay();
  s.process.descriptors_used = 799;
  CHECK(once("descriptors-near-limit", s) == std::nullopt);
  s.process.descriptors_used = 800;
  auto a = once("descriptors-near-limit", s);
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kWarning);
  s.process.descriptors_used = 950;
  a = once("descriptors-near-limit", s);
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kCritical);
  s.process.descriptors_used.reset();  // unknown is not an alert
  CHECK(once("descriptors-near-limit", s) == std::nullopt);
}

TEST_CASE("synthetic: circuit-stuck raises for origin circuits unbuilt past the threshold",
          "[rules]") {
  auto s = healthy_relay();
  model::Circuit c;
  c.id = "42";
  c.status = "EXTENDED";
  c.created = t0() - std::chrono::seconds(300);
  s.circuits.edit().push_back(c);
  auto a = once("circuit-stuck", s);
  REQUIRE(a);
  CHECK(a->evidence[2].second == "42");
  s.circuits.edit()[0].status = "BUILT";
  CHECK(once("circuit-stuck", s) == std::nullopt);
  s.circuits.edit()[0].status = "LAUNCHED";
  s.circuits.edit()[0].created = t0() - std::chrono::seconds(5);
  CHECK(once("circuit-stuck", s) == std::nullopt);
}

TEST_CASE(
    "synthetic: orport-unreachable raises on rejected descriptors and leaves REACHABILITY_FAILED "
    "to reachability-failing",
    "[rules]") {
  analysis::Engine engine(immediate());
  model::RelayState state;
  state.apply_event(status_server("BAD_SERVER_DESCRIPTOR"), t0());
  state.apply_event(status_server("BAD_SERVER_DESCRIPTOR"), at(1));
  auto a = once("orport-unreachable", with_state(healthy_relay(), state), engine, at(2));
  REQUIRE(a);
  CHECK(a->subject == "BAD_SERVER_DESCRIPTOR");
  CHECK(a->severity == model::Severity::kCritical);
  CHECK(a->count == 2);
  // Already counted: the next round does not raise them again.
  engine.evaluate(with_state(healthy_relay(), state), at(100));
  CHECK(find_alert(engine.alerts(), "orport-unreachable")->count == 2);
  // One failure, one alert: reachability-failing has it, per address family.
  analysis::Engine failed(immediate());
  model::RelayState failed_state;
  failed_state.apply_event(status_server("REACHABILITY_FAILED"), t0());
  CHECK_FALSE(once("orport-unreachable", with_state(healthy_relay(), failed_state), failed));
}

TEST_CASE("synthetic: orport-unreachable raises without success long after start", "[rules]") {
  auto s = healthy_relay();
  s.relay.in_consensus = false;
  s.tor.uptime_seconds = 3600;
  auto a = once("orport-unreachable", s);
  REQUIRE(a);
  CHECK(a->subject == "no reachability confirmation");
}

TEST_CASE("synthetic: orport-unreachable is quiet when reachable, young or in the consensus",
          "[rules]") {
  CHECK(once("orport-unreachable", healthy_relay()) == std::nullopt);
  auto s = healthy_relay();
  s.relay.in_consensus = false;
  s.tor.uptime_seconds = 600;  // still within the startup allowance
  CHECK(once("orport-unreachable", s) == std::nullopt);
  s.tor.uptime_seconds = 3600;
  analysis::Engine engine(immediate());
  model::RelayState state;
  state.apply_event(status_server("REACHABILITY_SUCCEEDED"), t0());
  CHECK(once("orport-unreachable", with_state(s, state), engine) == std::nullopt);
  CHECK(once("orport-unreachable", with_state(s, state), engine, at(60)) ==
        std::nullopt);  // remembered
}

TEST_CASE("synthetic: tor-version raises for obsolete and unrecommended versions", "[rules]") {
  auto s = healthy_relay();
  for (std::string status : {"obsolete", "unrecommended", "old"}) {
    s.tor.version_status = status;
    auto a = once("tor-version", s);
    REQUIRE(a);
    CHECK(a->subject == "tor 0.4.9.11");
  }
  for (std::string status : {"recommended", "new", "new in series", ""}) {
    s.tor.version_status = status;
    CHECK(once("tor-version", s) == std::nullopt);
  }
}

TEST_CASE("synthetic: control-port-open raises for NULL authentication on TCP", "[rules]") {
  auto s = healthy_relay();
  s.control.auth = model::AuthMethod::kNone;
  auto a = once("control-port-open", s);
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kWarning);
  s.control.endpoint = "192.0.2.1:9051";
  a = once("control-port-open", s);
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kCritical);
}

TEST_CASE("synthetic: control-port-open is quiet with authentication or a unix socket", "[rules]") {
  auto s = healthy_relay();
  CHECK(once("control-port-open", s) == std::nullopt);
  s.control.auth = model::AuthMethod::kNone;
  s.control.endpoint = "/run/tor/control";
  CHECK(once("control-port-open", s) == std::nullopt);
}

TEST_CASE("synthetic: tor-warnings deduplicates WARN/ERR messages and scrubs addresses",
          "[rules]") {
  analysis::Engine engine(immediate());
  model::RelayState state;
  for (int i = 0; i < 3; ++i) {
    state.apply_event(log_event("WARN", "Problem bootstrapping. Stuck at 10%."), t0());
  }
  state.apply_event(log_event("ERR", "Could not bind to 203.0.113.5:9001: Address already in use"),
                    t0());
  state.apply_event(log_event("NOTICE", "Bootstrapped 100% (done): Done"), t0());
  auto logged = with_state(healthy_relay(), state);
  engine.evaluate(logged, t0());
  auto alerts = engine.alerts();
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[0].severity == model::Severity::kCritical);  // most severe first
  CHECK(alerts[0].subject == "Could not bind to [scrubbed]:9001: Address already in use");
  CHECK(alerts[1].count == 3);
  // Quiet rounds keep it until the clear time (600 s), then clear it.
  // The same log again: nothing new in it, nothing counted twice.
  engine.evaluate(logged, at(300));
  CHECK(find_alert(engine.alerts(), "tor-warnings"));
  CHECK(engine.alerts()[1].count == 3);
  engine.evaluate(logged, at(601));
  CHECK(find_alert(engine.alerts(), "tor-warnings") == std::nullopt);
}

TEST_CASE("synthetic: tor-warnings ignores NOTICE and INFO", "[rules]") {
  analysis::Engine engine(immediate());
  model::RelayState state;
  state.apply_event(log_event("NOTICE", "Self-testing indicates your ORPort is reachable"), t0());
  state.apply_event(log_event("INFO", "circuit_build_times_add_time"), t0());
  CHECK(once("tor-warnings", with_state(healthy_relay(), state), engine) == std::nullopt);
}

// The messages are the ones tor 0.4.9.11 logged on the loopback network
// (scripts/testnet); a public relay (TestingTorNetwork 0) is alerted on
// every one of them.
TEST_CASE("synthetic: tor-warnings skips a test network's by-design warnings only there",
          "[rules]") {
  const char* by_design[] = {
      "Received http status code 404 (\"Not found\") from server 127.0.0.1:7001 while "
      "fetching consensus directory.",
      "Could not find a node that matches the configured _HSLayer2Nodes set",
      "No available nodes when trying to choose node. Failing.",
      "Guard middle1 ($7183D5015D1CC577B887D95409BE988ADA4F3171) is failing an extremely large "
      "amount of circuits. This could indicate a route manipulation attack, extreme network "
      "overload, or a bug. Success counts are 2/151.",
      "TestingTorNetwork is set. This will make your node almost unusable in the public Tor "
      "network, and is therefore only advised if you are building a testing Tor network!",
  };
  for (bool testing : {true, false}) {
    analysis::Engine engine(immediate());
    model::RelayState state;
    state.apply_conf("TestingTorNetwork", testing ? "1" : "0");
    for (const char* message : by_design) state.apply_event(log_event("WARN", message), t0());
    state.apply_event(log_event("WARN", "Your system clock just jumped 100 seconds forward"), t0());
    auto logged = with_state(healthy_relay(), state);
    engine.evaluate(logged, t0());
    INFO("TestingTorNetwork " << testing);
    long warnings = 0;
    for (const auto& a : engine.alerts()) warnings += a.id == "tor-warnings";
    CHECK(warnings == (testing ? 1 : 6));
  }
}

TEST_CASE("synthetic: safe-logging-off by SafeLogging value, silent on a test network", "[rules]") {
  auto s = healthy_relay();
  CHECK(once("safe-logging-off", s) == std::nullopt);  // unknown: silent
  s.tor.safe_logging = "1";
  CHECK(once("safe-logging-off", s) == std::nullopt);
  s.tor.safe_logging = "0";
  auto a = once("safe-logging-off", s);
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kWarning);
  CHECK(a->subject == "SafeLogging 0");
  s.tor.safe_logging = "relay";
  REQUIRE(once("safe-logging-off", s));
  CHECK(once("safe-logging-off", s)->severity == model::Severity::kInfo);
  s.tor.safe_logging = "0";
  s.tor.testing_network = true;
  CHECK(once("safe-logging-off", s) == std::nullopt);
}
