// The health model from real captures (tor 0.4.9.11 on the loopback
// network) and, where loopback cannot produce a situation, from inputs
// built by hand ("synthetic" in the name).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "control/framing.h"
#include "model/health.h"
#include "model/relay_index.h"
#include "model/snapshot.h"
#include "model_fixtures.h"

using namespace relaymon;
using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::read_fixture;

namespace {

const std::string kHealth = "tor-0.4.9.11-health/";

HealthTime at(const char* utc) {
  auto t = parse_tor_time(utc);
  REQUIRE(t);
  return *t;
}

HealthTime later(HealthTime t, double seconds) {
  return t +
         std::chrono::duration_cast<HealthClock::duration>(std::chrono::duration<double>(seconds));
}

ConsensusEntry own_entry(const std::string& relative) {
  auto parsed = parse_consensus(getinfo_value(relative));
  REQUIRE(parsed.relays.size() == 1);
  return to_consensus_entry(parsed.relays[0]);
}

HealthStatusEvent status(HealthStatusEvent::Kind kind, std::string address = {}) {
  HealthStatusEvent e;
  e.kind = kind;
  e.or_address = std::move(address);
  e.family = e.or_address.rfind("[", 0) == 0 ? AddressFamily::kIPv6 : AddressFamily::kIPv4;
  return e;
}

}  // namespace

TEST_CASE("a healthy real middle: every concern it has a source for says ok", "[health]") {
  auto desc =
      parse_fresh_relay_descs(getinfo_value(kHealth + "middle1/getinfo-fresh-relay-descs.txt"));
  auto metrics = parse_prometheus_text(read_fixture(kHealth + "middle1/metrics.txt"));
  auto entry = own_entry(kHealth + "middle1/getinfo-ns-id-own.txt");
  HealthInputs in;
  in.now = at("2026-12-06 18:36:00");
  in.descriptors = &desc;
  in.metrics = &metrics;
  in.own_entry_polled = true;
  in.own_entry = &entry;
  in.max_mem_in_queues = 8589934592u;
  in.rss_bytes = 80u << 20;
  in.is_exit = false;
  in.family_configured = true;
  in.family_id_configured = true;
  in.offline_master_key = false;
  Health h = update_health({}, in);
  CHECK(h.metrics_port);
  CHECK(h.metrics_missing.empty());
  CHECK(h.overload.state.level == HealthLevel::kOk);
  CHECK(h.overload.bandwidth_observed == 419106u);
  CHECK(h.overload.sockets_limit.value_or(0) > 0);
  CHECK(h.dos.state.level == HealthLevel::kOk);
  CHECK(h.dos.counters.size() >= 9);
  CHECK(h.flags.state.level == HealthLevel::kOk);
  CHECK(h.flags.in_consensus);
  CHECK(h.flags.flags ==
        std::vector<std::string>{"Fast", "Guard", "HSDir", "Running", "V2Dir", "Valid"});
  CHECK(h.dns.state.level == HealthLevel::kOk);
  CHECK(h.dns.state.problem == "not an exit");
  CHECK(h.family.state.level == HealthLevel::kOk);
  CHECK(h.family.certificates == 1);
  CHECK(h.family.tor_version == "0.4.9.11");
  CHECK(h.memory.state.level == HealthLevel::kOk);
  // An online master key: tor renews the signing key and exports no expiry.
  CHECK(h.signing_key.state.level == HealthLevel::kOk);
  CHECK(h.signing_key.state.code == "online");
  CHECK_FALSE(h.signing_key.expires);
  CHECK(h.reachability.state.level == HealthLevel::kUnknown);
  CHECK(h.accounting.state.level == HealthLevel::kUnknown);
  CHECK(health_line(h.family.state, 60) == "ok");
  CHECK(health_line(h.dns.state, 60) == "ok, not an exit");
}

TEST_CASE("no MetricsPort: the figures it alone gives are unknown, and it says why", "[health]") {
  HealthInputs in;
  in.now = at("2026-12-06 18:36:00");
  in.metrics_error = "no MetricsPort (GETCONF MetricsPort is empty)";
  in.is_exit = true;
  Health h = update_health({}, in);
  CHECK_FALSE(h.metrics_port);
  CHECK(h.metrics_missing.find("no MetricsPort") == 0);
  CHECK(h.metrics_missing.find("signing-key expiry") != std::string::npos);
  CHECK(h.dos.state.level == HealthLevel::kUnknown);
  CHECK(h.dns.state.level == HealthLevel::kUnknown);
  CHECK(h.signing_key.state.level == HealthLevel::kUnknown);
  CHECK(h.signing_key.state.source == "needs MetricsPort");
  CHECK(health_line(h.dns.state, 80).rfind("unknown (no MetricsPort", 0) == 0);
}

