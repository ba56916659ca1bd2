// The health rules on health models built from real captures where loopback
// could make the situation, and by hand otherwise ("synthetic"). Each rule
// also gets the case where it would be a false alarm.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "analysis/rules_health.h"
#include "control/framing.h"
#include "model/relay_index.h"
#include "synthetic.h"

using namespace relaymon;
using namespace relaymon::model;
using analysis::Finding;

namespace {

const std::string kHealth = std::string(RELAYMON_FIXTURES) + "/tor-0.4.9.11-health/";

std::string file(const std::string& relative) {
  std::ifstream in(kHealth + relative, std::ios::binary);
  INFO(relative);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The data block of a captured GETINFO reply.
std::string data_block(const std::string& relative) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(file(relative), replies).has_value());
  REQUIRE(replies.size() == 1);
  return replies[0].lines.front().data;
}

HealthTime utc(const char* text) {
  return *parse_tor_time(text);
}
HealthTime plus(HealthTime t, double s) {
  return t + std::chrono::duration_cast<HealthClock::duration>(std::chrono::duration<double>(s));
}

using RuleFn = std::vector<Finding> (*)(analysis::RuleContext&);

std::vector<Finding> run(RuleFn fn, const char* id, const Health& health, HealthTime now,
                         std::function<bool(std::string_view)> active = {}) {
  analysis::AlertConfig config;
  analysis::add_health_defaults(config);
  const analysis::RuleSettings* settings = config.find(id);
  REQUIRE(settings);
  Snapshot s = testing::healthy_relay();
  s.health = health;
  analysis::RuleMemory memory;
  if (!active) active = [](std::string_view) { return false; };
  analysis::RuleContext c{s, *settings, memory, now, active};
  auto findings = fn(c);
  for (const auto& f : findings) {
    CHECK_FALSE(f.subject.empty());
    CHECK_FALSE(f.explanation.empty());
    CHECK_FALSE(f.action.empty());
    CHECK_FALSE(f.evidence.empty());
  }
  return findings;
}

std::string evidence(const Finding& f, const std::string& key) {
  for (const auto& [k, v] : f.evidence) {
    if (k == key) return v;
  }
  return "(none)";
}

namespace h = analysis::health;

}  // namespace

TEST_CASE("every health rule is registered once, with a summary and documented defaults",
          "[rules_health]") {
  analysis::AlertConfig config;
  analysis::add_health_defaults(config);
  auto defaults = analysis::AlertConfig::defaults();
  CHECK(analysis::health_rules().size() == 11);
  for (const auto& rule : analysis::health_rules()) {
    INFO(rule.id);
    CHECK(config.find(rule.id));
    CHECK(defaults.find(rule.id));  // what the monitor runs with
    CHECK_FALSE(rule.summary.empty());
    // In the engine's list exactly once (no id shared with another rule).
    int listed = 0;
    for (const auto& any : analysis::rules()) listed += any.id == rule.id ? 1 : 0;
    CHECK(listed == 1);
  }
  // Thresholds are config keys like the other rules'.
  CHECK(config.set("alert.onionskins-dropped.share", "0.02").empty());
  CHECK(config.find("onionskins-dropped")->param("share") == 0.02);
}

