// Countries from tor (GETINFO ip-to-country) through the whole
// RelayMonitor, against a scripted fake control port ("fake" in names):
// what a real tor does not do on demand — refuse with 551 for a family
// while claiming nothing in ip-to-country/ipv4-available, and answer for
// a hundred client addresses, so that the per-poll bound shows. Our own
// process stands in for tor: it listens on the "ORPort" and connects to it
// from 100 loopback addresses (127.0.1.1 to 127.0.1.100), which relaymon
// classifies as inbound clients whose country it needs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "session/monitor.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

constexpr int kClients = 100;
const std::string kAsk = "GETINFO ip-to-country/";

// A listening "ORPort" with kClients loopback clients connected to it.
class FakeClients {
 public:
  FakeClients() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener_, kClients + 8) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    for (int i = 1; i <= kClients; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in from{};
      from.sin_family = AF_INET;
      from.sin_addr.s_addr = htonl((127u << 24) | (1u << 8) | static_cast<unsigned>(i));
      REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
      REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
      fds_.push_back(fd);
      fds_.push_back(::accept(listener_, nullptr, nullptr));
      REQUIRE(fds_.back() >= 0);
    }
  }
  ~FakeClients() {
    for (int fd : fds_) ::close(fd);
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> fds_;
};

// A fake tor whose geoip answers come from `geo(address)`: a GETINFO
// reply, or an error line. Records each poll's ip-to-country questions
// (a poll starts with GETINFO uptime).
struct FakeTor {
  boost::asio::io_context io;
  std::vector<std::vector<std::string>> polls;
  std::function<std::string(const std::string& key)> geo;
  std::unique_ptr<FakeControlPort> port;

  FakeTor(std::uint16_t or_port, std::function<std::string(const std::string&)> answer)
      : geo(std::move(answer)) {
    std::map<std::string, std::string> info = {
        {"version", "0.4.9.11"},
        {"fingerprint", std::string(40, 'A')},
        {"process/pid", std::to_string(::getpid())},
        {"net/listeners/or", "\"127.0.0.1:" + std::to_string(or_port) + "\""},
        {"exit-policy/full", "reject *:*"},
        {"uptime", "100"},
        {"orconn-status", ""},
    };
    port = std::make_unique<FakeControlPort>(
        io, [this, info](FakeSession& s, const std::string& line) {
          if (answer_protocolinfo(s, line, "NULL")) return;
          if (line.rfind("AUTHENTICATE", 0) == 0) {
            s.send("250 OK\r\n");
          } else if (line.rfind(kAsk, 0) == 0) {
            if (line.find("-available") == std::string::npos && !polls.empty()) {
              polls.back().push_back(line.substr(kAsk.size()));
            }
            s.send(geo(line.substr(8)));
          } else if (line.rfind("GETINFO ", 0) == 0) {
            std::string key = line.substr(8);
            if (key == "uptime") polls.emplace_back();
            if (auto it = info.find(key); it != info.end()) {
              s.send("250-" + key + "=" + it->second + "\r\n250 OK\r\n");
            } else {
              s.send("552 Unrecognized key \"" + key + "\"\r\n");
            }
          } else if (line.rfind("GETCONF ", 0) == 0) {
            s.send("250 " + line.substr(8) + "\r\n");
          } else if (line.rfind("SETEVENTS", 0) == 0) {
            s.send("250 OK\r\n");
          } else {
            s.send("510 Unrecognized command\r\n");
          }
        });
  }

  std::shared_ptr<session::RelayMonitor> monitor() {
    session::MonitorSettings settings;
    control::ControlEndpoint endpoint;
    endpoint.port = port->port();
    settings.endpoints = {endpoint};
    settings.poll_interval = std::chrono::milliseconds(150);
    settings.resolver = "proc";
    settings.geo.country_path = "/nonexistent/relaymon-test-country.mmdb";
    return std::make_shared<session::RelayMonitor>(io, settings);
  }

  std::size_t asked() const {
    std::size_t n = 0;
    for (const auto& p : polls) n += p.size();
    return n;
  }
};

std::map<std::string, int> client_countries(const model::Snapshot& s) {
  std::map<std::string, int> out;
  for (const auto& c : s.connections) {
    if (c.category == model::Category::kInboundClient) ++out[c.country];
  }
  return out;
}

void no_addresses_leave(const model::Snapshot& s) {
  CHECK(s.geo_status.find("127.0.1.") == std::string::npos);
  for (const auto& entry : s.log) CHECK(entry.message.find("127.0.1.") == std::string::npos);
  for (const auto& u : s.unanswered) CHECK(u.find("127.0.1.") == std::string::npos);
}

}  // namespace

