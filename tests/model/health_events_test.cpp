#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "control/events.h"
#include "control/framing.h"
#include "model/health_events.h"
#include "model_fixtures.h"

using namespace relaymon;
using namespace relaymon::model;
using relaymon::model::testing::read_fixture;

namespace {

const std::string kHealth = "tor-0.4.9.11-health/";

// Every STATUS_* event of a recorded control session, through the real
// framer and event parser, as the health model's typed events.
std::vector<HealthStatusEvent> status_events(const std::string& relative) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(read_fixture(relative), replies).has_value());
  std::vector<HealthStatusEvent> out;
  for (const auto& reply : replies) {
    if (control::event_type(reply).empty()) continue;
    auto parsed = control::parse_event(reply);
    const auto* event = std::get_if<control::Event>(&parsed);
    REQUIRE(event);
    if (const auto* s = event->get<control::StatusEvent>()) {
      if (auto h = parse_health_status(event->type, *s)) out.push_back(*h);
    }
  }
  return out;
}

std::vector<HealthStatusEvent> of_kind(const std::vector<HealthStatusEvent>& all,
                                       HealthStatusEvent::Kind kind) {
  std::vector<HealthStatusEvent> out;
  for (const auto& e : all) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

// The health lines of a log file, parsed.
std::vector<HealthLogLine> log_lines(const std::string& relative) {
  std::istringstream in(read_fixture(relative));
  std::vector<HealthLogLine> out;
  std::string line;
  while (std::getline(in, line)) {
    auto message = log_file_message(line);
    if (!message) continue;
    if (auto parsed = parse_health_log(*message)) out.push_back(*parsed);
  }
  return out;
}

template <typename T>
std::vector<T> only(const std::vector<HealthLogLine>& lines) {
  std::vector<T> out;
  for (const auto& l : lines) {
    if (const T* t = std::get_if<T>(&l)) out.push_back(*t);
  }
  return out;
}

using K = HealthStatusEvent::Kind;

}  // namespace

TEST_CASE("real reachability self-test events: checking then succeeded (reach1)",
          "[health_events]") {
  auto all = status_events(kHealth + "events/events-reach1.txt");
  auto checking = of_kind(all, K::kCheckingReachability);
  auto ok = of_kind(all, K::kReachabilitySucceeded);
  REQUIRE(checking.size() >= 1);
  REQUIRE(ok.size() == 1);
  CHECK(checking[0].family == AddressFamily::kIPv4);
  CHECK(checking[0].or_address.rfind("127.0.0.1:", 0) == 0);
  CHECK(ok[0].or_address == checking[0].or_address);
  CHECK(ok[0].severity == "NOTICE");
  CHECK(of_kind(all, K::kReachabilityFailed).empty());
  CHECK(of_kind(all, K::kExternalAddress).size() == 1);
}

TEST_CASE("real REACHABILITY_FAILED for an advertised ORPort nobody listens on (unreach1)",
          "[health_events]") {
  auto all = status_events(kHealth + "events/events-unreach1.txt");
  auto checking = of_kind(all, K::kCheckingReachability);
  auto failed = of_kind(all, K::kReachabilityFailed);
  REQUIRE(checking.size() >= 1);
  REQUIRE(failed.size() >= 1);
  CHECK(failed[0].severity == "WARN");
  CHECK(failed[0].family == AddressFamily::kIPv4);
  CHECK(failed[0].or_address == checking[0].or_address);
  CHECK(of_kind(all, K::kReachabilitySucceeded).empty());
}

TEST_CASE("real resolver events: a nameserver down, all down, back up (exit3)", "[health_events]") {
  auto all = status_events(kHealth + "events/events-exit3.txt");
  auto ns = of_kind(all, K::kNameserverStatus);
  REQUIRE(ns.size() == 2);
  CHECK(ns[0].nameserver.rfind("127.0.0.1:", 0) == 0);
  CHECK_FALSE(ns[0].up);
  CHECK(ns[0].status == "DOWN");
  CHECK(ns[0].error == "request timed out.");
  CHECK(ns[1].up);
  CHECK(ns[1].nameserver == ns[0].nameserver);
  auto down = of_kind(all, K::kNameserverAllDown);
  REQUIRE(down.size() == 1);
  CHECK(down[0].severity == "WARN");
  CHECK(of_kind(all, K::kGoodServerDescriptor).size() >= 1);
  CHECK(of_kind(all, K::kAcceptedServerDescriptor)[0].dirauth.rfind("127.0.0.1:", 0) == 0);
}

TEST_CASE("real DNS_HIJACKED then DNS_USELESS from a resolver answering everything",
          "[health_events]") {
  auto all = status_events(kHealth + "events/events-exit3-hijack.txt");
  REQUIRE(of_kind(all, K::kDnsHijacked).size() == 1);
  auto useless = of_kind(all, K::kDnsUseless);
  REQUIRE(useless.size() == 1);
  CHECK(useless[0].severity == "WARN");
}

