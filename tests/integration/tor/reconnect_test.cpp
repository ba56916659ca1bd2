// tor goes away and comes back: the controller reconnects with backoff and
// authenticates again (a new cookie); the monitor, which owns the event
// subscription, subscribes again with one SETEVENTS.
#include <catch2/catch.hpp>

#include <algorithm>

#include "control/events.h"
#include "session/monitor.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("real tor killed and started again: the controller reconnects and re-authenticates") {
  TorProcess tor;
  auto options = tcp_options(tor.control_port());
  options.reconnect = true;
  options.backoff_initial = std::chrono::milliseconds(100);
  options.backoff_max = std::chrono::milliseconds(400);
  ControllerHarness h(options);
  h.controller->start();
  REQUIRE(h.wait_ready());
  bool subscribed = false;
  h.controller->set_events({"CONF_CHANGED"},
                           [&](auto error, auto reply) { subscribed = !error && reply.ok(); });
  REQUIRE(run_until(h.io, [&] { return subscribed; }));

  tor.stop();
  REQUIRE(run_until(h.io, [&] { return h.disconnects.size() >= 2; }));
  CHECK(h.disconnects.front().kind == control::ErrorKind::kClosed);
  CHECK(h.disconnects.back().kind == control::ErrorKind::kConnectionRefused);
  CHECK_FALSE(h.controller->ready());

  tor.restart();
  REQUIRE(h.wait_ready(std::chrono::seconds(30)));
  CHECK(h.ready_count == 2);
  CHECK(h.session->auth == control::AuthMethodUsed::kSafeCookie);

  // A new connection starts with no subscription: the caller's to renew.
  h.events.clear();
  bool set = false;
  h.controller->setconf({{"ContactInfo", "after restart"}}, [&](auto, auto) { set = true; });
  REQUIRE(run_until(h.io, [&] { return set; }));
  h.io.run_for(std::chrono::milliseconds(300));
  CHECK(h.events.empty());
}

TEST_CASE("real tor killed and started again: the monitor subscribes its and the TUI's events") {
  TorProcess tor;
  boost::asio::io_context io;
  session::MonitorSettings settings;
  settings.endpoints = tcp_options(tor.control_port()).endpoints;
  settings.timeout = std::chrono::seconds(5);
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  std::vector<std::string> seen;
  monitor->set_event_tap([&](const control::Event& e) { seen.push_back(e.type); });
  monitor->start();
  REQUIRE(run_until(io, [&] { return monitor->ready(); }));
  std::string refused = "not answered";
  monitor->want_events("interpreter", {"CONF_CHANGED", "NO_SUCH_EVENT"},
                       [&](const std::string& error) { refused = error; });
  REQUIRE(run_until(io, [&] { return refused != "not answered"; }));
  CHECK(refused == "tor does not know NO_SUCH_EVENT");

  tor.stop();
  REQUIRE(run_until(io, [&] { return !monitor->ready(); }));
  tor.restart();
  REQUIRE(run_until(
      io, [&] { return monitor->ready(); }, std::chrono::seconds(30)));
  // The union was sent again without anyone asking: CONF_CHANGED arrives.
  seen.clear();
  bool set = false;
  monitor->setconf({{"ContactInfo", "after restart"}}, [&](auto, auto) { set = true; });
  REQUIRE(run_until(
      io, [&] { return set && std::count(seen.begin(), seen.end(), "CONF_CHANGED") > 0; }));
  stop_monitor(io, monitor);
}