TEST_CASE("overload-published: real rate limits (info), fd exhaustion, and overload-general",
          "[rules_health]") {
  auto rl = parse_fresh_relay_descs(data_block("exit1/getinfo-fresh-relay-descs-ratelimited.txt"));
  HealthInputs in;
  in.now = utc("2026-12-06 18:36:30");
  in.descriptors = &rl;
  auto found = run(h::overload_published, "overload-published", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].subject == "overload-ratelimits");
  CHECK(found[0].severity == Severity::kInfo);  // the operator's own limit
  CHECK(evidence(found[0], "rate_bytes_per_s") == "76800");
  CHECK(evidence(found[0], "hour") == "2026-12-06 18:00 UTC");
  auto all =
      parse_fresh_relay_descs(data_block("from-source/getinfo-fresh-relay-descs-overloaded.txt"));
  in.descriptors = &all;
  found = run(h::overload_published, "overload-published", update_health({}, in), in.now);
  REQUIRE(found.size() == 3);
  CHECK(found[0].subject == "overload-general");
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(found[0].action.find("NumCPUs") != std::string::npos);
  CHECK(found[1].subject == "overload-fd-exhausted");
  CHECK(found[1].action.find("LimitNOFILE") != std::string::npos);
  // A healthy relay's descriptor: nothing.
  auto ok = parse_fresh_relay_descs(data_block("middle1/getinfo-fresh-relay-descs.txt"));
  in.descriptors = &ok;
  CHECK(run(h::overload_published, "overload-published", update_health({}, in), in.now).empty());
}

TEST_CASE("synthetic: onionskins-dropped above 1 %, critical above 10 %, silent when idle",
          "[rules_health]") {
  auto body = [](int processed, int dropped) {
    return parse_prometheus_text(
        fmt::format("tor_relay_load_onionskins_total{{type=\"ntor_v3\",action=\"processed\"}} {}\n"
                    "tor_relay_load_onionskins_total{{type=\"ntor_v3\",action=\"dropped\"}} {}\n",
                    processed, dropped));
  };
  auto twice = [&](int p0, int d0, int p1, int d1) {
    auto a = body(p0, d0), b = body(p1, d1);
    HealthInputs in;
    in.now = utc("2026-12-06 12:00:00");
    in.metrics = &a;
    Health health = update_health({}, in);
    in.now = plus(in.now, 300);
    in.metrics = &b;
    return run(h::onionskins_dropped, "onionskins-dropped", update_health(health, in), in.now);
  };
  auto warn = twice(0, 0, 980, 20);
  REQUIRE(warn.size() == 1);
  CHECK(warn[0].severity == Severity::kWarning);
  CHECK(evidence(warn[0], "share") == "2.0 %");
  auto crit = twice(0, 0, 800, 200);
  REQUIRE(crit.size() == 1);
  CHECK(crit[0].severity == Severity::kCritical);
  CHECK(twice(0, 0, 995, 5).empty());  // 0.5 %
  // False alarm avoided: an idle relay dropping 5 of 50 (10 %) says nothing.
  CHECK(twice(0, 0, 45, 5).empty());
  // Without a MetricsPort, the heartbeat's handshake stats: 60 of 200 handled.
  Health hb;
  HandshakeStats stats;
  stats.ntor_v3 = {60, 200};
  hb.dos.last_heartbeat_handshakes = stats;
  auto from_heartbeat =
      run(h::onionskins_dropped, "onionskins-dropped", hb, utc("2026-12-06 12:00:00"));
  REQUIRE(from_heartbeat.size() == 1);
  CHECK(evidence(from_heartbeat[0], "source") == "heartbeat");
  CHECK(evidence(from_heartbeat[0], "dropped") == "140");
}

TEST_CASE(
    "dos-counters-rising: the recorded loopback run (43 refused) stays under 100 an hour, 200 more "
    "is info, a flood a warning",
    "[rules_health]") {
  auto before = parse_prometheus_text(file("middle2/metrics-dos-before.txt"));
  auto after = parse_prometheus_text(file("middle2/metrics-dos-after.txt"));
  HealthInputs in;
  in.now = utc("2026-12-06 18:35:30");
  in.metrics = &before;
  Health health = update_health({}, in);
  CHECK(run(h::dos_counters_rising, "dos-counters-rising", health, in.now).empty());
  in.now = plus(in.now, 10);
  in.metrics = &after;
  health = update_health(health, in);
  // A few dozen refusals are the defenses' everyday work: silent.
  CHECK(run(h::dos_counters_rising, "dos-counters-rising", health, in.now).empty());
  auto more = parse_prometheus_text("tor_relay_dos_total{type=\"concurrent_conn_rejected\"} 262\n");
  in.now = plus(in.now, 10);
  in.metrics = &more;
  health = update_health(health, in);
  auto found = run(h::dos_counters_rising, "dos-counters-rising", health, in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kInfo);
  CHECK(evidence(found[0], "rejected_in_window") == "243");
  CHECK(evidence(found[0], "concurrent_conn_rejected") == "262");
  auto flood = parse_prometheus_text("tor_relay_dos_total{type=\"conn_rejected\"} 20000\n");
  in.now = plus(in.now, 10);
  in.metrics = &flood;
  auto warn = run(h::dos_counters_rising, "dos-counters-rising", update_health(health, in), in.now);
  REQUIRE(warn.size() == 1);
  CHECK(warn[0].severity == Severity::kWarning);
}

