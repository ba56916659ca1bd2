// Relay peers relaymon's consensus lacks: tor's own entry (ns/id/FP) is
// asked once per consensus, and an answer places the relay's sockets by
// address and ORPort. The second case is "fake": a scripted control port
// whose consensus lags, because a real tor's ns/all and ns/id agree except
// in the moment between a new consensus and relaymon reading it.
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "model/tor_inputs.h"
#include "session/monitor.h"
#include "session/unlisted_peers.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

const std::string kListed = "2AB6D6690E4C7C39B56B344E076D05AF95F79CB7";
const std::string kNew = std::string(40, '1');  // identity "ERER...": twenty 0x11 bytes

std::string entry(const std::string& nickname, const std::string& identity, std::uint16_t port) {
  return "r " + nickname + " " + identity +
         " AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 127.0.0.1 " + std::to_string(port) +
         " 0\ns Fast Running Valid\nw Bandwidth=10\n";
}

model::OrConn peer(const std::string& fingerprint) {
  model::OrConn o;
  o.fingerprint = fingerprint;
  o.status = "CONNECTED";
  return o;
}

}  // namespace

TEST_CASE("unlisted peers: asked once per consensus, answers appended only while missing",
          "[monitor]") {
  model::RelayIndex consensus =
      model::RelayIndex::from_text(entry("listed", "KrbWaQ5MfDm1azROB20Fr5X3nLc", 5000));
  REQUIRE(consensus.by_fingerprint(kListed));
  session::UnlistedPeers peers;
  std::vector<model::OrConn> orconns{peer(kListed), peer(kNew)};
  CHECK(peers.to_ask(orconns, consensus, 1) == std::vector<std::string>{kNew});
  CHECK(peers.to_ask(orconns, consensus, 1).empty());  // refused or pending: not again
  CHECK(peers.to_ask(orconns, consensus, 2) == std::vector<std::string>{kNew});

  std::size_t before = peers.version();
  peers.answered(kNew, "552 not found");  // not an entry
  CHECK(peers.version() == before);
  peers.answered(kNew, entry("newrelay", "ERERERERERERERERERERERERERE", 5009));
  CHECK(peers.version() != before);
  CHECK(peers.to_ask(orconns, consensus, 3).empty());  // known now
  std::string extra = peers.missing_from(consensus);
  auto merged =
      model::RelayIndex::from_text(entry("listed", "KrbWaQ5MfDm1azROB20Fr5X3nLc", 5000) + extra);
  const model::RelayEntry* found = merged.by_fingerprint(kNew);
  REQUIRE(found);
  CHECK(found->nickname == "newrelay");
  // A consensus that lists it makes the extra entry unnecessary.
  CHECK(peers.missing_from(merged).empty());
  // tor no longer connected to it: forgotten.
  before = peers.version();
  CHECK(peers.to_ask({peer(kListed)}, consensus, 4).empty());
  CHECK(peers.version() != before);
  CHECK(peers.missing_from(consensus).empty());
}

TEST_CASE("fake control port with a lagging consensus: tor's ns/id entry names the relay socket",
          "[monitor][fake]") {
  boost::asio::io_context io;
  // A real loopback connection owned by this process stands for tor's
  // connection to the new relay.
  boost::asio::ip::tcp::acceptor relay(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::uint16_t relay_port = relay.local_endpoint().port();
  boost::asio::ip::tcp::socket outbound(io);
  outbound.connect(relay.local_endpoint());
  boost::asio::ip::tcp::socket accepted = relay.accept();

  const std::map<std::string, std::string> values = {
      {"process/pid", std::to_string(getpid())},
      {"version", "0.4.9.11"},
      {"orconn-status", "$" + kNew + "~newrelay CONNECTED"},
      {"ns/all", ""},
      {"ns/id/" + kNew, entry("newrelay", "ERERERERERERERERERERERERERE", relay_port)}};
  int asked_for_entry = 0;
  FakeControlPort port(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0 || line.rfind("SETEVENTS", 0) == 0) {
      s.send("250 OK\r\n");
    } else if (line.rfind("GETINFO ", 0) == 0) {
      std::string reply;
      std::istringstream keys(line.substr(8));
      for (std::string key; keys >> key;) {
        if (key.rfind("ns/id/", 0) == 0) {
          if (key == "ns/id/" + kNew) ++asked_for_entry;
          auto it = values.find(key);
          if (it == values.end()) {
            s.send("552 Unrecognized key \"" + key + "\"\r\n");
            return;
          }
        }
        auto it = values.find(key);
        std::string value = it == values.end() ? "" : it->second;
        if (value.find('\n') == std::string::npos) {
          reply += "250-" + key + "=" + value + "\r\n";
        } else {
          std::string body;
          std::istringstream lines(value);
          for (std::string l; std::getline(lines, l);) body += l + "\r\n";
          reply += "250+" + key + "=\r\n" + body + ".\r\n";
        }
      }
      s.send(reply + "250 OK\r\n");
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
  settings.timeout = std::chrono::seconds(5);
  settings.poll_interval = std::chrono::milliseconds(300);
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  const model::Connection* to_relay = nullptr;
  model::SnapshotPtr snapshot;
  bool found = run_until(io, [&] {
    snapshot = monitor->snapshot();
    for (const model::Connection& c : snapshot->connections) {
      if (c.remote.port == relay_port && c.direction == model::Direction::kOutbound) {
        to_relay = &c;
      }
    }
    return to_relay && !to_relay->relay_nickname.empty() && !to_relay->relay_unlisted;
  });
  REQUIRE(to_relay);
  INFO("category " << static_cast<int>(to_relay->category) << " nickname "
                   << to_relay->relay_nickname << " unlisted " << to_relay->relay_unlisted);
  CHECK(found);
  CHECK(asked_for_entry >= 1);
  CHECK(to_relay->category == model::Category::kOutboundRelay);
  CHECK(to_relay->relay_nickname == "newrelay");
  CHECK(to_relay->relay_fingerprint == kNew);
  CHECK(to_relay->remote.address == "127.0.0.1");  // placed by tor's entry, not guessed
  stop_monitor(io, monitor);
}
