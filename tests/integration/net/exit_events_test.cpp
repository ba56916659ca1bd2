// relaymon's control client on an exit relay of the loopback network while
// traffic flows: events arrive and the traffic counters move.
#include <catch2/catch.hpp>
#include <set>

#include "control/events.h"
#include "control/getinfo.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"
#include "support/testnet.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

std::uint64_t getinfo_number(ControllerHarness& h, const std::string& key) {
  auto [error, reply] = h.call("GETINFO " + key);
  REQUIRE_FALSE(error);
  auto info = std::get<control::InfoMap>(control::parse_getinfo(reply));
  return std::stoull(*info.find(key));
}

}  // namespace

TEST_CASE("loopback network: an exit relay's events and counters while traffic flows") {
  Testnet net;
  TestnetInstance exit = net.first("exit");
  ControllerHarness h(net.controller_options(exit));
  h.controller->start();
  REQUIRE(h.wait_ready());
  CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);

  bool subscribed = false;
  h.controller->set_events({"BW", "CIRC", "ORCONN", "CONN_BW"},
                           [&](auto error, auto reply) { subscribed = !error && reply.ok(); });
  REQUIRE(run_until(h.io, [&] { return subscribed; }));
  std::uint64_t read_before = getinfo_number(h, "traffic/read");
  net.start_traffic(60);
  // An exit builds circuits of its own only now and then: one asked for
  // (a one-hop circuit to middle1) makes CIRC events certain.
  auto [extend_error, extended] = h.call("EXTENDCIRCUIT 0 " + net.instance("middle1").fingerprint);
  CHECK_FALSE(extend_error);
  CHECK(extended.ok());

  std::uint64_t bw_read = 0;
  std::set<std::string> types;
  std::uint64_t exit_bytes = 0;
  auto seen_enough = [&] {
    for (const auto& reply : h.events) {
      auto parsed = control::parse_event(reply);
      REQUIRE(std::holds_alternative<control::Event>(parsed));
      const auto& event = std::get<control::Event>(parsed);
      types.insert(event.type);
      if (auto* bw = event.get<control::BwEvent>()) bw_read += bw->read;
      if (auto* conn = event.get<control::ConnBwEvent>(); conn && conn->type == "EXIT") {
        exit_bytes += conn->read;
      }
    }
    h.events.clear();
    return bw_read > 1'000'000 && exit_bytes > 0 && types.count("CIRC");
  };
  run_until(h.io, seen_enough, std::chrono::seconds(90));
  INFO("event types seen: " << types.size());
  CHECK(types.count("BW"));
  CHECK(types.count("CIRC"));
  CHECK(bw_read > 1'000'000);
  CHECK(exit_bytes > 0);
  CHECK(getinfo_number(h, "traffic/read") > read_before);

  // orconn-status names relay peers by the fingerprints the network recorded.
  auto [error, reply] = h.call("GETINFO orconn-status");
  REQUIRE_FALSE(error);
  auto info = std::get<control::InfoMap>(control::parse_getinfo(reply));
  auto orconns = std::get<std::vector<control::OrConnStatus>>(
      control::parse_orconn_status(*info.find("orconn-status")));
  std::set<std::string> known;
  for (const auto& i : net.all()) known.insert(i.fingerprint);
  int relay_peers = 0;
  for (const auto& o : orconns) {
    if (o.target.router && known.count(o.target.router->fingerprint)) ++relay_peers;
  }
  CHECK(relay_peers >= 3);
}

TEST_CASE("loopback network: the password relay and the unix socket authenticate") {
  Testnet net;
  for (const auto& instance : net.all()) {
    if (instance.auth == "password") {
      ControllerHarness h(net.controller_options(instance));
      h.controller->start();
      REQUIRE(h.wait_ready());
      CHECK(h.session->auth == control::AuthMethodUsed::kPassword);
    }
    if (!instance.control_socket.empty()) {
      auto options = net.controller_options(instance);
      options.endpoints = {control::unix_endpoint(instance.control_socket)};
      ControllerHarness h(options);
      h.controller->start();
      REQUIRE(h.wait_ready());
      CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);
    }
  }
}
