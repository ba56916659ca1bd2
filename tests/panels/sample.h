// Hand-built snapshots for the render tests. Times are fixed and the time
// zone is UTC so rows are the same on every machine.
#pragma once

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "model/bandwidth_history.h"
#include "model/torrc.h"
#include "ui/canvas.h"

namespace relaymon::panels::test {

using namespace std::chrono_literals;
using model::Category;
using model::Direction;

// 2026-11-22 10:00:00 UTC
inline model::TimePoint t0() {
  return model::TimePoint(std::chrono::seconds(1795341600));
}

inline void use_utc() {
  setenv("TZ", "UTC", 1);
  tzset();
}

inline model::Connection connection(Category category, Direction direction, std::string address,
                                    std::uint16_t port, std::string country,
                                    std::chrono::seconds age) {
  model::Connection c;
  c.category = category;
  c.direction = direction;
  c.protocol = "tcp";
  c.state = "ESTAB";
  c.local = {"203.0.113.5", 9001};
  c.remote = {std::move(address), port};
  c.country = std::move(country);
  c.first_seen = t0() - age;
  return c;
}

// A healthy guard relay with a few connections, two alerts and a log.
inline model::Snapshot sample() {
  model::Snapshot s;
  s.taken = t0();
  s.host = "relay1 (Linux 6.1.0)";
  s.control.endpoint = "127.0.0.1:9051";
  s.control.auth = model::AuthMethod::kSafeCookie;
  s.control.connected = true;
  s.tor.version = "0.4.9.11";
  s.tor.version_status = "recommended";
  s.tor.uptime_seconds = 3 * 86400 + 4 * 3600 + 5;
  s.tor.bandwidth_rate = 1048576;
  s.tor.bandwidth_burst = 2097152;
  s.tor.bandwidth_observed = 524288;
  s.relay.nickname = "labrelay3";
  s.relay.fingerprint = "1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B";
  s.relay.address = "203.0.113.5";
  s.relay.or_port = 9001;
  s.relay.dir_port = 9030;
  s.relay.flags = {"Fast", "Guard", "Running", "Stable", "Valid"};
  s.relay.in_consensus = true;
  s.relay.exit_policy_summary = "reject *:*";
  s.process.pid = 4242;
  s.process.cpu_percent = 3.25;
  s.process.rss_bytes = 125829120;
  s.process.descriptors_used = 345;
  s.process.descriptor_limit = 1024;
  s.relaymon_cpu_percent = 0.4;

  auto client =
      connection(Category::kInboundClient, Direction::kInbound, "client (DE)", 0, "DE", 303s);
  client.scrubbed = true;
  client.bytes_in = 1258291;
  client.bytes_out = 3145728;
  client.rate_in = 2048;
  client.rate_out = 10240;
  s.connections.edit().push_back(client);
  auto relay =
      connection(Category::kOutboundRelay, Direction::kOutbound, "198.51.100.7", 9001, "US", 3720s);
  relay.local = {"203.0.113.5", 40122};
  relay.relay_nickname = "moria1";
  relay.relay_fingerprint = "9695DFC35FFEB861329B9F1AB04C46397020CE31";
  relay.bytes_in = 52428800;
  relay.bytes_out = 41943040;
  relay.rate_in = 512;
  relay.rate_out = 256;
  s.connections.edit().push_back(relay);
  auto inbound =
      connection(Category::kInboundRelay, Direction::kInbound, "192.0.2.44", 51000, "FR", 65s);
  inbound.relay_nickname = "relayFR";
  inbound.relay_fingerprint = "B0A1C2D3E4F5061728394A5B6C7D8E9F00112233";
  s.connections.edit().push_back(inbound);

  model::Circuit circ;
  circ.id = "12";
  circ.status = "BUILT";
  circ.purpose = "GENERAL";
  circ.path = {{"9695DFC35FFEB861329B9F1AB04C46397020CE31", "moria1"},
               {"B0A1C2D3E4F5061728394A5B6C7D8E9F00112233", "relayFR"},
               {"C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00", ""}};
  circ.created = t0() - 130s;
  circ.bytes_read = 5400000;  // CIRC_BW totals
  circ.bytes_written = 120000;
  s.circuits.edit().push_back(circ);

  model::Alert fds;
  fds.id = "descriptors-near-limit";
  fds.subject = "345 of 1024";
  fds.severity = model::Severity::kWarning;
  fds.first_seen = t0() - 600s;
  fds.last_seen = t0() - 5s;
  fds.count = 3;
  fds.evidence = {{"used", "345"}, {"limit", "1024"}};
  fds.explanation = "Tor is using many of the file descriptors it may open.";
  fds.action = "Raise LimitNOFILE for the tor service.";
  s.alerts.push_back(fds);
  model::Alert old;
  old.id = "orport-unreachable";
  old.subject = "203.0.113.5:9001";
  old.severity = model::Severity::kCritical;
  old.first_seen = t0() - 7200s;
  old.last_seen = t0() - 3600s;
  old.active = false;
  s.alerts.push_back(old);

  auto log = [&](std::chrono::seconds ago, std::string severity, std::string message) {
    model::LogEntry e;
    e.time = t0() - ago;
    e.severity = std::move(severity);
    e.message = std::move(message);
    s.log.edit().push_back(e);
  };
  log(120s, "NOTICE", "Bootstrapped 100% (done): Done");
  log(60s, "INFO", "circuit_build_times_set_timeout(): Set buildtimeout");
  log(30s, "WARN", "Your relay has not been reachable for a while");
  log(10s, "NOTICE", "Heartbeat: Tor's uptime is 3 days 4:00 hours");
  log(5s, "WARN", "Rejecting nickname \x1b[31mevil\x1b[0m from a descriptor");
  s.log.edit().back().repeats = 3;

  s.config.edit().torrc_path = "/etc/tor/torrc";
  s.config.edit().torrc_lines = {"# labrelay3",
                          "ORPort 9001",
                          "Nickname labrelay3",
                          "ContactInfo ops@example.org # published",
                          "",
                          "DirPort 9030",
                          "Nickname labrelay3",
                          "NumCPUs 2",
                          "BandwidthRate 1 MB",
                          "OrPrt 9002",
                          "%include /etc/tor/torrc.d/*.conf",
                          "ExitPolicy reject *:*",
                          "  ExitPolicy accept *:80\r"};
  s.config.edit().options = {{"AccountingMax", "DataSize", {"0 bytes"}, false},
                      {"BandwidthRate", "DataSize", {"1048576"}, true},
                      {"ContactInfo", "String", {"ops@example.org"}, true},
                      {"DirPort", "LineList", {"9030"}, true},
                      {"ExitPolicy", "LineList", {"reject *:*", "accept *:80"}, true},
                      {"Nickname", "String", {"labrelay3"}, true},
                      {"NumCPUs", "Integer", {"4"}, true},
                      {"ORPort", "LineList", {"9001"}, true},
                      {"SocksPort", "LineList", {"0"}, false},
                      {"__OwningControllerProcess", "String", {}, false}};
  for (int i = 0; i < 120; ++i) {
    s.bandwidth.edit().push_back({t0() - std::chrono::seconds(119 - i),
                           static_cast<std::uint64_t>(1000 + (i % 10) * 100),
                           static_cast<std::uint64_t>(500 + (i % 5) * 100)});
  }
  model::analyze_torrc_into(s.config.edit());  // as RelayState::set_config does
  s.bandwidth_history = model::history_of(s.bandwidth);  // as RelayState keeps it
  return s;
}

// An exit with exit, DNS and client connections; the model has already
// scrubbed them (a private destination keeps only its range).
inline model::Snapshot exit_sample() {
  model::Snapshot s = sample();
  s.relay.nickname = "labexit4";
  s.relay.flags = {"Exit", "Fast", "Running", "Valid"};
  s.relay.is_exit = true;
  s.relay.exit_policy_summary = "accept 80,443";
  s.connections.edit().clear();
  auto exit = [&](std::string address, std::uint16_t port, std::string service,
                  std::chrono::seconds age, std::string state) {
    auto c = connection(Category::kExit, Direction::kOutbound, std::move(address), port, "", age);
    c.local = {"203.0.113.5", static_cast<std::uint16_t>(40000 + port % 1000)};
    c.service = std::move(service);
    c.state = std::move(state);
    c.scrubbed = true;
    s.connections.edit().push_back(c);
  };
  exit("exit destination", 443, "https", 20s, "ESTAB");
  exit("exit destination", 443, "https", 40s, "ESTAB");
  exit("exit destination", 80, "http", 50s, "SYN-SENT");
  exit("10.0.0.0/8", 8080, "", 15s, "SYN-SENT");
  auto dns = connection(Category::kDns, Direction::kOutbound, "resolver", 53, "", 2s);
  dns.protocol = "udp";
  dns.scrubbed = true;
  dns.service = "domain";
  s.connections.edit().push_back(dns);
  for (auto [cc, port] : {std::pair{"DE", 51234}, {"DE", 51235}, {"SE", 40001}}) {
    auto c =
        connection(Category::kInboundClient, Direction::kInbound,
                   std::string("client (") + cc + ")", static_cast<std::uint16_t>(port), cc, 90s);
    c.scrubbed = true;
    s.connections.edit().push_back(c);
  }
  return s;
}

// A relay that has lost its control connection and knows nothing yet.
inline model::Snapshot disconnected() {
  model::Snapshot s;
  s.taken = t0();
  s.host = "relay1 (Linux 6.1.0)";
  s.control.endpoint = "127.0.0.1:9051";
  s.control.auth = model::AuthMethod::kSafeCookie;
  s.control.connected = false;
  s.control.disconnected_since = t0() - 12s;
  s.control.reconnect_attempt = 3;
  s.control.last_error = "connection refused";
  return s;
}

inline std::vector<std::string> render_rows(const ui::TextCanvas& canvas) {
  return canvas.rows();
}

}  // namespace relaymon::panels::test