TEST_CASE("real TOO_MANY_CONNECTIONS and HIBERNATION_STATUS", "[health_events]") {
  auto fds = status_events(kHealth + "exit2/events-fds.txt");
  REQUIRE(fds.size() == 1);
  CHECK(fds[0].kind == K::kTooManyConnections);
  CHECK(fds[0].count == 26);
  auto hib = status_events(kHealth + "reach1/events-hibernate.txt");
  REQUIRE(hib.size() == 1);
  CHECK(hib[0].kind == K::kHibernationStatus);
  CHECK(hib[0].status == "HARD");
}

TEST_CASE("from tor's format strings: clock skew, dangerous version, IPv6 reachability",
          "[health_events]") {
  auto all = status_events(kHealth + "from-source/events.txt");
  auto skew = of_kind(all, K::kClockSkew);
  REQUIRE(skew.size() == 2);
  CHECK(skew[0].count == -7300);
  CHECK(skew[0].source_kind == "CONSENSUS");
  CHECK(skew[1].count == 3600);
  CHECK(skew[1].source_kind == "OR");  // the peer's address is not kept
  auto version = of_kind(all, K::kDangerousVersion);
  REQUIRE(version.size() == 2);
  CHECK(version[0].version == "0.4.9.11");
  CHECK(version[0].reason == "OBSOLETE");
  CHECK(version[0].recommended == "0.4.9.12,0.4.10.1-alpha");
  auto failed = of_kind(all, K::kReachabilityFailed);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].family == AddressFamily::kIPv6);
  CHECK(failed[0].or_address == "[2001:db8::1]:9001");
  auto bad = of_kind(all, K::kBadServerDescriptor);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].reason.rfind("Fingerprint and/or ed25519 identity is marked rejected", 0) == 0);
}

TEST_CASE("synthetic: status events with missing or wrong arguments are not health events",
          "[health_events]") {
  control::StatusEvent e;
  e.severity = "WARN";
  e.action = "REACHABILITY_FAILED";
  CHECK_FALSE(parse_health_status("STATUS_SERVER", e));  // no ORADDRESS
  e.arguments = {{"ORADDRESS", "192.0.2.1:9001"}};
  CHECK(parse_health_status("STATUS_SERVER", e));
  CHECK_FALSE(parse_health_status("STATUS_GENERAL", e));  // a server action
  CHECK_FALSE(parse_health_status("STATUS_CLIENT", e));
  e.action = "TOO_MANY_CONNECTIONS";
  e.arguments = {{"CURRENT", "many"}};
  CHECK_FALSE(parse_health_status("STATUS_GENERAL", e));
  e.action = "NAMESERVER_STATUS";
  e.arguments = {{"NS", "192.0.2.53"}, {"STATUS", "SIDEWAYS"}};
  CHECK_FALSE(parse_health_status("STATUS_SERVER", e));
  e.action = "SOMETHING_NEW";
  CHECK_FALSE(parse_health_status("STATUS_SERVER", e));
}

TEST_CASE("real heartbeat lines: summary, DoS counters, handshakes, not in consensus",
          "[health_events]") {
  auto m2 = log_lines(kHealth + "logs/middle2-health.log");
  auto dos = only<DosHeartbeat>(m2);
  REQUIRE(dos.size() >= 2);
  // The heartbeat after the DoS run (the capture's dos-log.txt shows it).
  bool saw_62 = false;
  for (const auto& d : dos) {
    REQUIRE(d.concurrent_connections_rejected);
    REQUIRE(d.circuits_rejected);
    CHECK(d.marked_addresses == 0u);
    CHECK(d.connections_rejected == 0u);
    CHECK_FALSE(d.single_hop_refused);
    CHECK(d.introduce2_rejected == 0u);
    CHECK(d.disabled == std::vector<std::string>{"DoSRefuseSingleHopClientRendezvous",
                                                 "DoSStreamCreationEnabled"});
    saw_62 = saw_62 || *d.concurrent_connections_rejected == 62;
  }
  CHECK(saw_62);
  auto summary = only<HeartbeatSummary>(m2);
  REQUIRE(summary.size() >= 2);
  CHECK(summary[0].uptime_seconds == 60);  // "0:01 hours"
  CHECK(summary[0].circuits == 77);
  CHECK(summary[0].sent_bytes == 1195377);  // "1.14 MB"
  CHECK(summary[0].inbound_ipv4 == 6);
  CHECK(summary[0].outbound_ipv4 == 37);
  CHECK_FALSE(summary[0].hibernating);
  auto handshakes = only<HandshakeStats>(m2);
  REQUIRE_FALSE(handshakes.empty());
  for (const auto& h : handshakes) CHECK(h.ntor_v3.assigned <= h.ntor_v3.requested);

  auto u = log_lines(kHealth + "logs/unreach1-health.log");
  CHECK_FALSE(only<HeartbeatNotInConsensus>(u).empty());
  auto e3 = only<DosHeartbeat>(log_lines(kHealth + "logs/exit3-health.log"));
  REQUIRE_FALSE(e3.empty());
  CHECK_FALSE(e3[0].concurrent_connections_rejected);  // DoS defenses off on exit3
  CHECK(e3[0].disabled.size() == 4);
}

