// The log page's event chooser: drawn into the text canvas (exact rows),
// keys, and the log showing chosen non-log events.
#include <catch2/catch.hpp>

#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using panels::Request;
using panels::ScreenState;
namespace key = relaymon::ui::key;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

// tor 0.4.9.11's events/names, as a DisableNetwork tor answers it.
const std::vector<std::string> kNames{"CIRC",
                                      "CIRC_MINOR",
                                      "STREAM",
                                      "ORCONN",
                                      "BW",
                                      "DEBUG",
                                      "INFO",
                                      "NOTICE",
                                      "WARN",
                                      "ERR",
                                      "NEWDESC",
                                      "ADDRMAP",
                                      "DESCCHANGED",
                                      "NS",
                                      "STATUS_GENERAL",
                                      "STATUS_CLIENT",
                                      "STATUS_SERVER",
                                      "GUARD",
                                      "STREAM_BW",
                                      "CLIENTS_SEEN",
                                      "NEWCONSENSUS",
                                      "BUILDTIMEOUT_SET",
                                      "GOT_SIGNAL",
                                      "SIGNAL",
                                      "CONF_CHANGED",
                                      "CONN_BW",
                                      "CELL_STATS",
                                      "CIRC_BW",
                                      "TRANSPORT_LAUNCHED",
                                      "HS_DESC",
                                      "HS_DESC_CONTENT",
                                      "NETWORK_LIVENESS"};

std::vector<std::string> draw(const model::Snapshot& s, const ScreenState& state, int w, int h) {
  ui::TextCanvas c(w, h);
  panels::draw_screen(s, state, c);
  CHECK(c.outside_calls() == 0);
  return c.rows();
}

void press(ScreenState& state, const model::Snapshot& s, int k) {
  panels::handle_key(state, k, s);
}

}  // namespace

TEST_CASE("the event chooser lists events/names with the choice marked", "[panels][log]") {
  panels::test::use_utc();
  const auto s = panels::test::sample();
  ScreenState state;
  state.page = panels::Page::kLog;
  state.log.event_names = kNames;
  press(state, s, 'e');
  for (char ch : std::string("CI")) press(state, s, ch);
  press(state, s, ' ');
  const std::vector<std::string> expected80{
      "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)",
      "labrelay3 - 203.0.113.5:9001  DirPort 9030  control 127.0.0.1:9051 (safecookie)",
      "pid: 4242  alerts: 1 warning  fds: 345/1024 (34%)  uptime: 3d 04h  mem: 120 MiB",
      "cpu: 3.2% tor, 0.4% relaymon  exit policy: reject *:*",
      "fingerprint: 1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B",
      "flags: Fast, Guard, Running, Stable, Valid",
      "+- Log events: space toggles, enter applies, esc cancels ----------------------+",
      "| chosen: NOTICE WARN ERR CIRC                                                 |",
      "| [ ] DEBUG               [ ] CIRC_MINOR          [ ] NEWDESC                  |",
      "| [ ] INFO                [ ] CLIENTS_SEEN        [ ] NS                       |",
      "| [x] NOTICE              [ ] CONF_CHANGED        [ ] ORCONN                   |",
      "| [x] WARN                [ ] CONN_BW             [ ] SIGNAL                   |",
      "| [x] ERR                 [ ] DESCCHANGED         [ ] STATUS_CLIENT            |",
      "| [ ] ADDRMAP             [ ] GOT_SIGNAL          [ ] STATUS_GENERAL           |",
      "| [ ] BUILDTIMEOUT_SET    [ ] GUARD               [ ] STATUS_SERVER            |",
      "| [ ] BW                  [ ] HS_DESC             [ ] STREAM                   |",
      "| [ ] CELL_STATS          [ ] HS_DESC_CONTENT     [ ] STREAM_BW                |",
      "| [x] CIRC                [ ] NETWORK_LIVENESS    [ ] TRANSPORT_LAUNCHED       |",
      "| [ ] CIRC_BW             [ ] NEWCONSENSUS                                     |",
      "|                                                                              |",
      "|                                                                              |",
      "|                                                                              |",
      "+- CIRC: a circuit was launched, built, extended, failed or closed ------------+",
      "1 overview 2 log 3 conns 4 alerts 5 config 6 torrc 7 interp 8 health  h m q",
  };
  CHECK(draw(s, state, 80, 24) == expected80);
  // Narrow: one column, scrolled so the cursor (CIRC) stays in view.
  const std::vector<std::string> expected40{
      "relaymon - relay1 (Linux 6.1.0)",
      "Tor 0.4.9.11 (recommended)",
      "labrelay3 - 203.0.113.5:9001",
      "DirPort 9030",
      "+- Log events: space toggles, enter ap-+",
      "| chosen: NOTICE WARN ERR CIRC         |",
      "| [x] NOTICE                           |",
      "| [x] WARN                             |",
      "| [x] ERR                              |",
      "| [ ] ADDRMAP                          |",
      "| [ ] BUILDTIMEOUT_SET                 |",
      "| [ ] BW                               |",
      "| [ ] CELL_STATS                       |",
      "| [x] CIRC                             |",
      "+- CIRC: a circuit was launched, built-+",
      "1 2 3 4 5 6 7 8  h m q",
  };
  CHECK(draw(s, state, 40, 16) == expected40);
}

