// Alerts through the whole RelayMonitor from a scripted fake control port
// ("fake" in names): what the loopback network cannot produce — an
// obsolete version, reachability failure events, a control port without
// authentication on TCP, descriptors near the limit, a tor claiming OR
// connections the system does not show.
#include <dirent.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <map>

#include "session/monitor.h"
#include "support/fake_control_port.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

long open_fds() {
  long n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d)) ++n;
    ::closedir(d);
  }
  return n - 2;
}

const model::Alert* find(const std::vector<model::Alert>& alerts, const std::string& id) {
  for (const auto& a : alerts) {
    if (a.id == id && a.active) return &a;
  }
  return nullptr;
}

}  // namespace

TEST_CASE(
    "fake control port: obsolete version, reachability failures, NULL auth on TCP, "
    "descriptors near the limit and unconfirmed OR connections raise alerts",
    "[alerts][fake]") {
  boost::asio::io_context io;
  const std::string fp = std::string(40, 'A');
  const std::string peer = std::string(40, 'B');
  // Our own process stands in for tor: its descriptors are the ones counted.
  const long limit = open_fds() + 4;
  std::map<std::string, std::string> info = {
      {"version", "0.4.1.1"},
      {"status/version/current", "obsolete"},
      {"fingerprint", fp},
      {"process/pid", std::to_string(::getpid())},
      {"process/descriptor-limit", std::to_string(limit)},
      {"exit-policy/full", "reject *:*"},
      {"uptime", "100"},
      {"events/names", "STATUS_SERVER WARN ERR BW"},
  };
  std::uint16_t control_port = 0;
  FakeControlPort port(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0) {
      s.send("250 OK\r\n");
    } else if (line.rfind("GETINFO ", 0) == 0) {
      std::string key = line.substr(8);
      if (key == "orconn-status") {
        // tor claims a relay connection that the system does not show.
        s.send("250+orconn-status=\r\n$" + peer + "~ghost CONNECTED\r\n.\r\n250 OK\r\n");
      } else if (key == "net/listeners/control") {
        // The monitor's own connection to this port is in this process too:
        // named as the control port, it is not mistaken for tor's relay.
        s.send("250-net/listeners/control=\"127.0.0.1:" + std::to_string(control_port) +
               "\"\r\n250 OK\r\n");
      } else if (auto it = info.find(key); it != info.end()) {
        s.send("250-" + key + "=" + it->second + "\r\n250 OK\r\n");
      } else {
        s.send("552 Unrecognized key \"" + key + "\"\r\n");
      }
    } else if (line.rfind("GETCONF ", 0) == 0) {
      s.send("250 " + line.substr(8) + "\r\n");
    } else if (line.rfind("SETEVENTS", 0) == 0) {
      s.send("250 OK\r\n");
      s.send("650 STATUS_SERVER WARN REACHABILITY_FAILED ORADDRESS=203.0.113.9:9001\r\n");
      s.send("650 WARN Your server has not managed to confirm reachability.\r\n");
    } else {
      s.send("510 Unrecognized command\r\n");
    }
  });
  control_port = port.port();
  session::MonitorSettings settings;
  control::ControlEndpoint endpoint;
  endpoint.port = port.port();
  settings.endpoints = {endpoint};
  settings.poll_interval = std::chrono::milliseconds(200);
  settings.resolver = "proc";
  settings.alerts.set("alert.crosscheck-mismatch.polls", "2");
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  std::vector<model::Alert> alerts;
  bool all = run_until(io, [&] {
    alerts = monitor->snapshot()->alerts;
    for (const char* id : {"tor-version", "reachability-failing", "control-port-open",
                           "descriptors-near-limit", "tor-warnings", "crosscheck-mismatch"}) {
      if (!find(alerts, id)) return false;
    }
    return true;
  });
  monitor->stop();
  std::string raised;
  for (const auto& a : alerts) raised += a.id + " (" + a.subject + ") ";
  INFO("raised: " << raised);
  std::string conns;
  auto last = monitor->snapshot();
  for (const auto& c : last->connections)
    conns += std::string(model::to_string(c.category)) + " " + c.remote.address + ":" +
             std::to_string(c.remote.port) + " " + c.state + "; ";
  INFO("connections: " << conns << " crosscheck matched " << last->crosscheck.matched
                       << " only_control " << last->crosscheck.only_control);
  CHECK(all);
  if (const auto* a = find(alerts, "tor-version")) CHECK(a->subject == "tor 0.4.1.1");
  // REACHABILITY_FAILED reaches the health model and raises one alert, per
  // address family; orport-unreachable leaves it alone.
  if (const auto* a = find(alerts, "reachability-failing")) {
    CHECK(a->subject == "IPv4 ORPort");
    CHECK(a->severity == model::Severity::kCritical);
  }
  CHECK_FALSE(find(alerts, "orport-unreachable"));
  if (const auto* a = find(alerts, "control-port-open")) {
    CHECK(a->severity == model::Severity::kWarning);  // loopback
  }
  if (const auto* a = find(alerts, "crosscheck-mismatch")) {
    CHECK(a->evidence[4].second.find("~ghost reported by tor") != std::string::npos);
  }
  // The raises went to the log feed as tor-style lines; alert lines never
  // carry the address from the STATUS_SERVER event.
  bool logged = false;
  for (const auto& entry : monitor->snapshot()->log) {
    if (entry.source != model::LogSource::kAlert) continue;
    CHECK(entry.message.find("203.0.113.9") == std::string::npos);
    if (entry.severity == "WARN" &&
        entry.message.rfind("alert tor-version raised: tor 0.4.1.1", 0) == 0) {
      logged = true;
    }
  }
  CHECK(logged);
}

TEST_CASE("fake control port: a conn/all answer in the seed's format feeds the cross-check",
          "[alerts][fake]") {
  boost::asio::io_context io;
  const std::string peer = std::string(40, 'C');
  FakeControlPort port(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0 || line.rfind("SETEVENTS", 0) == 0) {
      s.send("250 OK\r\n");
    } else if (line == "GETINFO conn/all") {
      s.send("250+conn/all=\r\n1 0 " + peer +
             " 127.0.0.1 5001 40000 ORT 10 20 30\r\n"
             "2 0 0 0 0 0 IRt 1 1 1\r\n.\r\n250 OK\r\n");
    } else if (line == "GETINFO process/pid") {
      s.send("250-process/pid=" + std::to_string(::getpid()) + "\r\n250 OK\r\n");
    } else if (line.rfind("GETINFO ", 0) == 0) {
      s.send("552 Unrecognized key \"" + line.substr(8) + "\"\r\n");
    } else if (line.rfind("GETCONF ", 0) == 0) {
      s.send("250 " + line.substr(8) + "\r\n");
    } else {
      s.send("510 Unrecognized command\r\n");
    }
  });
  session::MonitorSettings settings;
  control::ControlEndpoint endpoint;
  endpoint.port = port.port();
  settings.endpoints = {endpoint};
  settings.poll_interval = std::chrono::milliseconds(200);
  settings.resolver = "proc";
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  model::CrossCheck x;
  bool seen = run_until(io, [&] {
    x = monitor->snapshot()->crosscheck;
    return x.control_source == "conn/all" && x.persistent.size() == 1;
  });
  monitor->stop();
  CHECK(seen);
  CHECK(x.only_control == 1);  // the relay entry; the exit-traffic entry is no OR connection
  REQUIRE(x.control_counts.size() == 1);
  CHECK(x.control_counts[0] == std::make_pair(std::string("relay"), 1L));
  CHECK(x.persistent[0].find("relay $" + peer) == 0);
}
