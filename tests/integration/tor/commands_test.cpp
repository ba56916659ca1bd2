// Commands and events against a real tor (DisableNetwork 1).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "control/events.h"
#include "control/getinfo.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

template <typename Call>
std::pair<std::optional<control::Error>, control::Reply> wait_for(ControllerHarness& h, Call call) {
  bool done = false;
  std::pair<std::optional<control::Error>, control::Reply> result;
  call([&](std::optional<control::Error> e, control::Reply r) {
    result = {std::move(e), std::move(r)};
    done = true;
  });
  run_until(h.io, [&] { return done; });
  REQUIRE(done);
  return result;
}

}  // namespace

TEST_CASE("real tor: GETINFO with many keys in one command") {
  TorProcess tor;
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [error, reply] = wait_for(h, [&](auto cb) {
    h.controller->getinfo({"version", "process/pid", "config-file", "net/listeners/control"}, cb);
  });
  REQUIRE_FALSE(error);
  auto parsed = control::parse_getinfo(reply);
  REQUIRE(std::holds_alternative<control::InfoMap>(parsed));
  const auto& info = std::get<control::InfoMap>(parsed);
  REQUIRE(info.find("process/pid"));
  CHECK(*info.find("process/pid") == std::to_string(tor.pid()));
  CHECK(*info.find("config-file") == tor.directory() + "/torrc");
  CHECK_THAT(*info.find("net/listeners/control"),
             Catch::Contains(std::to_string(tor.control_port())));

  SECTION("one unknown key fails the whole batch, as the captures show") {
    auto [e2, r2] = wait_for(h, [&](auto cb) {
      h.controller->getinfo({"version", "conn/all"}, cb);
    });
    REQUIRE_FALSE(e2);
    CHECK(r2.code() == 552);
  }
}

TEST_CASE("real tor: GETCONF, SETCONF, RESETCONF and the CONF_CHANGED event") {
  TorProcess tor;
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [se, sr] = wait_for(h, [&](auto cb) { h.controller->set_events({"CONF_CHANGED"}, cb); });
  REQUIRE_FALSE(se);
  REQUIRE(sr.ok());

  auto [e1, r1] = wait_for(h, [&](auto cb) {
    h.controller->setconf({{"ContactInfo", "relaymon test \"quoted\" contact"}}, cb);
  });
  REQUIRE_FALSE(e1);
  REQUIRE(r1.ok());
  auto [e2, r2] = wait_for(h, [&](auto cb) { h.controller->getconf({"ContactInfo"}, cb); });
  REQUIRE_FALSE(e2);
  auto conf = control::parse_getconf(r2);
  REQUIRE(std::holds_alternative<control::ConfMap>(conf));
  auto values = std::get<control::ConfMap>(conf).values("ContactInfo");
  REQUIRE(values.size() == 1);
  CHECK(values[0] == "relaymon test \"quoted\" contact");

  REQUIRE(run_until(h.io, [&] { return !h.events.empty(); }));
  auto event = control::parse_event(h.events.front());
  REQUIRE(std::holds_alternative<control::Event>(event));
  CHECK(std::get<control::Event>(event).type == "CONF_CHANGED");

  auto [e3, r3] = wait_for(h, [&](auto cb) { h.controller->resetconf({"ContactInfo"}, cb); });
  REQUIRE_FALSE(e3);
  CHECK(r3.ok());
  auto [e4, r4] = wait_for(h, [&](auto cb) { h.controller->getconf({"ContactInfo"}, cb); });
  auto reset = std::get<control::ConfMap>(control::parse_getconf(r4));
  CHECK(reset.values("ContactInfo").empty());
}

TEST_CASE("real tor: SETEVENTS with an unknown event is refused whole") {
  TorProcess tor;
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [error, reply] = wait_for(h, [&](auto cb) {
    h.controller->set_events({"BW", "NO_SUCH_EVENT"}, cb);
  });
  REQUIRE_FALSE(error);
  CHECK(reply.code() == 552);
}

TEST_CASE("real tor: SAVECONF writes the torrc and SIGNAL is answered") {
  TorProcess tor;
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  bool forced = false;
  auto [e1, r1] = wait_for(h, [&](auto cb) {
    h.controller->saveconf(cb, [&](const control::Reply&) { forced = true; });
  });
  REQUIRE_FALSE(e1);
  CHECK(r1.ok());
  CHECK_FALSE(forced);
  auto [e2, r2] = wait_for(h, [&](auto cb) { h.controller->signal("DUMP", cb); });
  REQUIRE_FALSE(e2);
  CHECK(r2.ok());
}

TEST_CASE("real tor: SAVECONF on a torrc with %include retries with FORCE") {
  char include[] = "/tmp/relaymon-include-XXXXXX";
  int fd = ::mkstemp(include);
  REQUIRE(fd >= 0);
  ::close(fd);
  TorConfig config;
  config.extra_torrc = std::string("%include ") + include + "\n";
  TorProcess tor(config);
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  std::string why;
  auto [error, reply] = wait_for(h, [&](auto cb) {
    h.controller->saveconf(cb, [&](const control::Reply& r) { why = std::string(r.message()); });
  });
  REQUIRE_FALSE(error);
  CHECK(reply.ok());
  // tor's 551 text is generic ("Unable to write configuration to disk."):
  // what matters is that the caller heard of the refusal before FORCE.
  CHECK_FALSE(why.empty());
  ::unlink(include);
}