TEST_CASE("flag-changed: the real Guard and HSDir loss, and uptime flags after a restart are info",
          "[rules_health]") {
  auto entry = [](const std::string& relative) {
    auto parsed = parse_consensus(data_block(relative));
    REQUIRE(parsed.relays.size() == 1);
    return to_consensus_entry(parsed.relays[0]);
  };
  auto before = entry("middle1/getinfo-ns-id-own-before.txt");
  auto changed = entry("middle1/getinfo-ns-id-own-changed.txt");
  HealthInputs in;
  in.now = utc("2026-12-06 19:01:00");
  in.own_entry_polled = true;
  in.own_entry = &before;
  in.uptime_seconds = 26 * 86400;
  Health health = update_health({}, in);
  CHECK(run(h::flag_changed, "flag-changed", health, in.now).empty());
  in.now = plus(in.now, 40);
  in.own_entry = &changed;
  health = update_health(health, in);
  auto found = run(h::flag_changed, "flag-changed", health, in.now);
  REQUIRE(found.size() == 2);
  CHECK(found[0].subject == "lost Guard");
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(found[1].subject == "lost HSDir");
  CHECK(evidence(found[0], "flags_now") == "Fast Running V2Dir Valid");
  // False alarm avoided: the capture's middle1 had run for 27 minutes;
  // uptime-based flags going away after a restart are only info.
  health.flags.uptime_seconds = 27 * 60;
  auto young = run(h::flag_changed, "flag-changed", health, in.now);
  REQUIRE(young.size() == 2);
  CHECK(young[0].severity == Severity::kInfo);
  CHECK(young[0].explanation.find("restarted recently") != std::string::npos);
  // Synthetic: Running lost, BadExit and MiddleOnly gained.
  Health syn;
  syn.flags.in_consensus = true;
  syn.flags.lost = {"Running"};
  syn.flags.gained = {"BadExit", "MiddleOnly"};
  auto bad = run(h::flag_changed, "flag-changed", syn, in.now);
  REQUIRE(bad.size() == 3);
  CHECK(bad[0].subject == "lost Running");
  CHECK(bad[0].severity == Severity::kCritical);
  CHECK(bad[1].subject == "gained BadExit");
  CHECK(bad[1].severity == Severity::kCritical);
  CHECK(bad[2].subject == "gained MiddleOnly");
  CHECK(bad[2].severity == Severity::kWarning);
  syn.flags.gained = {"Stable", "Guard"};  // gaining ordinary flags is good news
  syn.flags.lost.clear();
  CHECK(run(h::flag_changed, "flag-changed", syn, in.now).empty());
}

