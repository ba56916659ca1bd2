// A tor log message carrying terminal escape sequences is shown escaped,
// never sent to the terminal. A real tor escapes its own log lines, so a
// scripted fake control port (hence "fake") sends the hostile message; the
// screen is a real terminal (tmux).
#include <catch2/catch.hpp>

#include "support/fake_control_port.h"
#include "support/tmux.h"

using namespace relaymon::testing;

TEST_CASE("tmux + fake tor: escape sequences in a log message are shown escaped") {
  boost::asio::io_context io;
  FakeControlPort fake(io, [](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line == "AUTHENTICATE") {
      s.send("250 OK\r\n");
    } else if (line == "GETINFO version") {
      s.send("250-version=0.4.9.11\r\n250 OK\r\n");
    } else if (line == "GETINFO events/names") {
      s.send("250-events/names=NOTICE WARN ERR BW\r\n250 OK\r\n");
    } else if (line.rfind("SETEVENTS", 0) == 0) {
      s.send("250 OK\r\n");
      // A title change (OSC), a colour (CSI), a bell and a C1 control.
      s.send("650 NOTICE hostile \x1b]0;pwned\x07 \x1b[31mred\x1b[0m \xc2\x9b end\r\n");
    } else if (line.rfind("GETINFO", 0) == 0) {
      s.send("552 Unrecognized key\r\n");
    } else {
      s.send("250 OK\r\n");
    }
  });
  TmuxSession tmux(std::string(RELAYMON_BINARY) + " -i 127.0.0.1:" + std::to_string(fake.port()),
                   120, 30);
  auto screen_has = [&](const std::string& text) {
    return run_until(
        io, [&] { return tmux.screen().find(text) != std::string::npos; },
        std::chrono::seconds(15));
  };
  REQUIRE(screen_has("Tor 0.4.9.11"));
  tmux.keys("2");
  REQUIRE(screen_has("hostile"));
  std::string screen = tmux.screen();
  INFO(screen);
  CHECK(screen.find("\\x1b]0;pwned\\x07") != std::string::npos);
  CHECK(screen.find("\\x1b[31mred\\x1b[0m") != std::string::npos);
  CHECK(screen.find("\\x9b end") != std::string::npos);
  CHECK(screen.find('\x1b') == std::string::npos);
  CHECK(tmux.alive());
}