TEST_CASE("real accounting heartbeat and the hibernating heartbeat (reach1)", "[health_events]") {
  auto lines = log_lines(kHealth + "logs/reach1-health.log");
  auto acct = only<AccountingHeartbeat>(lines);
  REQUIRE_FALSE(acct.empty());
  CHECK(acct[0].sent_bytes == 569 * 1024);
  CHECK(acct[0].max_bytes == 1024ull * 1024 * 1024);
  CHECK(acct[0].rule == "max");
  CHECK(acct[0].interval_end == "2026-12-07 00:00:00");
  CHECK(acct[0].remaining_seconds == 5 * 3600 + 24 * 60);
  bool hibernating = false;
  for (const auto& h : only<HeartbeatSummary>(lines)) hibernating = hibernating || h.hibernating;
  CHECK(hibernating);
}

TEST_CASE("real 'Failing because we have N connections already' (exit2, EMFILE)",
          "[health_events]") {
  auto lines = only<ConnectionsExhausted>(log_lines(kHealth + "exit2/fds-log.txt"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].connections == 26);
}

TEST_CASE("from tor's format strings: low memory, OOM kills, ntor overload", "[health_events]") {
  auto lines = log_lines(kHealth + "from-source/oom.log");
  auto low = only<LowMemory>(lines);
  REQUIRE(low.size() == 1);
  CHECK(low[0].cell_queues == 6442450944u);
  CHECK(low[0].buffers == 1073741824u);
  CHECK(low[0].compression == 12582912u);
  CHECK(low[0].rendezvous_cache == 2097152u);
  auto killed = only<OomKilled>(lines);
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].bytes == 805306368u);
  CHECK(killed[0].circuits_killed == 1204);
  CHECK(killed[0].circuits_alive == 8191);
  auto ntor = only<NtorOverload>(lines);
  REQUIRE(ntor.size() == 1);
  CHECK(ntor[0].dropped == 5123);
  CHECK(ntor[0].fraction_percent == Approx(2.45));
  CHECK(ntor[0].threshold_percent == Approx(1.0));
}

TEST_CASE("synthetic: tor's usage and uptime texts, and lines that are not health lines",
          "[health_events]") {
  CHECK(parse_usage("569 kB") == 569u * 1024);
  CHECK(parse_usage("22.47 MB") == 23561503u);
  CHECK(parse_usage("1.00 GB") == 1073741824u);
  CHECK_FALSE(parse_usage("1.00 TB"));
  CHECK_FALSE(parse_usage("-1.00 MB"));
  CHECK_FALSE(parse_usage("kB"));
  CHECK(parse_uptime_text("0:02 hours") == 120);
  CHECK(parse_uptime_text("1 day 2:03 hours") == 86400 + 2 * 3600 + 180);
  CHECK(parse_uptime_text("12 days 0:00 hours") == 12 * 86400);
  CHECK_FALSE(parse_uptime_text("0:2 hours"));
  CHECK_FALSE(parse_uptime_text("25:00 hours"));
  CHECK_FALSE(parse_health_log("Heartbeat: Tor's uptime is soon, with 1 circuits open."));
  CHECK_FALSE(parse_health_log("Heartbeat: DoS mitigation since startup: 5 bananas"));
  CHECK_FALSE(parse_health_log("Bootstrapped 100% (done): Done"));
  CHECK_FALSE(parse_health_log("Circuit handshake stats since last time: 1/2 TAP."));
  // A counter a newer tor adds is skipped, the known ones still read.
  auto newer = parse_health_log(
      "Heartbeat: DoS mitigation since startup: 3 circuits killed with too many cells, "
      "7 widgets frobbed, 4 connections rejected.");
  REQUIRE(newer);
  const auto& d = std::get<DosHeartbeat>(*newer);
  CHECK(d.circuits_killed_max_cells == 3u);
  CHECK(d.connections_rejected == 4u);
  std::string_view severity;
  CHECK(log_file_message("Dec 06 18:35:39.759 [warn] text", &severity) == "text");
  CHECK(severity == "warn");
  CHECK(log_file_message("Dec 06 18:35:39 [notice] no milliseconds") == "no milliseconds");
  CHECK_FALSE(log_file_message("not a log line"));
}
