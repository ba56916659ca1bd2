// Each connection rule: one synthetic situation where it must raise, one
// healthy one where it must not.
#include <catch2/catch.hpp>

#include "analysis/alerts.h"
#include "synthetic.h"

using namespace relaymon;
using namespace relaymon::testing;
using model::Category;

namespace {

std::vector<model::Alert> run_once(const model::Snapshot& s, model::TimePoint now = t0()) {
  analysis::Engine engine(immediate());
  engine.evaluate(s, now);
  return engine.alerts();
}

std::string evidence(const model::Alert& a, const std::string& key) {
  for (const auto& [k, v] : a.evidence) {
    if (k == key) return v;
  }
  return "";
}

}  // namespace

TEST_CASE("synthetic: a healthy relay raises nothing at all", "[rules]") {
  analysis::Engine engine(immediate());
  for (int i = 0; i < 10; ++i) engine.evaluate(healthy_relay(), at(i * 5));
  CHECK(engine.alerts().empty());
}

TEST_CASE("synthetic: asymmetric-traffic never judges one relay or exit connection",
          "[rules][truth]") {
  // A download through the relay: one-way on each of its connections by
  // nature (the 29 false alarms on a healthy middle).
  auto s = exit_relay();
  auto c = exit_connection("exit", 443, "ESTAB", t0() - std::chrono::seconds(30));
  c.bytes_in = 500'000'000;
  c.bytes_out = 20'000;
  s.connections.edit().push_back(c);
  s.connections.edit()[0].bytes_in = 20'000;  // the relay connection it leaves by
  s.connections.edit()[0].bytes_out = 500'000'000;
  CHECK(find_alert(run_once(s), "asymmetric-traffic") == std::nullopt);
}

namespace {

// `seconds` of BW samples, `read` and `written` bytes each second.
model::Snapshot with_traffic(model::Snapshot s, int seconds, std::uint64_t read,
                             std::uint64_t written) {
  for (int i = 0; i < seconds; ++i) {
    s.bandwidth.edit().push_back({t0() - std::chrono::seconds(seconds - i), read, written});
  }
  return s;
}

model::RelayState circuit_with(std::uint64_t read, std::uint64_t written,
                               const std::string& purpose = "GENERAL") {
  model::RelayState state;
  control::Event circ;
  circ.type = "CIRC";
  circ.payload = control::CircEvent{"7", "BUILT", {}, {}, purpose, "", "", "", "", "", {}, {}};
  state.apply_event(circ, t0());
  control::Event e;
  e.type = "CIRC_BW";
  e.payload = control::CircBwEvent{"7", read, written, "", {}, {}, {}, {}, {}, {}, {}, {}};
  state.apply_event(e, t0());
  return state;
}

}  // namespace

