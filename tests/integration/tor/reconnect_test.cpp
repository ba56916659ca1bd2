// tor goes away and comes back: the controller reconnects with backoff,
// authenticates again (a new cookie) and re-subscribes its events.
#include <catch2/catch.hpp>

#include "control/events.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("real tor killed and started again: reconnect, re-authenticate, re-subscribe") {
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

  // The subscription was renewed without the caller asking again.
  h.events.clear();
  bool set = false;
  h.controller->setconf({{"ContactInfo", "after restart"}}, [&](auto, auto) { set = true; });
  REQUIRE(run_until(h.io, [&] { return set && !h.events.empty(); }));
  auto event = control::parse_event(h.events.front());
  REQUIRE(std::holds_alternative<control::Event>(event));
  CHECK(std::get<control::Event>(event).type == "CONF_CHANGED");
}