TEST_CASE("synthetic: not-in-consensus only hours after start, never hibernating or a bridge",
          "[rules_health]") {
  HealthInputs in;
  in.now = utc("2026-12-06 12:00:00");
  in.own_entry_polled = true;
  in.uptime_seconds = 60;
  Health health = update_health({}, in);
  // A fresh relay in its first hours: not an alarm.
  in.now = utc("2026-12-06 14:00:00");
  in.uptime_seconds = 7260;
  health = update_health(health, in);
  CHECK(run(h::not_in_consensus, "not-in-consensus", health, in.now).empty());
  in.now = utc("2026-12-06 15:30:00");
  in.uptime_seconds = 12660;
  health = update_health(health, in);
  auto found = run(h::not_in_consensus, "not-in-consensus", health, in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kCritical);
  CHECK(evidence(found[0], "absent_since") == "2026-12-06 12:00 UTC");
  health.flags.hibernating = true;
  CHECK(run(h::not_in_consensus, "not-in-consensus", health, in.now).empty());
  health.flags.hibernating = false;
  health.flags.bridge = true;
  CHECK(run(h::not_in_consensus, "not-in-consensus", health, in.now).empty());
  // A relay restarted 1 h ago after a long absence is given its hours again.
  health.flags.bridge = false;
  health.flags.uptime_seconds = 3600;
  CHECK(run(h::not_in_consensus, "not-in-consensus", health, in.now).empty());
}

TEST_CASE("reachability-failing per family: the real REACHABILITY_FAILED, IPv6 a warning",
          "[rules_health]") {
  using K = HealthStatusEvent::Kind;
  HealthInputs in;
  in.now = utc("2026-12-06 18:54:25");
  HealthStatusEvent checking, failed, v6;
  checking.kind = K::kCheckingReachability;
  checking.or_address = "127.0.0.1:26691";
  checking.family = AddressFamily::kIPv4;
  failed = checking;
  failed.kind = K::kReachabilityFailed;
  in.status_events = {checking};
  Health health = update_health({}, in);
  // Still testing (tor says FAILED only after 20 minutes): no alarm.
  CHECK(run(h::reachability_failing, "reachability-failing", health, in.now).empty());
  in.status_events = {failed};
  health = update_health(health, in);
  auto found = run(h::reachability_failing, "reachability-failing", health, in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].subject == "IPv4 ORPort");
  CHECK(found[0].severity == Severity::kCritical);
  CHECK(evidence(found[0], "port") == "26691");
  CHECK(found[0].explanation.find("127.0.0.1") == std::string::npos);
  v6.kind = K::kReachabilityFailed;
  v6.or_address = "[2001:db8::1]:9001";
  v6.family = AddressFamily::kIPv6;
  HealthStatusEvent ok4 = checking;
  ok4.kind = K::kReachabilitySucceeded;
  in.status_events = {ok4, v6};
  found = run(h::reachability_failing, "reachability-failing", update_health(health, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].subject == "IPv6 ORPort");
  CHECK(found[0].severity == Severity::kWarning);
}

TEST_CASE("exit-dns-failing: resolver events, the failure rate, and non-exits", "[rules_health]") {
  Health health;
  health.dns.is_exit = true;
  HealthTime now = utc("2026-12-06 18:40:00");
  CHECK(run(h::exit_dns_failing, "exit-dns-failing", health, now).empty());
  health.dns.useless = true;
  auto useless = run(h::exit_dns_failing, "exit-dns-failing", health, now);
  REQUIRE(useless.size() == 1);
  CHECK(useless[0].severity == Severity::kCritical);
  CHECK(evidence(useless[0], "event") == "DNS_USELESS");
  health.dns.useless = false;
  health.dns.hijacked = true;
  CHECK(run(h::exit_dns_failing, "exit-dns-failing", health, now)[0].severity ==
        Severity::kWarning);
  health.dns.hijacked = false;
  health.dns.all_down = true;
  health.dns.nameservers_down = {"127.0.0.1:21314"};
  auto down = run(h::exit_dns_failing, "exit-dns-failing", health, now);
  REQUIRE(down.size() == 1);
  CHECK(down[0].severity == Severity::kCritical);
  // Not an exit: whatever the figures, no DNS alarm.
  health.dns.is_exit = false;
  CHECK(run(h::exit_dns_failing, "exit-dns-failing", health, now).empty());
  // Rates over the window: 20 failures in 200 lookups.
  auto rate = [&](double queries, double failures) {
    Health r;
    r.dns.is_exit = true;
    r.dns.queries.add(now, 0);
    r.dns.failures.add(now, 0);
    r.dns.queries.add(plus(now, 600), queries);
    r.dns.failures.add(plus(now, 600), failures);
    return run(h::exit_dns_failing, "exit-dns-failing", r, plus(now, 600));
  };
  auto failing = rate(200, 20);
  REQUIRE(failing.size() == 1);
  CHECK(evidence(failing[0], "share") == "10.0 %");
  CHECK(rate(200, 5).empty());  // 2.5 %
  // False alarm avoided: an idle exit with 3 timeouts in 10 lookups.
  CHECK(rate(10, 3).empty());
}

