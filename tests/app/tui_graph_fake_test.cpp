// The overview's bandwidth bars are characters, not reverse-video spaces:
// `tmux capture-pane -p` (no attributes) must show them, with and without
// colour. A DisableNetwork tor reports 0 bytes per second, which draws no
// bar at all, so a scripted fake control port (hence "fake") answers
// bw-event-cache with traffic; the terminal is real (tmux).
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "support/fake_control_port.h"
#include "support/tmux.h"

using namespace relaymon::testing;

namespace {

void fake_tor_with_traffic(FakeSession& s, const std::string& line) {
  if (answer_protocolinfo(s, line, "NULL")) return;
  if (line == "AUTHENTICATE") {
    s.send("250 OK\r\n");
  } else if (line == "GETINFO version") {
    s.send("250-version=0.4.9.11\r\n250 OK\r\n");
  } else if (line == "GETINFO events/names") {
    s.send("250-events/names=NOTICE WARN ERR BW\r\n250 OK\r\n");
  } else if (line == "GETINFO bw-event-cache") {
    // The first pair is tor's start-up spike (dropped), then 30 seconds of
    // traffic rising and falling.
    std::string cache = "99999999,99999999";
    for (int i = 0; i < 30; ++i) {
      int v = 20000 + 4000 * (i % 10);
      cache += " " + std::to_string(v) + "," + std::to_string(v / 2);
    }
    s.send("250-bw-event-cache=" + cache + "\r\n250 OK\r\n");
  } else if (line.rfind("GETINFO", 0) == 0) {
    s.send("552 Unrecognized key\r\n");
  } else {
    s.send("250 OK\r\n");
  }
}

// Rows of the screen between the graph's title and the first blank row,
// the cells right of the axis labels.
long count_in_graph(const std::string& screen, const std::string& glyph) {
  std::istringstream rows(screen);
  bool in_graph = false;
  long n = 0;
  for (std::string row; std::getline(rows, row);) {
    if (row.rfind("Bandwidth", 0) == 0) {
      in_graph = true;
      continue;
    }
    if (!in_graph) continue;
    if (row.find_first_not_of(' ') == std::string::npos) break;
    for (std::size_t at = row.find(glyph); at != std::string::npos;
         at = row.find(glyph, at + glyph.size())) {
      ++n;
    }
  }
  return n;
}

void check_bars(const std::string& env, const std::string& options, const std::string& glyph) {
  boost::asio::io_context io;
  FakeControlPort fake(io, fake_tor_with_traffic);
  TmuxSession tmux("env " + env + " " + std::string(RELAYMON_BINARY) + " " + options +
                       " -i 127.0.0.1:" + std::to_string(fake.port()),
                   120, 40);
  INFO(env << " " << options);
  std::string screen;
  bool drawn = run_until(
      io,
      [&] {
        screen = tmux.screen();
        return count_in_graph(screen, glyph) > 0;
      },
      std::chrono::seconds(15));
  INFO(screen);
  REQUIRE(drawn);
  screen = tmux.screen();
  INFO(screen);
  // 30 seconds of traffic in both halves: at least one cell per column.
  CHECK(count_in_graph(screen, glyph) >= 60);
  CHECK(tmux.alive());
}

}  // namespace

TEST_CASE("tmux + fake tor: graph bars are visible characters without colour (NO_COLOR, UTF-8)") {
  check_bars("NO_COLOR=1 LANG=C.UTF-8 LC_ALL=C.UTF-8", "", "\u2588");
}

TEST_CASE("tmux + fake tor: graph bars are '#' with --ascii --no-color") {
  check_bars("LANG=C.UTF-8 LC_ALL=C.UTF-8", "--ascii --no-color", "#");
}

TEST_CASE("tmux + fake tor: graph bars are visible characters in colour too") {
  check_bars("LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color", "", "\u2588");
}
