// The cross-check live, on the loopback network: for an exit and a middle
// relay, RelayMonitor (the headless API, 1 s polls) compares orconn-status
// with tor's sockets over several polls while traffic flows. A healthy
// relay has matches and no persistent discrepancy; a connection seen in
// one poll only is a discrepancy of that poll, never a persistent one,
// while one that stays is reported after three polls.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "session/monitor.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"
#include "support/testnet.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

// A TCP connection to a relay's ORPort that never starts the TLS
// handshake: the system shows it, tor never reports it CONNECTED.
class RawOrConnection {
 public:
  explicit RawOrConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~RawOrConnection() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Runs a RelayMonitor on `instance`; `each(poll, snapshot)` after every
// completed poll until it returns false (or 60 s pass).
void watch_polls(const Testnet& net, const TestnetInstance& instance,
                 const std::function<bool(long, const model::Snapshot&)>& each) {
  boost::asio::io_context io;
  auto options = net.controller_options(instance);
  session::MonitorSettings settings;
  settings.endpoints = options.endpoints;
  settings.password = options.password;
  settings.poll_interval = std::chrono::milliseconds(1000);
  settings.resolver = "proc";
  settings.reconnect = false;
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  long seen = 0;
  bool more = true;
  bool finished = run_until(
      io,
      [&] {
        if (monitor->failed()) return true;
        if (monitor->polls() > seen) {
          seen = monitor->polls();
          more = each(seen, *monitor->snapshot());
        }
        return !more;
      },
      std::chrono::seconds(60));
  stop_monitor(io, monitor);
  INFO(monitor->snapshot()->control.last_error);
  REQUIRE_FALSE(monitor->failed());
  REQUIRE(finished);
}

long count(const std::vector<std::pair<std::string, long>>& counts, const std::string& kind) {
  for (const auto& [k, n] : counts) {
    if (k == kind) return n;
  }
  return 0;
}

void healthy_over_polls(const Testnet& net, const TestnetInstance& relay) {
  INFO(relay.nickname << " (" << relay.role << ")");
  std::vector<model::CrossCheck> polls;
  watch_polls(net, relay, [&](long, const model::Snapshot& s) {
    polls.push_back(s.crosscheck);
    return polls.size() < 7;
  });
  REQUIRE(polls.size() == 7);
  for (std::size_t i = 0; i < polls.size(); ++i) {
    const auto& c = polls[i];
    INFO("poll " << i + 1 << ": matched " << c.matched << ", only_control " << c.only_control
                 << ", only_system " << c.only_system);
    for (const auto& p : c.persistent) INFO("persistent: " << p);
    CHECK(c.control_source == "orconn-status");
    CHECK(c.persistent.empty());
    if (i < 3) continue;  // the later polls: the network has settled
    CHECK(c.matched > 0);
    // Both sides counted per category: tor's relay connections, and the
    // system's OR sockets by category.
    CHECK(count(c.control_counts, "relay") > 0);
    CHECK(count(c.system_counts, "inbound-relay") + count(c.system_counts, "outbound-relay") > 0);
    long control_total = 0;
    long system_total = 0;
    for (const auto& [k, n] : c.control_counts) control_total += n;
    for (const auto& [k, n] : c.system_counts) system_total += n;
    CHECK(control_total == c.matched + c.only_control);
    CHECK(system_total == c.matched + c.only_system);
  }
}

}  // namespace

TEST_CASE(
    "loopback network: the cross-check of an exit and a middle has no persistent "
    "discrepancy while traffic flows") {
  Testnet net;
  net.start_traffic(90);
  healthy_over_polls(net, net.first("exit"));
  healthy_over_polls(net, net.first("middle"));
}

TEST_CASE("loopback network: a connection seen in one poll is not persistent, one that stays is") {
  Testnet net;
  auto middle = net.first("middle");
  std::unique_ptr<RawOrConnection> brief;
  std::unique_ptr<RawOrConnection> staying;
  std::map<long, model::CrossCheck> at;
  watch_polls(net, middle, [&](long poll, const model::Snapshot& s) {
    at[poll] = s.crosscheck;
    // Seen by poll 3 only; the other stays from poll 6 on.
    if (poll == 2) brief = std::make_unique<RawOrConnection>(middle.or_port);
    if (poll == 3) brief->close();
    if (poll == 5) staying = std::make_unique<RawOrConnection>(middle.or_port);
    return poll < 10;
  });
  for (const auto& [poll, c] : at) {
    INFO("poll " << poll << ": only_system " << c.only_system << ", persistent "
                 << c.persistent.size());
    for (const auto& p : c.persistent) INFO("persistent: " << p);
    if (poll == 3 || poll >= 6) CHECK(c.only_system >= 1);
    if (poll <= 7) CHECK(c.persistent.empty());
    if (poll >= 8) {
      // Three polls in a row (6, 7, 8): now persistent.
      REQUIRE(c.persistent.size() == 1);
      CHECK_THAT(c.persistent[0], Catch::Contains("seen by the system, unknown to tor"));
    }
  }
}