TEST_CASE("family-cert-missing: real relays with and without a family, old tor", "[rules_health]") {
  auto with_cert = parse_fresh_relay_descs(data_block("middle1/getinfo-fresh-relay-descs.txt"));
  auto without = parse_fresh_relay_descs(data_block("exit1/getinfo-fresh-relay-descs.txt"));
  HealthInputs in;
  in.now = utc("2026-12-06 18:36:00");
  in.descriptors = &with_cert;
  in.family_configured = true;
  in.family_id_configured = true;
  CHECK(run(h::family_cert_missing, "family-cert-missing", update_health({}, in), in.now).empty());
  in.descriptors = &without;
  in.family_configured = false;
  in.family_id_configured = false;
  CHECK(run(h::family_cert_missing, "family-cert-missing", update_health({}, in), in.now).empty());
  in.family_configured = true;  // MyFamily only
  auto found = run(h::family_cert_missing, "family-cert-missing", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].subject == "no family key");
  CHECK(found[0].action.find("--keygen-family") != std::string::npos);
  in.family_id_configured = true;
  found = run(h::family_cert_missing, "family-cert-missing", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].subject == "family key missing");
  // False alarm avoided: tor 0.4.8 cannot publish a family certificate.
  without.server->platform = "Tor 0.4.8.17 on Linux";
  CHECK(run(h::family_cert_missing, "family-cert-missing", update_health({}, in), in.now).empty());
}

TEST_CASE("synthetic: memory-pressure on OOM, near MaxMemInQueues, with hysteresis",
          "[rules_health]") {
  HealthTime now = utc("2026-12-06 18:00:00");
  Health health;
  health.memory.max_in_queues = 1000ull << 20;
  health.memory.rss_bytes = 500ull << 20;
  CHECK(run(h::memory_pressure, "memory-pressure", health, now).empty());
  health.memory.rss_bytes = 850ull << 20;
  auto near = run(h::memory_pressure, "memory-pressure", health, now);
  REQUIRE(near.size() == 1);
  CHECK(near[0].severity == Severity::kWarning);
  CHECK(evidence(near[0], "percent") == "85");
  // Between clear margin and threshold: stays raised only while active.
  health.memory.rss_bytes = 770ull << 20;
  CHECK(run(h::memory_pressure, "memory-pressure", health, now).empty());
  CHECK(run(h::memory_pressure, "memory-pressure", health, now, [](std::string_view s) {
          return s == "memory";
        }).size() == 1);
  health.memory.last_oom = plus(now, -600);
  health.memory.last_low_memory = LowMemory{6442450944, 1073741824, 0, 0};
  auto oom = run(h::memory_pressure, "memory-pressure", health, now);
  REQUIRE(oom.size() == 1);
  CHECK(oom[0].severity == Severity::kCritical);
  CHECK(evidence(oom[0], "cell_queues") == "6144 MiB");
  // An OOM two hours ago is history.
  health.memory.last_oom = plus(now, -7200);
  health.memory.rss_bytes = 100ull << 20;
  CHECK(run(h::memory_pressure, "memory-pressure", health, now).empty());
}

