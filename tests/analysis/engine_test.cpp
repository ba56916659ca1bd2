#include <catch2/catch.hpp>

#include "analysis/alerts.h"
#include "synthetic.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

// A snapshot whose descriptor use is `used` of 1000.
model::Snapshot with_descriptors(long used) {
  auto s = healthy_relay();
  s.process.descriptors_used = used;
  return s;
}

}  // namespace

TEST_CASE("synthetic: a rule raises only after its hold time", "[engine]") {
  auto config = analysis::AlertConfig::defaults();
  config.rules["descriptors-near-limit"].hold = 30;
  analysis::Engine engine(config);
  CHECK(engine.evaluate(with_descriptors(900), at(0)).empty());
  CHECK(engine.evaluate(with_descriptors(900), at(20)).empty());
  CHECK(find_alert(engine.alerts(), "descriptors-near-limit") == std::nullopt);
  auto changes = engine.evaluate(with_descriptors(900), at(30));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == analysis::AlertChange::Kind::kRaised);
  auto a = find_alert(engine.alerts(), "descriptors-near-limit");
  REQUIRE(a);
  CHECK(a->first_seen == at(0));
  CHECK(a->last_seen == at(30));
  CHECK(a->count == 1);  // one incident, seen by three polls
  CHECK(!a->explanation.empty());
  CHECK(!a->action.empty());
}

TEST_CASE("synthetic: a condition that breaks before its hold time never raises", "[engine]") {
  auto config = analysis::AlertConfig::defaults();
  config.rules["descriptors-near-limit"].hold = 30;
  analysis::Engine engine(config);
  engine.evaluate(with_descriptors(900), at(0));
  engine.evaluate(with_descriptors(100), at(10));
  CHECK(engine.evaluate(with_descriptors(900), at(35)).empty());  // restarted at 35
  CHECK(engine.alerts().empty());
}

TEST_CASE("synthetic: clearing waits for the clear time and the threshold margin", "[engine]") {
  auto config = immediate();
  config.rules["descriptors-near-limit"].clear = 60;
  analysis::Engine engine(config);
  REQUIRE(engine.evaluate(with_descriptors(810), at(0)).size() == 1);
  // 790 is below 80 % but above 80 - 5 %: still the same condition.
  CHECK(engine.evaluate(with_descriptors(790), at(100)).empty());
  CHECK(find_alert(engine.alerts(), "descriptors-near-limit"));
  // Below the margin: gone, but only cleared once gone for 60 s.
  CHECK(engine.evaluate(with_descriptors(700), at(110)).empty());
  CHECK(find_alert(engine.alerts(), "descriptors-near-limit"));
  auto changes = engine.evaluate(with_descriptors(700), at(161));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == analysis::AlertChange::Kind::kCleared);
  CHECK(find_alert(engine.alerts(), "descriptors-near-limit") == std::nullopt);
  // Cleared alerts stay listed, inactive, without the numbers that held
  // while they were active.
  REQUIRE(engine.alerts().size() == 1);
  CHECK_FALSE(engine.alerts()[0].active);
  REQUIRE(engine.alerts()[0].evidence.size() == 1);
  CHECK(engine.alerts()[0].evidence[0].first == "cleared");
  CHECK(engine.alerts()[0].evidence[0].second == "not seen for 61 s (the rule's clear time)");
}

TEST_CASE("synthetic: the count is of incidents: raised, cleared, raised again", "[engine]") {
  auto config = immediate();
  config.rules["descriptors-near-limit"].clear = 0;
  analysis::Engine engine(config);
  for (int poll = 0; poll < 5; ++poll) engine.evaluate(with_descriptors(900), at(poll * 5));
  CHECK(find_alert(engine.alerts(), "descriptors-near-limit")->count == 1);
  engine.evaluate(with_descriptors(100), at(30));  // cleared
  engine.evaluate(with_descriptors(900), at(35));  // the second incident
  engine.evaluate(with_descriptors(900), at(40));
  auto a = find_alert(engine.alerts(), "descriptors-near-limit");
  REQUIRE(a);
  CHECK(a->active);
  CHECK(a->count == 2);
}

TEST_CASE("synthetic: flapping on the boundary does not raise and clear repeatedly", "[engine]") {
  auto config = immediate();
  analysis::Engine engine(config);
  int raised = 0, cleared = 0;
  for (int i = 0; i < 20; ++i) {
    for (auto& c : engine.evaluate(with_descriptors(i % 2 ? 801 : 799), at(i * 5))) {
      (c.kind == analysis::AlertChange::Kind::kRaised ? raised : cleared)++;
    }
  }
  CHECK(raised == 1);
  CHECK(cleared == 0);
}

TEST_CASE("synthetic: a disabled rule never raises", "[engine]") {
  auto config = immediate();
  REQUIRE(config.set("alert.descriptors-near-limit.enabled", "0").empty());
  analysis::Engine engine(config);
  CHECK(engine.evaluate(with_descriptors(999), at(0)).empty());
}

