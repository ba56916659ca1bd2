// Issue 12, item 3: the torrc path tor names (GETINFO config-file) is never
// opened blindly. A scripted fake control port ("fake": a real tor names
// the file it read, which is regular) names a FIFO with no writer: a
// blocking open would freeze the event loop, so keys would stop working.
// The torrc page must say why it shows nothing, and the screen must still
// answer keys.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/fake_control_port.h"
#include "support/tmux.h"

using namespace relaymon::testing;

TEST_CASE("tmux + fake tor: a torrc path naming a FIFO is refused and the screen stays live") {
  char dir[] = "/tmp/relaymon-fifo-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::string fifo = std::string(dir) + "/torrc";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  boost::asio::io_context io;
  FakeControlPort fake(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line == "GETINFO version") {
      s.send("250-version=0.4.9.11\r\n250 OK\r\n");
    } else if (line == "GETINFO config/names config-text config-file") {
      s.send(
          "250+config/names=\r\nNickname String\r\nORPort LineList\r\n.\r\n"
          "250+config-text=\r\nNickname fifo\r\n.\r\n"
          "250-config-file=" +
          fifo + "\r\n250 OK\r\n");
    } else if (line.rfind("GETINFO", 0) == 0) {
      s.send("552 Unrecognized key\r\n");
    } else {
      s.send("250 OK\r\n");
    }
  });
  TmuxSession tmux(
      std::string(RELAYMON_BINARY) + " -c /dev/null -i 127.0.0.1:" + std::to_string(fake.port()),
      120, 30);
  auto screen_has = [&](const std::string& text) {
    return run_until(
        io, [&] { return tmux.screen().find(text) != std::string::npos; },
        std::chrono::seconds(15));
  };
  REQUIRE(screen_has("Tor 0.4.9.11"));
  tmux.keys("6");
  CHECK(screen_has("not reading " + fifo + ": not a regular file"));
  INFO(tmux.screen());
  // The loop still runs: another page opens at once.
  tmux.keys("5");
  CHECK(screen_has("Config ("));
  CHECK(tmux.alive());
  ::unlink(fifo.c_str());
  ::rmdir(dir);
}
