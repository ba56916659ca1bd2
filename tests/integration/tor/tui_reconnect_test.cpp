// The screen when tor goes away and comes back, in a real terminal (tmux)
// against a real tor (DisableNetwork 1).
#include <catch2/catch.hpp>
#include <thread>

#include <stdlib.h>
#include <unistd.h>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/tmux.h"
#include "support/tor_process.h"

using namespace relaymon::testing;

TEST_CASE("tmux: killing tor shows the disconnected state, starting it again reconnects") {
  TorProcess tor;
  TmuxSession tmux(
      std::string(RELAYMON_BINARY) + " -i 127.0.0.1:" + std::to_string(tor.control_port()), 120,
      40);
  REQUIRE(tmux.wait_for("Tor 0.4.9.11"));
  CHECK(tmux.screen().find("disconnected") == std::string::npos);
  tor.stop();
  REQUIRE(tmux.wait_for("tor disconnected"));
  CHECK(tmux.alive());
  tor.restart();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  while (std::chrono::steady_clock::now() < deadline &&
         tmux.screen().find("tor disconnected") != std::string::npos) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(tmux.screen());
  CHECK(tmux.screen().find("tor disconnected") == std::string::npos);
  tmux.keys("2");
  CHECK(tmux.wait_for("connected to tor at 127.0.0.1:" + std::to_string(tor.control_port())));
}

TEST_CASE("tmux: a tor that cannot be reached is named with since when and why, until it comes") {
  std::uint16_t port = 0;
  {
    TorProcess gone;  // a port tor used a moment ago: nothing listens there now
    port = gone.control_port();
  }
  std::string where = "127.0.0.1:" + std::to_string(port);
  TmuxSession tmux(std::string(RELAYMON_BINARY) + " -c /dev/null -i " + where, 120, 40);
  REQUIRE(tmux.wait_for("cannot reach tor at " + where + " since "));
  INFO(tmux.screen());
  CHECK(tmux.screen().find("nothing is listening") != std::string::npos);
  CHECK(tmux.screen().find("(not connected)") != std::string::npos);
  CHECK(tmux.screen().find("no auth") == std::string::npos);
  CHECK(tmux.alive());
}

TEST_CASE("tmux and --watch: a tor that cannot be reached raises tor-unreachable after its hold") {
  std::uint16_t port = 0;
  {
    TorProcess gone;
    port = gone.control_port();
  }
  std::string where = "127.0.0.1:" + std::to_string(port);
  // The hold shortened from its 30 s default so the test is quick.
  char name[] = "/tmp/relaymon-unreachable-XXXXXX";
  int fd = ::mkstemp(name);
  REQUIRE(fd >= 0);
  std::string config = "alert.tor-unreachable.hold 2\n";
  REQUIRE(::write(fd, config.data(), config.size()) == static_cast<ssize_t>(config.size()));
  ::close(fd);
  TmuxSession tmux(std::string(RELAYMON_BINARY) + " -c " + name + " -i " + where, 120, 40);
  REQUIRE(tmux.wait_for("cannot reach tor at " + where + " since "));
  CHECK(tmux.wait_for("alerts: 1 critical", std::chrono::seconds(20)));
  tmux.keys("4");
  CHECK(tmux.wait_for("tor-unreachable", std::chrono::seconds(5)));
  INFO(tmux.screen());
  CHECK(tmux.screen().find(where) != std::string::npos);

  auto watch = run_command({RELAYMON_BINARY, "-c", name, "--watch", "--json", "-i", where}, {}, 12);
  ::unlink(name);
  INFO(watch.out << watch.err);
  CHECK(watch.out.find(R"("id":"tor-unreachable")") != std::string::npos);
  CHECK(watch.out.find(R"("change":"raised")") != std::string::npos);
  CHECK(watch_schema_errors(watch.out) == "");
}

TEST_CASE("tmux: the interpreter completes names, sends commands and shows its events") {
  TorProcess tor;
  TmuxSession tmux(
      std::string(RELAYMON_BINARY) + " -i 127.0.0.1:" + std::to_string(tor.control_port()), 120,
      40);
  REQUIRE(tmux.wait_for("Tor 0.4.9.11"));
  tmux.keys("7");
  REQUIRE(tmux.wait_for(">>> "));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // completion names arrive
  tmux.literal("GETINFO vers");
  tmux.keys("Tab");
  tmux.keys("Enter");
  REQUIRE(tmux.wait_for("250-version=0.4.9.11"));
  CHECK(tmux.screen().find("> GETINFO version") != std::string::npos);
  tmux.literal("SETEVENTS CONF_CHANGED");
  tmux.keys("Enter");
  tmux.literal("SETCONF ContactInfo=interpreter");
  tmux.keys("Enter");
  CHECK(tmux.wait_for("650 CONF_CHANGED"));
  // Digits typed here are text, not page switches.
  tmux.literal("123");
  CHECK(tmux.wait_for(">>> 123"));
}