TEST_CASE("fake control port: countries come from tor, at most 64 questions a poll, cached",
          "[geo][fake]") {
  FakeClients clients;
  // tor's codes are lower case; "??" for what its geoip does not cover.
  FakeTor tor(clients.port(), [](const std::string& key) {
    std::string code = key.rfind("ip-to-country/127.0.1.", 0) == 0 ? "de" : "??";
    if (key.find("-available") != std::string::npos) code = "1";
    return "250-" + key + "=" + code + "\r\n250 OK\r\n";
  });
  auto monitor = tor.monitor();
  monitor->start();
  std::map<std::string, int> countries;
  bool all = run_until(tor.io, [&] {
    countries = client_countries(*monitor->snapshot());
    return countries["DE"] == kClients;
  });
  // A few more polls: nothing is asked twice.
  std::size_t polls_then = tor.polls.size();
  run_until(tor.io, [&] { return tor.polls.size() >= polls_then + 3; });
  stop_monitor(tor.io, monitor);
  const model::Snapshot snapshot = *monitor->snapshot();
  for (const auto& [code, n] : countries) INFO(code << ": " << n);
  CHECK(all);
  CHECK(snapshot.geo_source == "tor");
  REQUIRE(tor.polls.size() >= 2);
  // 100 client addresses + a few others (127.0.0.1): the first poll asks
  // exactly the bound, the rest comes in the next.
  CHECK(tor.polls[0].size() == 64);
  std::multiset<std::string> asked;
  for (const auto& p : tor.polls) {
    CHECK(p.size() <= 64);
    asked.insert(p.begin(), p.end());
  }
  std::set<std::string> distinct(asked.begin(), asked.end());
  CHECK(distinct.size() == asked.size());  // "de" and "??" both cached
  CHECK(distinct.size() >= static_cast<std::size_t>(kClients));
  CHECK(tor.polls.back().empty());
  no_addresses_leave(snapshot);
}

TEST_CASE("fake control port: tor answers 551 (no geoip loaded): relaymon stops asking",
          "[geo][fake]") {
  FakeClients clients;
  // A tor that does not know ip-to-country/ipv4-available but refuses
  // every lookup the way tor does without a geoip file.
  FakeTor tor(clients.port(), [](const std::string& key) -> std::string {
    if (key.find("-available") != std::string::npos) {
      return "552 Unrecognized key \"" + key + "\"\r\n";
    }
    return "551 GeoIP data not loaded\r\n";
  });
  auto monitor = tor.monitor();
  monitor->start();
  run_until(tor.io, [&] { return tor.polls.size() >= 4 && monitor->collected(); });
  stop_monitor(tor.io, monitor);
  const model::Snapshot snapshot = *monitor->snapshot();
  REQUIRE(tor.polls.size() >= 4);
  CHECK(tor.polls[0].size() > 0);
  CHECK(tor.polls[0].size() <= 64);
  // Asked once (pipelined, before the first 551 came back), never again.
  CHECK(tor.asked() == tor.polls[0].size());
  CHECK(snapshot.geo_source == "none");
  CHECK_THAT(snapshot.geo_status, Catch::Contains("551"));
  auto countries = client_countries(snapshot);
  CHECK(countries["??"] == kClients);
  no_addresses_leave(snapshot);
}

TEST_CASE("fake control port: tor says it has no geoip for either family: nothing is asked",
          "[geo][fake]") {
  FakeClients clients;
  FakeTor tor(clients.port(), [](const std::string& key) -> std::string {
    if (key.find("-available") != std::string::npos) return "250-" + key + "=0\r\n250 OK\r\n";
    return "250-" + key + "=us\r\n250 OK\r\n";
  });
  auto monitor = tor.monitor();
  monitor->start();
  run_until(tor.io, [&] { return tor.polls.size() >= 3 && monitor->collected(); });
  stop_monitor(tor.io, monitor);
  const model::Snapshot snapshot = *monitor->snapshot();
  CHECK(tor.asked() == 0);
  CHECK(snapshot.geo_source == "none");
  CHECK_THAT(snapshot.geo_status, Catch::Contains("no IPv4 geoip"));
  CHECK(client_countries(snapshot)["??"] == kClients);
}

TEST_CASE("fake control port: TorGeo's cache is bounded, oldest answers dropped first",
          "[geo][fake]") {
  boost::asio::io_context io;
  std::vector<std::string> asked;
  FakeControlPort port(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0) {
      s.send("250 OK\r\n");
    } else if (line.rfind(kAsk, 0) == 0) {
      asked.push_back(line.substr(kAsk.size()));
      s.send("250-" + line.substr(8) + "=fr\r\n250 OK\r\n");
    } else {
      s.send("510 Unrecognized command\r\n");
    }
  });
  control::ControllerOptions options;
  control::ControlEndpoint endpoint;
  endpoint.port = port.port();
  options.endpoints = {endpoint};
  options.reconnect = false;
  auto controller =
      std::make_shared<control::Controller>(io, options, control::ControllerCallbacks{});
  controller->start();
  REQUIRE(run_until(io, [&] { return controller->ready(); }));
  auto geo = std::make_shared<session::TorGeo>(session::TorGeo::Limits{4, 8});
  auto round = [&](int first, int last) {
    for (int i = first; i <= last; ++i) geo->country("192.0.2." + std::to_string(i));
    bool done = false;
    geo->resolve(*controller, [&] { done = true; });
    REQUIRE(run_until(io, [&] { return done; }));
  };
  round(1, 10);  // only 4 asked: the per-round bound
  CHECK(asked.size() == 4);
  round(1, 10);  // the next 4
  round(1, 10);  // the last 2
  CHECK(asked.size() == 10);
  CHECK(geo->cached() == 8);               // the two oldest (.1 and .2) dropped
  CHECK_FALSE(geo->country("192.0.2.1"));  // dropped: asked again later
  REQUIRE(geo->country("192.0.2.9"));
  CHECK(*geo->country("192.0.2.9") == "FR");
  controller->stop();
}
