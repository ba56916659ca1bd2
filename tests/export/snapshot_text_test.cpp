// The text --snapshot (issue 15, item 3): a readable summary, with units,
// connection counts, health and alerts, from realistic data.
#include <catch2/catch.hpp>
#include <regex>

#include "export/snapshot_text.h"

using namespace relaymon;

namespace {

model::Snapshot busy_exit() {
  model::Snapshot s;
  s.control.endpoint = "127.0.0.1:9051";
  s.control.auth = model::AuthMethod::kSafeCookie;
  s.control.connected = true;
  s.relay.nickname = "ALongRelayNicknameX";
  s.relay.fingerprint = "0123456789ABCDEF0123456789ABCDEF01234567";
  s.relay.flags = {"Exit", "Fast", "Guard", "Running", "Stable", "Valid"};
  s.relay.exit_policy_summary = "accept 80,443";
  s.tor.version = "0.4.9.11";
  s.tor.version_status = "recommended";
  s.tor.uptime_seconds = 3 * 86400 + 4 * 3600 + 5;
  s.tor.bootstrap_progress = 100;
  s.tor.traffic_read = 5ULL * 1024 * 1024 * 1024 + 300ULL * 1024 * 1024;
  s.tor.traffic_written = 5ULL * 1024 * 1024 * 1024;
  s.tor.bandwidth_rate = 10 * 1024 * 1024;
  s.tor.bandwidth_burst = 20 * 1024 * 1024;
  s.tor.bandwidth_observed = 5 * 1024 * 1024 + 300 * 1024;
  s.tor.consensus_weight = 12000;
  s.tor.weight_unmeasured = false;
  s.process.pid = 4242;
  s.process.user = "debian-tor";
  s.process.descriptors_used = 9871;
  s.process.descriptor_limit = 65535;
  s.process.rss_bytes = 812ULL * 1024 * 1024;
  s.process.cpu_percent = 37.4;
  std::vector<model::Connection> conns;
  auto add = [&](model::Category category, int n) {
    for (int i = 0; i < n; ++i) {
      model::Connection c;
      c.category = category;
      c.remote = {"2001:db8:ffff:1:2:3:4:5", 443};
      conns.push_back(c);
    }
  };
  add(model::Category::kInboundRelay, 300);
  add(model::Category::kExit, 120);
  add(model::Category::kInboundClient, 45);
  add(model::Category::kListener, 3);
  s.connections = std::move(conns);
  s.crosscheck.matched = 340;
  s.crosscheck.only_control = 2;
  s.crosscheck.only_system = 1;
  s.health.overload.state.level = model::HealthLevel::kWarning;
  s.health.overload.state.problem = "rate limits hit (overload-ratelimits)";
  s.health.dos.state.level = model::HealthLevel::kOk;
  s.health.flags.state.level = model::HealthLevel::kOk;
  model::Alert alert;
  alert.id = "unestablished-exit";
  alert.subject = "port 443";
  alert.severity = model::Severity::kWarning;
  s.alerts.push_back(alert);
  model::Alert cleared = alert;
  cleared.id = "connection-flood";
  cleared.active = false;
  s.alerts.push_back(cleared);
  return s;
}

}  // namespace

TEST_CASE("text snapshot: sizes, rates and durations in units, never raw numbers") {
  std::string out = exporter::snapshot_text(busy_exit());
  INFO(out);
  CHECK(out.rfind("ALongRelayNicknameX (0123456789ABCDEF0123456789ABCDEF01234567) at "
                  "127.0.0.1:9051, safecookie auth\n",
                  0) == 0);
  CHECK_THAT(out, Catch::Contains("tor 0.4.9.11 (recommended), up 3d 04h, bootstrapped 100%"));
  CHECK_THAT(out, Catch::Contains("traffic: 5.3 GiB read, 5.0 GiB written; rate limit 10.0 "
                                  "MiB/s (burst 20.0 MiB/s); observed 5.3 MiB/s; consensus "
                                  "weight 12000"));
  CHECK_THAT(out, Catch::Contains("process: pid 4242 (debian-tor), descriptors 9871 of 65535, "
                                  "cpu 37%, memory 812 MiB"));
  CHECK_THAT(out, Catch::Contains("flags: Exit Fast Guard Running Stable Valid"));
  // No raw byte counts or seconds after the identity line (the fingerprint).
  CHECK_FALSE(std::regex_search(out.substr(out.find('\n')), std::regex("[0-9]{6,}")));
}

TEST_CASE("text snapshot: connections per category, biggest first, listeners apart") {
  std::string out = exporter::snapshot_text(busy_exit());
  INFO(out);
  CHECK_THAT(out, Catch::Contains("connections: 465 (300 inbound-relay, 120 exit, 45 "
                                  "inbound-client); tor and the system agree on 340, 2 only "
                                  "tor reports, 1 only the system shows"));
  // The peers' addresses never appear.
  CHECK(out.find("2001:db8") == std::string::npos);
}

TEST_CASE("text snapshot: health counts and the concerns that are not ok, active alerts only") {
  std::string out = exporter::snapshot_text(busy_exit());
  INFO(out);
  CHECK_THAT(out, Catch::Contains("  health: 1 warning, 2 ok, 6 unknown\n"));
  CHECK_THAT(out, Catch::Contains("    overload         rate limits hit"));
  CHECK(out.find("    flags ") == std::string::npos);  // ok concerns are counted, not listed
  CHECK_THAT(out, Catch::Contains("  alerts: 1 active\n    WARNING unestablished-exit port 443\n"));
  CHECK(out.find("connection-flood") == std::string::npos);
}

TEST_CASE("text snapshot: a client, and a tor never reached") {
  model::Snapshot client;
  client.control.endpoint = "/run/tor/control";
  client.tor.version = "0.4.9.11";
  client.tor.bootstrap_progress = 100;
  std::string out = exporter::snapshot_text(client);
  INFO(out);
  CHECK(out.rfind("tor at /run/tor/control, no auth\n", 0) == 0);
  CHECK(out.find("health:") == std::string::npos);
  CHECK_THAT(out, Catch::Contains("  connections: 0\n  alerts: none\n"));

  model::Snapshot dead;
  dead.control.endpoint = "127.0.0.1:9";
  dead.control.last_error = "nothing is listening at 127.0.0.1:9";
  out = exporter::snapshot_text(dead);
  CHECK_THAT(out, Catch::Contains("  not connected: nothing is listening at 127.0.0.1:9\n"));
}

TEST_CASE("text snapshot: the same tor reached twice says so under its identity") {
  std::string out = exporter::snapshot_text(busy_exit(), "/run/tor/control");
  auto second_line = out.substr(out.find('\n') + 1);
  CHECK(second_line.rfind("  the same tor as /run/tor/control: its figures are listed there too\n",
                          0) == 0);
  CHECK(exporter::snapshot_text(busy_exit()).find("the same tor") == std::string::npos);
}