TEST_CASE("real DoS run: concurrent connection rejections rise between two polls", "[health]") {
  auto before = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-before.txt"));
  auto after = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-after.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:35:30");
  in.metrics = &before;
  Health h = update_health({}, in);
  // One sample: nothing has risen yet (the 19 before the run are history).
  CHECK(h.dos.state.level == HealthLevel::kOk);
  in.now = later(in.now, 10);
  in.metrics = &after;
  h = update_health(h, in);
  CHECK(h.dos.total.increase(3600) == 43.0);
  CHECK(h.dos.state.level == HealthLevel::kWarning);
  CHECK(h.dos.state.code == "dos-rising");
  CHECK(h.dos.state.problem == "DoS defenses rejected 43 in 60 min");
  CHECK(h.dos.state.since == in.now);
  // Outside the window the rise no longer counts.
  in.now = later(in.now, 7200);
  h = update_health(h, in);
  CHECK(h.dos.state.level == HealthLevel::kOk);
}

TEST_CASE("real overload lines: rate limits (exit1) and file descriptors (exit2)", "[health]") {
  auto rl = parse_fresh_relay_descs(
      getinfo_value(kHealth + "exit1/getinfo-fresh-relay-descs-ratelimited.txt"));
  auto rlm = parse_prometheus_text(read_fixture(kHealth + "exit1/metrics-ratelimited.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:36:30");
  in.descriptors = &rl;
  in.metrics = &rlm;
  Health h = update_health({}, in);
  CHECK(h.overload.state.level == HealthLevel::kWarning);
  CHECK(h.overload.state.code == "ratelimits");
  CHECK(h.overload.state.problem == "BandwidthRate 75 KiB/s reached");
  CHECK(h.overload.state.since == at("2026-12-06 18:00:00"));
  CHECK(h.overload.rate_limit_reached_write.value_or(0) > 0);
  CHECK(health_line(h.overload.state, 80) == "BandwidthRate 75 KiB/s reached since 18:00");
  CHECK(health_line(h.overload.state, 30) == "BandwidthRate 7... since 18:00");
  auto fd =
      parse_fresh_relay_descs(getinfo_value(kHealth + "exit2/getinfo-fresh-relay-descs-fd.txt"));
  in.descriptors = &fd;
  in.metrics = nullptr;
  h = update_health({}, in);
  CHECK(h.overload.state.code == "fd-exhausted");
  auto general = parse_fresh_relay_descs(
      getinfo_value(kHealth + "from-source/getinfo-fresh-relay-descs-overloaded.txt"));
  in.descriptors = &general;
  h = update_health({}, in);
  CHECK(h.overload.state.code == "overload-general");  // the most serious of the three
  CHECK(h.overload.state.since == at("2026-12-06 17:00:00"));
}

TEST_CASE("real exit DNS: timeouts, a nameserver down and back, then hijacked and useless",
          "[health]") {
  auto normal = parse_prometheus_text(read_fixture(kHealth + "exit3/metrics-dns-normal.txt"));
  auto down = parse_prometheus_text(read_fixture(kHealth + "exit3/metrics-dns-down.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:36:40");
  in.is_exit = true;
  in.metrics = &normal;
  in.thresholds.dns_min_queries = 1;  // the capture made a handful of lookups
  Health h = update_health({}, in);
  CHECK(h.dns.queries.latest() == 11.0);
  CHECK(h.dns.timeouts.latest() == 2.0);
  CHECK(h.dns.failures.latest() == 2.0);  // notexist and nodata are answers, not failures
  in.now = later(in.now, 20);
  in.metrics = &down;
  HealthStatusEvent ns_down;
  ns_down.kind = HealthStatusEvent::Kind::kNameserverStatus;
  ns_down.nameserver = "127.0.0.1:21314";
  in.status_events = {ns_down, status(HealthStatusEvent::Kind::kNameserverAllDown)};
  h = update_health(h, in);
  CHECK(h.dns.all_down);
  CHECK(h.dns.nameservers_down == std::vector<std::string>{"127.0.0.1:21314"});
  CHECK(h.dns.state.level == HealthLevel::kCritical);
  CHECK(h.dns.state.code == "all-down");
  HealthStatusEvent ns_up = ns_down;
  ns_up.up = true;
  in.now = later(in.now, 20);
  in.status_events = {ns_up};
  h = update_health(h, in);
  CHECK_FALSE(h.dns.all_down);
  CHECK(h.dns.nameservers_down.empty());
  // 3 of the 3 lookups since the first poll timed out.
  CHECK(h.dns.state.code == "failures");
  in.now = later(in.now, 60);
  in.status_events = {status(HealthStatusEvent::Kind::kDnsHijacked)};
  h = update_health(h, in);
  CHECK(h.dns.state.code == "hijacked");
  in.status_events = {status(HealthStatusEvent::Kind::kDnsUseless)};
  h = update_health(h, in);
  CHECK(h.dns.state.level == HealthLevel::kCritical);
  CHECK(h.dns.state.code == "dns-useless");
}

TEST_CASE("reachability per address family from the events (real IPv4, IPv6 from source)",
          "[health]") {
  using K = HealthStatusEvent::Kind;
  HealthInputs in;
  in.now = at("2026-12-06 18:34:04");
  in.status_events = {status(K::kCheckingReachability, "127.0.0.1:26691")};
  Health h = update_health({}, in);
  CHECK(h.reachability.ipv4.state == ReachabilityFamily::State::kChecking);
  CHECK(h.reachability.state.level == HealthLevel::kOk);
  CHECK(h.reachability.state.problem == "testing IPv4 ORPort");
  in.now = at("2026-12-06 18:54:04");
  in.status_events = {status(K::kReachabilityFailed, "127.0.0.1:26691")};
  h = update_health(h, in);
  CHECK(h.reachability.state.level == HealthLevel::kCritical);
  CHECK(h.reachability.state.code == "ipv4-failed");
  CHECK(h.reachability.ipv4.failures == 1);
  CHECK(h.reachability.state.since == in.now);
  // IPv4 fine, IPv6 failing: a warning for IPv6 alone.
  in.status_events = {status(K::kReachabilitySucceeded, "127.0.0.1:26691"),
                      status(K::kReachabilityFailed, "[2001:db8::1]:9001")};
  h = update_health(h, in);
  CHECK(h.reachability.ipv4.state == ReachabilityFamily::State::kReachable);
  CHECK(h.reachability.ipv6.state == ReachabilityFamily::State::kFailed);
  CHECK(h.reachability.state.level == HealthLevel::kWarning);
  CHECK(h.reachability.state.code == "ipv6-failed");
}

TEST_CASE("synthetic: flags lost and gained between consensuses, and absence", "[health]") {
  ConsensusEntry e;
  e.flags = {"Running", "Valid", "Guard", "Stable", "Fast", "HSDir", "V2Dir"};
  HealthInputs in;
  in.now = at("2026-12-06 12:00:00");
  in.own_entry_polled = true;
  in.own_entry = &e;
  in.uptime_seconds = 86400 * 10;
  Health h = update_health({}, in);
  CHECK(h.flags.state.level == HealthLevel::kOk);
  CHECK(h.flags.lost.empty());
  e.flags = {"Running", "Valid", "Stable", "Fast", "HSDir", "V2Dir", "MiddleOnly"};
  in.now = at("2026-12-06 13:00:00");
  h = update_health(h, in);
  CHECK(h.flags.lost == std::vector<std::string>{"Guard"});
  CHECK(h.flags.gained == std::vector<std::string>{"MiddleOnly"});
  CHECK(h.flags.state.level == HealthLevel::kWarning);
  CHECK(h.flags.state.problem == "lost Guard");
  CHECK(h.flags.state.since == in.now);
  e.flags = {"Valid", "Stable", "Fast", "HSDir", "V2Dir", "MiddleOnly"};
  in.now = at("2026-12-06 14:00:00");
  h = update_health(h, in);
  CHECK(h.flags.state.level == HealthLevel::kCritical);
  CHECK(h.flags.state.problem == "lost Running");
  // Out of the consensus: only critical after the documented hours.
  in.own_entry = nullptr;
  in.now = at("2026-12-06 15:00:00");
  h = update_health(h, in);
  CHECK_FALSE(h.flags.in_consensus);
  CHECK(h.flags.state.level == HealthLevel::kOk);
  CHECK(h.flags.state.problem == "not in the consensus yet");
  in.now = at("2026-12-06 18:00:00");
  h = update_health(h, in);
  CHECK(h.flags.state.level == HealthLevel::kCritical);
  CHECK(h.flags.state.problem == "not in the consensus for 3 h");
  CHECK(h.flags.state.since == at("2026-12-06 15:00:00"));
}

TEST_CASE("synthetic: a fresh relay is not 'not in the consensus' in its first hours", "[health]") {
  HealthInputs in;
  in.now = at("2026-12-06 12:00:00");
  in.own_entry_polled = true;
  in.uptime_seconds = 600;
  Health h = update_health({}, in);
  in.now = at("2026-12-06 14:30:00");
  in.uptime_seconds = 600 + 9000;
  h = update_health(h, in);
  CHECK(h.flags.state.level == HealthLevel::kOk);
  // A hibernating relay leaves the consensus on purpose.
  in.now = at("2026-12-06 23:00:00");
  in.uptime_seconds = 40000;
  AccountingValues acct;
  acct.enabled = true;
  acct.hibernating = "hard";
  in.accounting = &acct;
  h = update_health(h, in);
  CHECK(h.flags.state.level == HealthLevel::kOk);
  CHECK(h.flags.state.code == "hibernating");
  // Bridges are never in the consensus.
  in.accounting = nullptr;
  in.bridge = true;
  in.now = at("2026-12-07 23:00:00");
  in.uptime_seconds = 200000;
  h = update_health(h, in);
  CHECK(h.flags.state.code == "bridge");
  in.bridge = false;
  AccountingValues awake;
  awake.enabled = true;
  awake.hibernating = "awake";
  in.accounting = &awake;
  h = update_health(h, in);
  CHECK(h.flags.state.level == HealthLevel::kCritical);
}

TEST_CASE("real accounting: awake then hibernating, and a synthetic projection", "[health]") {
  control::ReplyFramer framer;
  auto values = [&](const std::string& relative) {
    std::vector<control::Reply> replies;
    REQUIRE_FALSE(framer.feed(read_fixture(relative), replies).has_value());
    AccountingValues a;
    for (const auto& line : replies.at(0).lines) {
      auto eq = line.text.find('=');
      if (eq != std::string::npos)
        update_accounting(a, line.text.substr(0, eq), line.text.substr(eq + 1));
    }
    return a;
  };
  auto awake = values(kHealth + "reach1/getinfo-accounting-awake.txt");
  HealthInputs in;
  in.now = at("2026-12-06 18:40:00");
  in.accounting = &awake;
  Health h = update_health({}, in);
  CHECK(h.accounting.state.level == HealthLevel::kOk);
  CHECK(h.accounting.max_bytes == 1073741824u);
  REQUIRE(h.accounting.projected_exhaustion);
  CHECK(*h.accounting.projected_exhaustion > at("2026-12-07 00:00:00"));
  auto hard = values(kHealth + "reach1/getinfo-accounting-hibernating.txt");
  in.accounting = &hard;
  h = update_health(h, in);
  CHECK(h.accounting.state.level == HealthLevel::kWarning);
  CHECK(h.accounting.state.problem == "hibernating until 00:00 UTC");
  // Synthetic: half the quota used in the first quarter of the period.
  AccountingValues fast;
  fast.enabled = true;
  fast.hibernating = "awake";
  fast.read_bytes = 500;
  fast.written_bytes = 100;
  fast.read_left = 500;
  fast.written_left = 900;
  fast.interval_start = at("2026-12-06 00:00:00");
  fast.interval_end = at("2026-12-07 00:00:00");
  in.accounting = &fast;
  in.now = at("2026-12-06 06:00:00");
  h = update_health({}, in);
  CHECK(h.accounting.projected_exhaustion == at("2026-12-06 12:00:00"));
  CHECK(h.accounting.state.problem == "quota runs out at 12:00 UTC, period ends 00:00");
  // In the first hour of the period a projection means nothing.
  in.now = at("2026-12-06 00:30:00");
  h = update_health({}, in);
  CHECK_FALSE(h.accounting.projected_exhaustion);
  CHECK(h.accounting.state.level == HealthLevel::kOk);
}

TEST_CASE("synthetic: family certificate missing, and old tor versions that cannot have one",
          "[health]") {
  auto desc =
      parse_fresh_relay_descs(getinfo_value(kHealth + "exit1/getinfo-fresh-relay-descs.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:36:00");
  in.descriptors = &desc;
  in.family_configured = false;
  Health h = update_health({}, in);
  CHECK(h.family.state.code == "none");
  in.family_configured = true;  // MyFamily set, no FamilyId
  h = update_health(h, in);
  CHECK(h.family.state.level == HealthLevel::kWarning);
  CHECK(h.family.state.code == "no-cert");
  in.family_id_configured = true;
  h = update_health(h, in);
  CHECK(h.family.state.code == "key-missing");
  desc.server->platform = "Tor 0.4.8.17 on Linux";
  h = update_health({}, in);
  CHECK(h.family.state.level == HealthLevel::kOk);
  CHECK(h.family.state.code == "old-tor");
}

TEST_CASE("synthetic: memory near MaxMemInQueues, and OOM from the log or the MetricsPort",
          "[health]") {
  HealthInputs in;
  in.now = at("2026-12-06 18:00:00");
  in.max_mem_in_queues = 1000u << 20;
  in.rss_bytes = 500u << 20;
  Health h = update_health({}, in);
  CHECK(h.memory.state.level == HealthLevel::kOk);
  in.rss_bytes = 850u << 20;
  h = update_health(h, in);
  CHECK(h.memory.state.code == "near-limit");
  in.log_lines = {LowMemory{}};
  h = update_health(h, in);
  CHECK(h.memory.state.level == HealthLevel::kCritical);
  in.log_lines.clear();
  in.rss_bytes = 100u << 20;
  in.now = later(in.now, 3599);
  h = update_health(h, in);
  CHECK(h.memory.state.level == HealthLevel::kCritical);
  in.now = later(in.now, 2);
  h = update_health(h, in);
  CHECK(h.memory.state.level == HealthLevel::kOk);
  // The OOM counter rising between polls counts as an OOM too.
  auto m0 = parse_prometheus_text("tor_relay_load_oom_bytes_total{subsys=\"cell\"} 0\n");
  auto m1 = parse_prometheus_text("tor_relay_load_oom_bytes_total{subsys=\"cell\"} 4096\n");
  in.metrics = &m0;
  h = update_health(h, in);
  in.metrics = &m1;
  in.now = later(in.now, 5);
  h = update_health(h, in);
  CHECK(h.memory.last_oom == in.now);
  CHECK(h.memory.state.code == "oom");
}

TEST_CASE("real offline master key: its 2-day signing key is a warning", "[health]") {
  auto m = parse_prometheus_text(read_fixture(kHealth + "signing/metrics.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 19:03:20");  // when signing_key.py ran
  in.metrics = &m;
  in.offline_master_key = true;
  Health h = update_health({}, in);
  REQUIRE(h.signing_key.expires);
  CHECK(*h.signing_key.expires == at("2026-12-08 20:00:00"));
  CHECK(h.signing_key.state.level == HealthLevel::kWarning);
  CHECK(h.signing_key.state.problem == "signing key expires in 2.0 days");
}

TEST_CASE("synthetic: signing key expiry, offline and online master keys", "[health]") {
  auto expiry = [](double seconds_from_now, HealthTime now) {
    return parse_prometheus_text(
        fmt::format("tor_relay_signing_cert_expiry_timestamp {:.0f}\n",
                    static_cast<double>(HealthClock::to_time_t(now)) + seconds_from_now));
  };
  HealthInputs in;
  in.now = at("2026-12-06 18:00:00");
  in.offline_master_key = true;
  auto m = expiry(20 * 86400, in.now);
  in.metrics = &m;
  CHECK(update_health({}, in).signing_key.state.level == HealthLevel::kOk);
  m = expiry(10 * 86400, in.now);
  auto h = update_health({}, in);
  CHECK(h.signing_key.state.level == HealthLevel::kWarning);
  CHECK(h.signing_key.state.problem == "signing key expires in 10.0 days");
  m = expiry(0.5 * 86400, in.now);
  CHECK(update_health({}, in).signing_key.state.level == HealthLevel::kCritical);
  // An online master key renews its signing key a day before expiry:
  // 10 days left is normal, only a key that did not renew is critical.
  in.offline_master_key = false;
  m = expiry(10 * 86400, in.now);
  CHECK(update_health({}, in).signing_key.state.level == HealthLevel::kOk);
  m = expiry(20 * 3600, in.now);
  CHECK(update_health({}, in).signing_key.state.level == HealthLevel::kOk);
  m = expiry(6 * 3600, in.now);
  CHECK(update_health({}, in).signing_key.state.level == HealthLevel::kCritical);
  m = expiry(-60, in.now);
  CHECK(update_health({}, in).signing_key.state.problem == "signing key expired");
}

TEST_CASE("synthetic: onionskins dropped above tor's own 1 % share", "[health]") {
  auto body = [](int processed, int dropped) {
    return parse_prometheus_text(
        fmt::format("tor_relay_load_onionskins_total{{type=\"ntor_v3\",action=\"processed\"}} {}\n"
                    "tor_relay_load_onionskins_total{{type=\"ntor_v3\",action=\"dropped\"}} {}\n",
                    processed, dropped));
  };
  HealthInputs in;
  in.now = at("2026-12-06 18:00:00");
  auto m = body(1000, 0);
  in.metrics = &m;
  Health h = update_health({}, in);
  m = body(1990, 10);  // 10 of 1000 in the window: 1 %
  in.now = later(in.now, 60);
  h = update_health(h, in);
  REQUIRE(h.dos.dropped_share);
  CHECK(*h.dos.dropped_share == Approx(0.01));
  CHECK(h.dos.state.code == "onionskins-dropped");
  // Few onionskins: no share at all (a handful of drops on an idle relay is noise).
  m = body(2000, 15);
  in.now = later(in.now, 4000);
  h = update_health(h, in);
  CHECK_FALSE(h.dos.dropped_share);
  CHECK(h.dos.state.level == HealthLevel::kOk);
}

TEST_CASE("counter history: window, restart, bound", "[health]") {
  CounterHistory c;
  HealthTime t = at("2026-12-06 00:00:00");
  CHECK_FALSE(c.increase(60));
  c.add(t, 10);
  CHECK(c.increase(60) == 0.0);
  c.add(later(t, 30), 15);
  c.add(later(t, 90), 40);
  CHECK(c.increase(60) == 25.0);
  CHECK(c.increase(3600) == 30.0);
  c.add(later(t, 100), 3);  // tor restarted: counters start again
  CHECK(c.samples.size() == 1);
  for (int i = 0; i < 500; ++i) c.add(later(t, 200 + i), i);
  CHECK(c.samples.size() == CounterHistory::kMaxSamples);
}

TEST_CASE("the session history records each concern's changes, not its steady state", "[health]") {
  auto before = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-before.txt"));
  auto after = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-after.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:35:30");
  in.metrics = &before;
  Health h = update_health({}, in);
  // At the start, only what is not ok is news (nothing here is a warning).
  for (const auto& c : h.changes) CHECK(c.to != HealthLevel::kOk);
  std::size_t at_start = h.changes.size();
  h = update_health(h, in);  // nothing changed
  CHECK(h.changes.size() == at_start);
  in.now = later(in.now, 10);
  in.metrics = &after;
  h = update_health(h, in);
  REQUIRE(h.changes.size() == at_start + 1);
  CHECK(h.changes.back().concern == "DoS/onionskins");
  CHECK(h.changes.back().from == HealthLevel::kOk);
  CHECK(h.changes.back().to == HealthLevel::kWarning);
  CHECK(h.changes.back().problem == "DoS defenses rejected 43 in 60 min");
  CHECK(h.changes.back().at == in.now);
  in.now = later(in.now, 7200);
  h = update_health(h, in);
  REQUIRE(h.changes.size() == at_start + 2);
  CHECK(h.changes.back().to == HealthLevel::kOk);
}

TEST_CASE("synthetic: the session history keeps the newest changes and counts the rest",
          "[health]") {
  auto before = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-before.txt"));
  auto after = parse_prometheus_text(read_fixture(kHealth + "middle2/metrics-dos-after.txt"));
  HealthInputs in;
  in.now = at("2026-12-06 18:35:30");
  Health h;
  // Each rise ages out of the window: warning, ok, warning, ...
  for (int i = 0; i < 120; ++i) {
    in.metrics = &before;
    h = update_health(h, in);
    in.now = later(in.now, 10);
    in.metrics = &after;
    h = update_health(h, in);
    in.now = later(in.now, 7200);
  }
  CHECK(h.changes.size() == Health::kMaxChanges);
  CHECK(h.changes_dropped > 0);
  CHECK(h.changes.size() + static_cast<std::size_t>(h.changes_dropped) >= 200);
}