TEST_CASE("synthetic: asymmetric-traffic on the relay as a whole, its own circuits taken out",
          "[rules][truth]") {
  // Heavy and balanced (a healthy busy relay): nothing.
  CHECK(find_alert(run_once(with_traffic(healthy_relay(), 300, 2'000'000, 2'100'000)),
                   "asymmetric-traffic") == std::nullopt);
  // Reads 20 times what it writes, 600 MB in the window: a sink.
  auto sink = run_once(with_traffic(healthy_relay(), 300, 2'000'000, 100'000));
  auto a = find_alert(sink, "asymmetric-traffic");
  REQUIRE(a);
  CHECK(a->subject == "the relay reads far more than it writes");
  CHECK(a->severity == model::Severity::kWarning);
  // The same imbalance explained by its own circuit's download: nothing.
  auto state = circuit_with(570'000'000, 0);
  auto explained = with_state(with_traffic(healthy_relay(), 300, 2'000'000, 100'000), state);
  CHECK(find_alert(run_once(explained), "asymmetric-traffic") == std::nullopt);
  // Idle (under the floor): nothing however one-sided.
  CHECK(find_alert(run_once(with_traffic(healthy_relay(), 300, 50'000, 10)),
                   "asymmetric-traffic") == std::nullopt);
  // Only what moved within the window counts: old samples do not.
  auto old = with_traffic(healthy_relay(), 300, 2'000'000, 2'000'000);
  for (auto& b : old.bandwidth.edit()) b.time -= std::chrono::seconds(600);
  old = with_traffic(old, 300, 1'000'000, 1'000'000);
  CHECK(find_alert(run_once(old), "asymmetric-traffic") == std::nullopt);
}

TEST_CASE("synthetic: asymmetric-traffic takes out what the directory sockets moved in the window",
          "[rules][truth]") {
  // A directory mirror: its DirPort answers make it write 20 times what it
  // reads. The DirPort socket's counters, sampled at the window's start
  // and now, explain it; without them the same relay is judged a source.
  model::Connection dir;
  dir.key = 4242;
  dir.category = Category::kInboundDirectory;
  dir.direction = model::Direction::kInbound;
  dir.protocol = "tcp";
  dir.state = "ESTAB";
  dir.bytes_in = 1'000;
  dir.bytes_out = 0;
  auto start = healthy_relay();
  start.connections.edit().push_back(dir);
  auto busy = with_traffic(healthy_relay(), 290, 100'000, 2'000'000);
  dir.bytes_in = 30'000'000;
  dir.bytes_out = 560'000'000;
  auto explained = busy;
  explained.connections.edit().push_back(dir);

  analysis::Engine engine(immediate());
  engine.evaluate(start, t0() - std::chrono::seconds(290));
  engine.evaluate(explained, t0());
  CHECK(find_alert(engine.alerts(), "asymmetric-traffic") == std::nullopt);

  auto unexplained = find_alert(run_once(busy), "asymmetric-traffic");
  REQUIRE(unexplained);
  CHECK(unexplained->subject == "the relay writes far more than it reads");
  // A directory socket first seen now moved nothing relaymon saw: the
  // imbalance stands (its lifetime bytes are not the window's).
  auto a = find_alert(run_once(explained), "asymmetric-traffic");
  CHECK(a);
}

TEST_CASE("synthetic: asymmetric-traffic on an origin circuit sending far more than it gets",
          "[rules]") {
  analysis::Engine engine(immediate());
  engine.evaluate(with_state(healthy_relay(), circuit_with(1'000, 90'000'000)), t0());
  auto a = find_alert(engine.alerts(), "asymmetric-traffic");
  REQUIRE(a);
  CHECK(a->subject == "origin circuit 7");
  // A download on an origin circuit is what circuits are for.
  analysis::Engine quiet(immediate());
  quiet.evaluate(with_state(healthy_relay(), circuit_with(900'000'000, 1'000)), t0());
  CHECK(find_alert(quiet.alerts(), "asymmetric-traffic") == std::nullopt);
  // An onion service hosted by this tor sends its pages down its
  // rendezvous circuits: serving is what it is for (the loopback network's
  // client1 serves the traffic downloads this way).
  analysis::Engine service(immediate());
  service.evaluate(with_state(healthy_relay(), circuit_with(1'000, 90'000'000, "HS_SERVICE_REND")),
                   t0());
  CHECK(find_alert(service.alerts(), "asymmetric-traffic") == std::nullopt);
}

TEST_CASE("synthetic: unestablished-exit groups SYN-SENT exits by port and blames the firewall",
          "[rules]") {
  auto s = exit_relay();
  for (int i = 0; i < 3; ++i) {
    auto c = exit_connection("exit", 8443, "SYN-SENT", t0() - std::chrono::seconds(10 + i));
    c.local.port = static_cast<std::uint16_t>(41000 + i);
    s.connections.edit().push_back(c);
  }
  auto alerts = run_once(s);
  auto a = find_alert(alerts, "unestablished-exit");
  REQUIRE(a);
  CHECK(a->subject == "port 8443");
  CHECK(evidence(*a, "syn_sent") == "3");
  CHECK(evidence(*a, "policy_accepts_port") == "yes");
  CHECK(a->explanation.find("firewall") != std::string::npos);
}

TEST_CASE("synthetic: unestablished-exit ignores fresh SYN-SENT and established exits", "[rules]") {
  auto s = exit_relay();
  s.connections.edit().push_back(
      exit_connection("exit", 443, "SYN-SENT", t0() - std::chrono::seconds(1)));
  s.connections.edit().push_back(
      exit_connection("exit", 80, "ESTAB", t0() - std::chrono::seconds(60)));
  CHECK(find_alert(run_once(s), "unestablished-exit") == std::nullopt);
}

TEST_CASE("synthetic: private-address is a warning when the operator allowed private exits",
          "[rules]") {
  auto s = exit_relay();
  s.connections.edit().push_back(exit_connection("10.0.0.0/8", 80, "ESTAB", t0()));
  s.relay.exit_policy_reject_private = false;
  auto a = find_alert(run_once(s), "private-address");
  REQUIRE(a);
  CHECK(a->subject == "10.0.0.0/8");
  CHECK(a->severity == model::Severity::kWarning);
  CHECK(a->action.find("ExitPolicyRejectPrivate 1") != std::string::npos);
}

TEST_CASE("synthetic: private-address is critical when ExitPolicyRejectPrivate is 1", "[rules]") {
  for (std::string range :
       {"192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "fc00::/7", "fe80::/10"}) {
    auto s = exit_relay();
    auto c = exit_connection(range, 443, "ESTAB", t0());
    c.category = Category::kUnexpected;
    s.connections.edit().push_back(c);
    s.relay.exit_policy_reject_private = true;
    auto alerts = run_once(s);
    auto a = find_alert(alerts, "private-address");
    REQUIRE(a);
    CHECK(a->subject == range);
    CHECK(a->severity == model::Severity::kCritical);
  }
}

TEST_CASE("synthetic: private-address severity follows the exit policy when the option is unknown",
          "[rules]") {
  auto s = exit_relay();
  s.relay.exit_policy = {"reject 127.0.0.0/8:*", "accept *:*"};
  s.connections.edit().push_back(exit_connection("127.0.0.0/8", 80, "ESTAB", t0()));
  auto a = find_alert(run_once(s), "private-address");
  REQUIRE(a);
  CHECK(a->severity == model::Severity::kCritical);
}

TEST_CASE("synthetic: private-address ignores relay, DNS and public exit connections", "[rules]") {
  auto s = exit_relay();
  s.connections.edit().push_back(exit_connection("exit", 443, "ESTAB", t0()));
  model::Connection dns;
  dns.category = Category::kDns;
  dns.direction = model::Direction::kOutbound;
  dns.remote = {"127.0.0.53", 53};
  s.connections.edit().push_back(dns);
  auto relay = s.connections[0];
  relay.remote = {"10.1.2.3", 9001};  // a relay on a private network
  s.connections.edit().push_back(relay);
  CHECK(find_alert(run_once(s), "private-address") == std::nullopt);
}

TEST_CASE("synthetic: non-relay-outbound raises on a non-exit relay's unexpected connection",
          "[rules]") {
  auto s = healthy_relay();
  model::Connection c;
  c.category = Category::kUnexpected;
  c.direction = model::Direction::kOutbound;
  c.state = "ESTAB";
  c.remote = {"unexpected", 6667};
  c.scrubbed = true;
  s.connections.edit().push_back(c);
  auto a = find_alert(run_once(s), "non-relay-outbound");
  REQUIRE(a);
  CHECK(a->subject == "unexpected:6667");
}

TEST_CASE("synthetic: non-relay-outbound is quiet on exits and for relay connections", "[rules]") {
  auto s = healthy_relay();
  CHECK(find_alert(run_once(s), "non-relay-outbound") == std::nullopt);
  auto e = exit_relay();
  model::Connection c;
  c.category = Category::kUnexpected;
  c.direction = model::Direction::kOutbound;
  c.remote = {"unexpected", 6667};
  e.connections.edit().push_back(c);
  CHECK(find_alert(run_once(e), "non-relay-outbound") == std::nullopt);
}

namespace {

// `n` connections from one client host (one host key), each its own socket.
model::Snapshot with_clients(int n) {
  auto s = healthy_relay();
  for (int i = 0; i < n; ++i) {
    model::Connection c;
    c.category = Category::kInboundClient;
    c.direction = model::Direction::kInbound;
    c.state = "ESTAB";
    c.remote = {"client (DE)", 0};
    c.scrubbed = true;
    c.key = 1000 + static_cast<std::uint64_t>(i);
    c.host_key = 77;
    c.country = "DE";
    s.connections.edit().push_back(c);
  }
  return s;
}

}  // namespace

TEST_CASE("synthetic: connection-flood raises above the limit per address", "[rules]") {
  auto alerts = run_once(with_clients(51));
  auto a = find_alert(alerts, "connection-flood");
  REQUIRE(a);
  CHECK(a->subject == "host 000000 (inbound-client, DE)");  // a tag of the host key, no address
  // Relays on one address are normal: relay connections never count.
  auto relays = healthy_relay();
  for (int i = 0; i < 60; ++i) {
    auto c = relays.connections[0];
    c.key = 5000 + static_cast<std::uint64_t>(i);
    c.host_key = 88;
    relays.connections.edit().push_back(c);
  }
  CHECK(find_alert(run_once(relays), "connection-flood") == std::nullopt);
  CHECK(evidence(*a, "connections") == "51");
  CHECK(find_alert(run_once(with_clients(50)), "connection-flood") == std::nullopt);
}

TEST_CASE("synthetic: short-lived-connections raises when relay connections cycle fast",
          "[rules]") {
  analysis::Engine engine(immediate());
  // Every 5 s poll shows a new relay connection; the previous one is gone.
  for (int i = 0; i < 30; ++i) {
    auto s = healthy_relay();
    s.connections.edit()[0].key = static_cast<std::uint64_t>(40000 + i);
    s.connections.edit()[0].first_seen = at(i * 5);
    engine.evaluate(s, at(i * 5));
  }
  auto a = find_alert(engine.alerts(), "short-lived-connections");
  REQUIRE(a);
  CHECK(std::stod(evidence(*a, "median_lifetime_seconds")) < 10);
}

TEST_CASE("synthetic: short-lived-connections is quiet for long-lived relay connections",
          "[rules]") {
  analysis::Engine engine(immediate());
  for (int i = 0; i < 30; ++i) {
    auto s = healthy_relay();
    // A new connection every 2 minutes, each living 2 minutes.
    s.connections.edit()[0].key = static_cast<std::uint64_t>(40000 + i / 24);
    s.connections.edit()[0].first_seen = at((i / 24) * 120);
    engine.evaluate(s, at(i * 5));
  }
  CHECK(find_alert(engine.alerts(), "short-lived-connections") == std::nullopt);
}

TEST_CASE("synthetic: private-address is silent for a range the policy names (a test network)",
          "[rules][truth]") {
  auto s = exit_relay();
  s.relay.exit_policy = {"accept 127.0.0.1:*", "reject *:*"};
  s.relay.exit_policy_reject_private = false;
  auto c = exit_connection("127.0.0.0/8", 8080, "ESTAB", t0());
  c.exit_named_by_policy = true;  // the classifier's verdict for "accept 127.0.0.1:*"
  s.connections.edit().push_back(c);
  CHECK(find_alert(run_once(s), "private-address") == std::nullopt);
  // With ExitPolicyRejectPrivate 1 tor should never have opened it.
  s.relay.exit_policy_reject_private = true;
  CHECK(find_alert(run_once(s), "private-address"));
}

TEST_CASE("synthetic: short-lived-connections ignores lifetimes it did not see begin",
          "[rules][truth]") {
  // relaymon starts on a relay whose connections all close soon after:
  // their ages before relaymon looked are unknown, so they prove nothing.
  analysis::Engine engine(immediate());
  for (int i = 0; i < 30; ++i) {
    auto s = healthy_relay();
    s.connections.edit()[0].key = static_cast<std::uint64_t>(40000 + i);
    s.connections.edit()[0].first_seen = at(i * 5);
    s.connections.edit()[0].opened_before_relaymon = true;
    engine.evaluate(s, at(i * 5));
  }
  CHECK(find_alert(engine.alerts(), "short-lived-connections") == std::nullopt);
}

TEST_CASE("synthetic: unestablished-exit is quiet for a few dead destinations among many",
          "[rules][truth]") {
  auto s = exit_relay();
  for (int i = 0; i < 3; ++i) {
    s.connections.edit().push_back(
        exit_connection("exit", 443, "SYN-SENT", t0() - std::chrono::seconds(20)));
  }
  for (int i = 0; i < 30; ++i) {
    s.connections.edit().push_back(
        exit_connection("exit", 443, "ESTAB", t0() - std::chrono::seconds(20)));
  }
  CHECK(find_alert(run_once(s), "unestablished-exit") == std::nullopt);
}