TEST_CASE("chosen non-log events show in the log by name", "[panels][log]") {
  panels::test::use_utc();
  auto s = panels::test::sample();
  model::LogEntry circ;
  circ.time = panels::test::t0() - std::chrono::seconds(2);
  circ.severity = "CIRC";
  circ.message = "7 BUILT $9695DFC35FFEB861329B9F1AB04C46397020CE31~moria1 PURPOSE=GENERAL";
  s.log.edit().push_back(circ);
  panels::LogView view;
  CHECK(panels::visible_log(s, view).size() == 4);  // CIRC not chosen
  view.events = {"NOTICE", "WARN", "ERR", "CIRC"};
  auto lines = panels::visible_log(s, view);
  REQUIRE(lines.size() == 5);
  CHECK(panels::log_line_text(lines[0]) ==
        "09:59:58 [CIRC] 7 BUILT $9695DFC35FFEB861329B9F1AB04C46397020CE31~moria1 "
        "PURPOSE=GENERAL");
  view.events = {};
  // relaymon's own messages and alerts stay whatever is chosen.
  model::LogEntry own;
  own.time = panels::test::t0();
  own.severity = "NOTICE";
  own.message = "connected to tor";
  own.source = model::LogSource::kRelaymon;
  s.log.edit().push_back(own);
  lines = panels::visible_log(s, view);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].entry->message == "connected to tor");
}

TEST_CASE("the event chooser: keys, jumps, names offered before tor answers", "[panels][log]") {
  const auto s = panels::test::sample();
  ScreenState state;
  state.page = panels::Page::kLog;
  // Before events/names is known, tor 0.4.9's names are offered.
  auto offered = panels::offered_events({}, state.log.events);
  CHECK(offered.front() == "DEBUG");
  CHECK(std::find(offered.begin(), offered.end(), "CONF_CHANGED") != offered.end());
  // A chosen name tor did not list stays offered (so it can be unchosen).
  offered = panels::offered_events({"CIRC", "NOTICE"}, {"NOTICE", "WARN"});
  CHECK(offered == std::vector<std::string>{"NOTICE", "WARN", "CIRC"});

  state.log.event_names = kNames;
  press(state, s, 'e');
  REQUIRE(state.log.chooser.open);
  for (char ch : std::string("XYZ")) press(state, s, ch);
  CHECK(state.log.chooser.search.empty());
  auto out = panels::handle_key(state, 'S', s);  // STATUS_CLIENT... (S: SIGNAL first)
  CHECK_FALSE(out.request);
  CHECK(state.log.chooser.search == "S");
  press(state, s, key::kBackspace);
  CHECK(state.log.chooser.search.empty());
  press(state, s, key::kEnd);
  press(state, s, ' ');  // the last name: TRANSPORT_LAUNCHED
  press(state, s, key::kHome);
  press(state, s, ' ');  // DEBUG
  out = panels::handle_key(state, key::kEnter, s);
  CHECK(out.request ==
        Request{Request::Kind::kLogEvents, "DEBUG NOTICE WARN ERR TRANSPORT_LAUNCHED"});
  CHECK(state.message == "log events: DEBUG NOTICE WARN ERR TRANSPORT_LAUNCHED");
  CHECK(state.page == panels::Page::kLog);
}

TEST_CASE("the log page's help names the event chooser", "[panels][log]") {
  bool found = false;
  for (const auto& a : panels::page_actions(panels::Page::kLog)) {
    if (a.keys_label == "e") found = a.description.find("events") != std::string::npos;
  }
  CHECK(found);
}

TEST_CASE("relaymon's own lines carry one prefix, r hides them, the title counts tor's warnings",
          "[panels][log]") {
  auto s = panels::test::sample();
  s.tor.warn_messages = 1234;
  s.tor.err_messages = 2;
  model::LogEntry own;
  own.time = panels::test::t0();
  own.severity = "WARN";
  own.message = "alert unestablished-exit raised: port 443 — syn_sent=4";
  own.source = model::LogSource::kAlert;
  s.log.edit().push_back(own);
  ScreenState state;
  state.page = panels::Page::kLog;
  auto lines = panels::visible_log(s, state.log);
  REQUIRE_FALSE(lines.empty());
  CHECK(panels::log_line_text(lines[0]) ==
        "10:00:00 [WARN] relaymon: alert unestablished-exit raised: port 443 — syn_sent=4");
  ui::TextCanvas canvas(120, 10);
  panels::draw_log(s, state.log, canvas);
  CHECK(canvas.row(0) ==
        "Log (NOTICE WARN ERR, 5 entries, dedup; tor since start: 1234 WARN, 2 ERR):");
  press(state, s, 'r');
  CHECK_FALSE(state.log.own);
  for (const auto& line : panels::visible_log(s, state.log))
    CHECK(line.entry->source == model::LogSource::kTor);
  ui::TextCanvas hidden(120, 10);
  panels::draw_log(s, state.log, hidden);
  CHECK(hidden.row(0) ==
        "Log (NOTICE WARN ERR, 4 entries, dedup, relaymon's own hidden; tor "
        "since start: 1234 WARN, 2 ERR):");
  press(state, s, 'r');
  CHECK(state.log.own);
}