TEST_CASE("accounting-exhaustion: real hibernation, synthetic projection, the period's end",
          "[rules_health]") {
  auto values = [](const std::string& relative) {
    control::ReplyFramer framer;
    std::vector<control::Reply> replies;
    REQUIRE_FALSE(framer.feed(file(relative), replies).has_value());
    AccountingValues a;
    for (const auto& line : replies.at(0).lines) {
      auto eq = line.text.find('=');
      if (eq != std::string::npos)
        update_accounting(a, line.text.substr(0, eq), line.text.substr(eq + 1));
    }
    return a;
  };
  auto awake = values("reach1/getinfo-accounting-awake.txt");
  auto hard = values("reach1/getinfo-accounting-hibernating.txt");
  HealthInputs in;
  in.now = utc("2026-12-06 18:40:00");
  in.accounting = &awake;
  Health health = update_health({}, in);
  CHECK(run(h::accounting_exhaustion, "accounting-exhaustion", health, in.now).empty());
  in.accounting = &hard;
  health = update_health(health, in);
  auto found = run(h::accounting_exhaustion, "accounting-exhaustion", health, in.now);
  REQUIRE(found.size() == 1);
  CHECK(evidence(found[0], "state") == "hard");
  CHECK(evidence(found[0], "period_ends") == "2026-12-07 00:00 UTC");
  AccountingValues fast;
  fast.enabled = true;
  fast.hibernating = "awake";
  fast.read_bytes = 500;
  fast.written_bytes = 100;
  fast.read_left = 500;
  fast.written_left = 900;
  fast.interval_start = utc("2026-12-06 00:00:00");
  fast.interval_end = utc("2026-12-07 00:00:00");
  in.accounting = &fast;
  in.now = utc("2026-12-06 06:00:00");
  found = run(h::accounting_exhaustion, "accounting-exhaustion", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(evidence(found[0], "projected_exhaustion") == "2026-12-06 12:00 UTC");
  // False alarms avoided: the first hour of a period, and a quota that
  // lasts until (almost) the end.
  in.now = utc("2026-12-06 00:20:00");
  CHECK(run(h::accounting_exhaustion, "accounting-exhaustion", update_health({}, in), in.now)
            .empty());
  fast.read_bytes = 506;  // runs out at 23:43, inside the 30 min margin
  fast.read_left = 494;
  in.now = utc("2026-12-06 12:00:00");
  CHECK(run(h::accounting_exhaustion, "accounting-exhaustion", update_health({}, in), in.now)
            .empty());
}

TEST_CASE("signing-key-expiry: real offline key, 15-day and 1-day limits, online keys",
          "[rules_health]") {
  auto m = parse_prometheus_text(file("signing/metrics.txt"));
  HealthInputs in;
  in.now = utc("2026-12-06 19:03:20");
  in.metrics = &m;
  in.offline_master_key = true;
  auto found = run(h::signing_key_expiry, "signing-key-expiry", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kWarning);
  CHECK(evidence(found[0], "expires") == "2026-12-08 20:00 UTC");
  CHECK(found[0].action.find("--keygen") != std::string::npos);
  // A day later: under 1 day left, critical.
  in.now = utc("2026-12-07 21:00:00");
  found = run(h::signing_key_expiry, "signing-key-expiry", update_health({}, in), in.now);
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::kCritical);
  Health health;
  health.signing_key.expires = utc("2026-12-30 00:00:00");
  health.signing_key.offline_master_key = true;
  CHECK(
      run(h::signing_key_expiry, "signing-key-expiry", health, utc("2026-12-10 00:00:00")).empty());
  // False alarm avoided: an online master key 10 days (or 20 hours) from
  // expiry is renewed by tor itself; only a renewal that did not happen alarms.
  health.signing_key.offline_master_key = false;
  CHECK(
      run(h::signing_key_expiry, "signing-key-expiry", health, utc("2026-12-20 00:00:00")).empty());
  CHECK(
      run(h::signing_key_expiry, "signing-key-expiry", health, utc("2026-12-29 04:00:00")).empty());
  auto stuck = run(h::signing_key_expiry, "signing-key-expiry", health, utc("2026-12-29 20:00:00"));
  REQUIRE(stuck.size() == 1);
  CHECK(stuck[0].severity == Severity::kCritical);
}