TEST_CASE("synthetic: one-shot evaluation ignores hold times", "[engine]") {
  analysis::Engine engine;  // defaults: connection-flood holds 30 s
  auto s = healthy_relay();
  for (int i = 0; i < 500; ++i) {
    model::Connection c;
    c.category = model::Category::kInboundClient;
    c.direction = model::Direction::kInbound;
    c.state = "ESTAB";
    c.remote = {"client (DE)", 0};
    c.key = 1000 + static_cast<std::uint64_t>(i);
    c.host_key = 7;
    s.connections.edit().push_back(c);
  }
  auto changes = engine.evaluate(s, at(0), true);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].alert.id == "connection-flood");
}

TEST_CASE("alert config keys: thresholds, hold, clear, enabled, errors name the problem",
          "[engine][config]") {
  auto c = analysis::AlertConfig::defaults();
  CHECK(c.rules.size() == analysis::rules().size());
  CHECK(c.set("alert.connection-flood.max_connections", "200").empty());
  CHECK(c.find("connection-flood")->param("max_connections") == 200);
  CHECK(c.set("alert.connection-flood.hold", "5").empty());
  CHECK(c.find("connection-flood")->hold == 5);
  CHECK(c.set("alert.connection-flood.clear", "7.5").empty());
  CHECK(c.find("connection-flood")->clear == 7.5);
  CHECK(c.set("alert.no-such-rule.hold", "5").find("unknown alert rule") != std::string::npos);
  CHECK(c.set("alert.connection-flood.nope", "5").find("no setting") != std::string::npos);
  CHECK_FALSE(c.set("alert.connection-flood.hold", "soon").empty());
  CHECK_FALSE(c.set("alert.connection-flood.hold", "-1").empty());
  CHECK_FALSE(c.set("alert.connection-flood.enabled", "2").empty());
  CHECK_FALSE(c.set("alert.connection-flood", "2").empty());
}

TEST_CASE("alert log lines carry no prefix of their own, and the evidence", "[engine]") {
  analysis::Engine engine(immediate());
  auto changes = engine.evaluate(with_descriptors(990), at(0));
  REQUIRE(changes.size() == 1);
  std::string line = analysis::log_line(changes[0]);
  // One prefix only, added by the log page ("[ERR] relaymon: alert ...").
  CHECK(line.rfind("alert descriptors-near-limit raised: file descriptors", 0) == 0);
  CHECK(line.find("used=990") != std::string::npos);
  CHECK(analysis::log_severity(model::Severity::kWarning) == "WARN");
}

TEST_CASE("synthetic: tor unreachable raises after its hold, other alerts keep their state",
          "[engine]") {
  analysis::Engine engine;  // the documented defaults: tor-unreachable holds 30 s
  auto config = analysis::AlertConfig::defaults();
  REQUIRE(config.find("tor-unreachable")->hold == 30);
  // Connected, with descriptors near the limit (held 0 by default).
  engine.evaluate(with_descriptors(990), at(0));
  REQUIRE(find_alert(engine.alerts(), "descriptors-near-limit"));
  // tor goes away: the snapshot still holds the last figures.
  auto gone = with_descriptors(990);
  gone.control.connected = false;
  gone.control.endpoint = "127.0.0.1:9051";
  gone.control.disconnected_since = at(5);
  gone.control.last_error = "nothing is listening at 127.0.0.1:9051";
  gone.control.reconnect_attempt = 3;
  CHECK(engine.evaluate_disconnected(gone, at(5)).empty());   // a restart takes seconds
  CHECK(engine.evaluate_disconnected(gone, at(20)).empty());  // still within the hold
  auto changes = engine.evaluate_disconnected(gone, at(36));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == analysis::AlertChange::Kind::kRaised);
  CHECK(changes[0].alert.id == "tor-unreachable");
  CHECK(changes[0].alert.subject == "127.0.0.1:9051");
  CHECK(changes[0].alert.severity == model::Severity::kCritical);
  // The alert whose rule did not run stays active, neither cleared nor re-judged.
  auto still = find_alert(engine.alerts(), "descriptors-near-limit");
  REQUIRE(still);
  CHECK(still->active);
  // Back: the unreachable alert clears (clear 0) at the first connected round.
  changes = engine.evaluate(with_descriptors(990), at(60));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == analysis::AlertChange::Kind::kCleared);
  CHECK(changes[0].alert.id == "tor-unreachable");
}

TEST_CASE("synthetic: relaymon giving up raises tor unreachable at once", "[engine]") {
  analysis::Engine engine;
  auto refused = healthy_relay();
  refused.control.connected = false;
  refused.control.gave_up = true;
  refused.control.disconnected_since = at(0);
  refused.control.last_error = "tor refused password authentication";
  auto changes = engine.evaluate_disconnected(refused, at(0), true);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].alert.id == "tor-unreachable");
  auto a = find_alert(engine.alerts(), "tor-unreachable");
  REQUIRE(a);
  CHECK(a->action.find("start relaymon again") != std::string::npos);
}

TEST_CASE("synthetic: a tor still being connected to for the first time is no alarm", "[engine]") {
  analysis::Engine engine;
  auto connecting = healthy_relay();
  connecting.control.connected = false;
  CHECK(engine.evaluate_disconnected(connecting, at(0), true).empty());
}
