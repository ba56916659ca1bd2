// The log page's event chooser against a real tor (DisableNetwork 1) in a
// real terminal (tmux): choosing INFO and CONF_CHANGED subscribes them, and
// a SETCONF typed in the interpreter shows up in the log as a
// "[CONF_CHANGED]" line, with tor's INFO messages.
#include <catch2/catch.hpp>
#include <thread>

#include "support/tmux.h"
#include "support/tor_process.h"

using namespace relaymon::testing;

TEST_CASE("tmux: the log page logs events chosen from tor's events/names") {
  TorProcess tor;
  TmuxSession tmux(
      std::string(RELAYMON_BINARY) + " -i 127.0.0.1:" + std::to_string(tor.control_port()), 120,
      40);
  REQUIRE(tmux.wait_for("Tor 0.4.9.11"));
  tmux.keys("2");
  REQUIRE(tmux.wait_for("Log (NOTICE WARN ERR,"));
  tmux.keys("e");
  REQUIRE(tmux.wait_for("Log events: space toggles"));
  // tor's own names arrive (HS_DESC_CONTENT is not in the fallback list).
  REQUIRE(tmux.wait_for("[ ] HS_DESC_CONTENT"));
  tmux.literal("CONF_C");
  tmux.keys("Space");
  // The footer says what the event under the cursor is.
  CHECK(tmux.wait_for("CONF_CHANGED: options changed"));
  tmux.literal("INFO");
  tmux.keys("Space");
  REQUIRE(tmux.wait_for("chosen: INFO NOTICE WARN ERR CONF_CHANGED"));
  tmux.keys("Enter");
  REQUIRE(tmux.wait_for("Log (INFO NOTICE WARN ERR CONF_CHANGED,"));
  CHECK(tmux.screen().find("log events: INFO NOTICE WARN ERR CONF_CHANGED") != std::string::npos);

  // Change tor's configuration from the interpreter, then back to the log.
  tmux.keys("7");
  REQUIRE(tmux.wait_for(">>> "));
  tmux.literal("SETCONF ContactInfo=logevents");
  tmux.keys("Enter");
  REQUIRE(tmux.wait_for("250 OK"));
  tmux.keys("Escape");
  tmux.keys("2");
  CHECK(tmux.wait_for("[CONF_CHANGED] ContactInfo=logevents"));
  CHECK(tmux.wait_for("[INFO]"));
  CHECK(tmux.alive());
}
