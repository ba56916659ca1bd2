// The whole screen: each page at its minimum size, the disconnected,
// empty and too-small states, and the help overlays. Expected rows were
// reviewed by eye when written.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using Rows = std::vector<std::string>;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

Rows draw(const model::Snapshot& s, const panels::ScreenState& state, int w, int h) {
  ui::TextCanvas c(w, h);
  panels::draw_screen(s, state, c);
  CHECK(c.outside_calls() == 0);
  return c.rows();
}

model::Snapshot empty_snapshot() {
  model::Snapshot s;
  s.taken = panels::test::t0();
  s.control.connected = true;
  return s;
}

}  // namespace

TEST_CASE("each page at its minimum size", "[panels][screen]") {
  panels::test::use_utc();
  const std::vector<Rows> expected =
      std::vector<Rows>{{
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "labrelay3 - 203.0.113.5:9001",
                            "Bandwidth, each second, local max:",
                            "Download: 1.9 KiB/s Upload: 900 B/s",
                            "  #######   #######   ###  ###  ###  ###",
                            "################### ####################",
                            "################### ####################",
                            "Log (newest first, page 2 for more):",
                            "09:59:55 [WARN] Rejecting nickname \\x...",
                            "09:59:50 [NOTICE] Heartbeat: Tor's up...",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Log (NOTICE WARN ERR, 4 entries, dedup):",
                            "09:59:55 [WARN] Rejecting nickname",
                            "  \\x1b[31mevil\\x1b[0m from a descriptor",
                            "  (x3)",
                            "09:59:50 [NOTICE] Heartbeat: Tor's",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Connections (3 of 3, sort: category, ...",
                            "dir remote                 cc category",
                            "in  192.0.2.44:51000       FR relay in",
                            "in  client (DE)            DE client",
                            "out 198.51.100.7:9001      US relay out",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Alerts (0 critical, 1 warning, 0 info...",
                            "severity subject               last seen",
                            "WARNING  345 of 1024              5s ago",
                            "cleared  203.0.113.5:9001     1h 00m ago",
                            "----------------------------------------",
                            "descriptors-near-limit: 345 of 1024",
                            "(first seen 10m 00s ago, 3 times)",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Config (7 set of 10 options, showing ...",
                            "  option        type     value",
                            "* BandwidthRate DataSize 1 MByte",
                            "* ContactInfo   String   ops@example.org",
                            "* DirPort       LineList 9030",
                            "----------------------------------------",
                            "BandwidthRate: Average traffic limit ...",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Torrc /etc/tor/torrc (13 lines, 3 mar...",
                            " 1   # labrelay3",
                            " 2   ORPort 9001",
                            " 3   Nickname labrelay3",
                            " 4   ContactInfo ops@example.org # publi",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Interpreter (0 lines; esc leaves the ...",
                            "type a command, e.g. GETINFO version ...",
                            "",
                            "",
                            ">>> _",
                            "1 2 3 4 5 6 7 8  esc",
                        },
                        {
                            "relaymon - relay1 (Linux 6.1.0)",
                            "Tor 0.4.9.11 (recommended)",
                            "Health of labrelay3:",
                            "no health figures yet (the first",
                            "  update comes within 10 s of",
                            "  connecting)",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        }};
  REQUIRE(expected.size() == panels::pages().size());
  auto index = GENERATE(0, 1, 2, 3, 4, 5, 6, 7);
  const panels::PageInfo& info = panels::pages()[static_cast<std::size_t>(index)];
  panels::ScreenState state;
  state.page = info.page;
  CHECK(draw(panels::test::sample(), state, info.min_width, info.min_height) ==
        expected[static_cast<std::size_t>(index)]);
  // One column or one row less is the too-small screen.
  auto narrow = draw(panels::test::sample(), state, info.min_width - 1, info.min_height);
  auto short_ = draw(panels::test::sample(), state, info.min_width, info.min_height - 1);
  for (const auto& rows : {narrow, short_}) {
    std::string all;
    for (const auto& r : rows) all += r + " ";
    CHECK(all.find("terminal too small") != std::string::npos);
  }
}

TEST_CASE("disconnected: a banner says since when and that it reconnects", "[panels][screen]") {
  panels::test::use_utc();
  const std::vector<Rows> expected = std::vector<Rows>{
      {
          "relaymon - relay1 (Linux 6.1.0)",
          "relay unknown until tor answers  control 127.0.0.1:9051 (safecookie)  pid: n/a",
          "alerts: none  fds: n/a  uptime: n/a  mem: n/a  cpu: n/a tor, n/a relaymon",
          "tor disconnected 12s ago, reconnecting... (attempt 3: connection refused)",
          "Bandwidth, each second, local max:",
          "Download: 0 B/s                         Upload: 0 B/s",
          "0 B/s                                   0 B/s",
          "      no data yet                             no data yet",
          "0 B/s                                   0 B/s",
          "Log (newest first, page 2 for more):",
          "no log entries yet",
          "1 overview 2 log 3 conns 4 alerts 5 config 6 torrc 7 interp 8 health  h m q",
      },
      {
          "relaymon - relay1 (Linux 6.1.0)",
          "relay unknown until tor answers",
          "control 127.0.0.1:9051 (safecookie)",
          "tor disconnected 12s ago, reconnectin...",
          "Bandwidth, each second, local max:",
          "Download: 0 B/s     Upload: 0 B/s",
          "",
          "no data yet         no data yet",
          "",
          "Log (newest first, page 2 for more):",
          "no log entries yet",
          "1 2 3 4 5 6 7 8  h m q",
      }};
  auto [index, width] = GENERATE(table<std::size_t, int>({{0, 80}, {1, 40}}));
  model::Snapshot was_connected = panels::test::disconnected();
  was_connected.control.connected_since = panels::test::t0() - std::chrono::minutes(5);
  CHECK(draw(was_connected, {}, width, 12) == expected[index]);
}

TEST_CASE("never connected: the banner says where tor cannot be reached, since when and why",
          "[panels][screen]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::disconnected();  // no connected_since: never reached
  auto rows = draw(s, {}, 100, 12);
  std::string all;
  for (const auto& r : rows) all += r + "\n";
  INFO(all);
  CHECK(all.find("cannot reach tor at 127.0.0.1:9051 since ") != std::string::npos);
  CHECK(all.find(": connection refused (attempt 3, retrying)") != std::string::npos);
  CHECK(all.find("disconnected") == std::string::npos);
  // The header does not claim an authentication method it never used.
  CHECK(all.find("control 127.0.0.1:9051 (not connected)") != std::string::npos);
  s.control.gave_up = true;
  rows = draw(s, {}, 100, 12);
  all.clear();
  for (const auto& r : rows) all += r + "\n";
  CHECK(all.find("connection refused (gave up)") != std::string::npos);
}

TEST_CASE("an empty snapshot draws every page without data", "[panels][screen]") {
  panels::test::use_utc();
  const std::vector<Rows> expected =
      std::vector<Rows>{{
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Bandwidth, each second, local max:",
                            "Download: 0 B/s               Upload: 0 B/s",
                            "0 B/s                         0 B/s",
                            "      no data yet                   no data yet",
                            "0 B/s                         0 B/s",
                            "Log (newest first, page 2 for more):",
                            "no log entries yet",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Log (NOTICE WARN ERR, 0 entries, dedup):",
                            "no log entries yet",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Connections (0 of 0, sort: category, all categories):",
                            "no connections",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Alerts (0 critical, 0 warning, 0 info active):",
                            "no alerts: nothing needs attention",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Config (0 set of 0 options, showing those set):",
                            "configuration not loaded yet",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        },
                        {
                            "relaymon - ?",
                            "Unnamed - not a relay (no ORPort)  control ? (no auth)",
                            "pid: n/a  alerts: none  fds: n/a  uptime: n/a  mem: n/a",
                            "Torrc (path unknown) (0 lines):",
                            "torrc not loaded yet",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "1 2 3 4 5 6 7 8  h m q",
                        }};
  auto index = GENERATE(0, 1, 2, 3, 4, 5);
  panels::ScreenState state;
  state.page = static_cast<panels::Page>(index);
  CHECK(draw(empty_snapshot(), state, 60, 12) == expected[static_cast<std::size_t>(index)]);
}

TEST_CASE("too small is a screen that says the size needed", "[panels][screen]") {
  const std::vector<Rows> expected =
      std::vector<Rows>{{
                            "",
                            "",
                            "",
                            "",
                            "",
                            "terminal too small (needs 40 x 12, have",
                            "               39 x 12)",
                            "",
                            "",
                            "",
                            "",
                            "",
                        },
                        {
                            "",
                            " terminal too small",
                            "(needs 40 x 12, have",
                            "      20 x 5)",
                            "",
                        }};
  CHECK(draw(panels::test::sample(), {}, 39, 12) == expected[0]);
  CHECK(draw(panels::test::sample(), {}, 20, 5) == expected[1]);
  CHECK(draw(panels::test::sample(), {}, 0, 0).empty());
  CHECK(draw(panels::test::sample(), {}, 1, 1) == Rows{"t"});
}

TEST_CASE("the help overlay is generated from the declared actions", "[panels][screen]") {
  panels::test::use_utc();
  panels::ScreenState state;
  state.page = panels::Page::kConnections;
  state.help = true;
  const Rows expected = {
      " +- keys 1-21 of 54 (up/down scroll, esc closes) -----------------------------+",
      " | left/right 1-8     switch pages                                            |",
      " | h ?                every key of every page (up/down scroll, esc closes)    |",
      " | m                  the current page's keys                                 |",
      " | p                  pause or resume updates                                 |",
      " | tab shift-tab      next or previous relay (with several -i/-s)             |",
      " | x                  reload tor's configuration (SIGNAL RELOAD, asks first)  |",
      " | n                  new circuits for a client tor (SIGNAL NEWNYM)           |",
      " | q                  quit (asks first)                                       |",
      " | connections page:                                                          |",
      " | up/down pgup/pgdn  move the selection                                      |",
      " | enter              explain the selected connection (esc closes)            |",
      " | s                  sort by category, age, rate, bytes, country, relay, ... |",
      " | r                  reverse the sort order                                  |",
      " | f                  show one category at a time                             |",
      " | c                  tor's circuits, hops with roles (enter: details)        |",
      " | e                  exit ports and client countries                         |",
      " | overview page:                                                             |",
      " | i                  graph interval: each second .. daily                    |",
      " | b                  graph bounds: global max, local max, tight              |",
      " | t                  bytes or bits per second                                |",
      " | s                  graph: bandwidth, connections, tor's CPU and memory     |",
      " +----------------------------------------------------------------------------+",
      "1 overview 2 log 3 conns 4 alerts 5 config 6 torrc 7 interp 8 health  h m q",
  };
  CHECK(draw(panels::test::sample(), state, 80, 24) == expected);
  state.help = false;
  state.page_menu = true;
  const Rows page_keys = {
      "+- page keys (esc closes) ---------------------------------+",
      "| connections page:                                        |",
      "| up/down pgup/pgdn  move the selection                    |",
      "| enter              explain the selected connection (e... |",
      "| s                  sort by category, age, rate, bytes... |",
      "| r                  reverse the sort order                |",
      "| f                  show one category at a time           |",
      "| c                  tor's circuits, hops with roles (e... |",
      "| e                  exit ports and client countries       |",
      "+----------------------------------------------------------+",
      "",
      "",
      "",
      "1 2 3 4 5 6 7 8  h m q",
  };
  CHECK(draw(panels::test::sample(), state, 60, 14) == page_keys);
}

TEST_CASE("alerts at 80 columns: subjects sharing a start stay apart, the details keep every line",
          "[panels][alerts]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::exit_sample();
  for (int port : {33102, 33140, 46098}) {
    model::Alert a;
    a.id = "short-lived-connections";
    a.subject = fmt::format("inbound-relay connections from 127.0.0.1:{}", port);
    a.severity = model::Severity::kInfo;
    a.active = true;
    a.first_seen = a.last_seen = panels::test::t0();
    a.count = 1;
    s.alerts.push_back(a);
  }
  panels::ScreenState state;
  state.page = panels::Page::kAlerts;
  panels::layout_screen(state, s, 80, 24);
  auto rows = draw(s, state, 80, 24);
  std::string screen;
  for (const auto& r : rows) screen += r + "\n";
  INFO(screen);
  for (const char* port : {":33102", ":33140", ":46098"}) {
    CHECK(screen.find(port) != std::string::npos);
  }
  // The selected alert's last line (what to do) is on screen.
  CHECK(screen.find("What to do: Raise LimitNOFILE for the tor service.") != std::string::npos);
}

TEST_CASE("overview at 60x16 still shows the alerts line", "[panels][overview]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::exit_sample();
  panels::ScreenState state;
  auto rows = draw(s, state, 60, 16);
  std::string screen;
  for (const auto& r : rows) screen += r + "\n";
  INFO(screen);
  CHECK(screen.find("Alerts (1 active, see page 4):") != std::string::npos);
  CHECK(screen.find("WARNING  descriptors-near-limit: 345 of 1024") != std::string::npos);
}

TEST_CASE("config at 80 columns: long option names and types are never cut", "[panels][config]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  auto config = *s.config;
  config.options.push_back({"DisableDebuggerAttachment", "Boolean", {"1"}, true});
  config.options.push_back({"AssumeReachableIPv6", "Boolean+Auto", {"auto"}, true});
  s.config = config;
  panels::ScreenState state;
  state.page = panels::Page::kConfig;
  panels::layout_screen(state, s, 80, 24);
  std::string screen;
  for (const auto& r : draw(s, state, 80, 24)) screen += r + "\n";
  INFO(screen);
  CHECK(screen.find("DisableDebuggerAttachment Boolean") != std::string::npos);
  CHECK(screen.find("Boolean+Auto") != std::string::npos);
  CHECK(screen.find("...") == std::string::npos);
}
