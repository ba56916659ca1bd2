// Key handling: page switching, the quit confirmation, overlays, prompts,
// and each page's keys. Handlers only change view state or return requests.
#include <catch2/catch.hpp>

#include "model/torrc.h"
#include "panels/screen.h"
#include "sample.h"

using namespace relaymon;
using panels::Page;
using panels::Request;
using panels::ScreenState;
namespace key = ui::key;

namespace {

// As the app does: the layout step on an 80x24 screen, then the key.
panels::ScreenOutcome press(ScreenState& state, const model::Snapshot& s, int k) {
  panels::layout_screen(state, s, 80, 24);
  return panels::handle_key(state, k, s);
}

void type(ScreenState& state, const model::Snapshot& s, const std::string& text) {
  for (unsigned char ch : text) press(state, s, ch);
}

}  // namespace

TEST_CASE("left/right and number keys switch pages", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, key::kRight);
  CHECK(state.page == Page::kLog);
  press(state, s, key::kRight);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kAlerts);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kConfig);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kTorrc);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kInterpreter);  // an empty input line lets arrows through
  press(state, s, key::kRight);
  CHECK(state.page == Page::kHealth);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kOverview);  // wraps around
  press(state, s, key::kLeft);
  CHECK(state.page == Page::kHealth);
  press(state, s, '3');
  CHECK(state.page == Page::kConnections);
  press(state, s, '9');
  CHECK(state.page == Page::kConnections);
  CHECK(state.message == "9: not a key here (h for help)");
  press(state, s, '1');
  CHECK(state.message.empty());  // messages last until the next key
}

TEST_CASE("q asks before quitting", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  auto out = press(state, s, 'q');
  CHECK_FALSE(out.quit);
  REQUIRE(state.confirm);
  CHECK(state.confirm->question == "Quit relaymon? (y/n)");
  out = press(state, s, 'n');
  CHECK_FALSE(out.quit);
  CHECK_FALSE(state.confirm);
  CHECK(state.message == "cancelled");
  press(state, s, 'q');
  out = press(state, s, 'y');
  CHECK(out.quit);
  // nyx's habit: q q quits too; a q answers only the quit question.
  ScreenState nyx_habit;
  press(nyx_habit, s, 'q');
  CHECK(press(nyx_habit, s, 'q').quit);
  ScreenState reload;
  press(reload, s, 'x');
  REQUIRE(reload.confirm);
  auto answer = press(reload, s, 'q');
  CHECK_FALSE(answer.quit);
  CHECK_FALSE(answer.request);

  ui::TextCanvas c(80, 24);
  ScreenState asking;
  press(asking, s, 'q');
  panels::draw_screen(s, asking, c);
  CHECK(c.row(23) == "Quit relaymon? (y/n)");
  CHECK(c.role_at(0, 23) == ui::Role::kWarning);
}

TEST_CASE("reload asks first, new identity does not", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  auto out = press(state, s, 'x');
  CHECK_FALSE(out.request);
  out = press(state, s, 'y');
  CHECK(out.request == Request{Request::Kind::kSignal, "RELOAD"});
  CHECK_FALSE(out.quit);
  out = press(state, s, 'n');
  CHECK(out.request == Request{Request::Kind::kSignal, "NEWNYM"});
}

TEST_CASE("help and page keys overlays open and close", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, 'h');
  CHECK(state.help);
  press(state, s, key::kEscape);
  CHECK_FALSE(state.help);
  press(state, s, '?');
  CHECK(state.help);
  press(state, s, '2');  // any other key closes the help and still works
  CHECK_FALSE(state.help);
  CHECK(state.page == Page::kLog);
  press(state, s, 'm');
  CHECK(state.page_menu);
  press(state, s, 'm');
  CHECK_FALSE(state.page_menu);
}

TEST_CASE("the help scrolls through every page's keys", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, 'h');
  panels::layout_screen(state, s, 80, 24);
  press(state, s, key::kDown);
  press(state, s, key::kDown);
  panels::layout_screen(state, s, 80, 24);
  CHECK(state.help);
  CHECK(state.help_scroll.top == 2);
  press(state, s, key::kEnd);
  panels::layout_screen(state, s, 80, 24);
  ui::TextCanvas canvas(80, 24);
  panels::draw_screen(s, state, canvas);
  std::string screen;
  for (const auto& row : canvas.rows()) screen += row + "\n";
  INFO(screen);
  // The last page's keys are reachable, and the title says where we are.
  CHECK(screen.find("health page:") != std::string::npos);
  CHECK(screen.find("of 54 (up/down scroll, esc closes)") != std::string::npos);
  press(state, s, key::kHome);
  panels::layout_screen(state, s, 80, 24);
  CHECK(state.help_scroll.top == 0);
  press(state, s, key::kEscape);
  CHECK_FALSE(state.help);
}

TEST_CASE("pause and relay switching", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, 'p');
  CHECK(state.paused);
  ui::TextCanvas c(80, 24);
  state.message.clear();
  panels::draw_screen(s, state, c);
  CHECK(c.row(23).substr(74) == "PAUSED");
  press(state, s, 'p');
  CHECK_FALSE(state.paused);

  auto out = press(state, s, key::kTab);
  CHECK_FALSE(out.request);
  CHECK(state.message == "only one relay is monitored");
  state.header.relay_count = 3;
  out = press(state, s, key::kTab);
  CHECK(out.request == Request{Request::Kind::kSwitchRelay, "", 1});
  out = press(state, s, key::kBackTab);
  out = press(state, s, key::kBackTab);
  CHECK(out.request == Request{Request::Kind::kSwitchRelay, "", 2});
  CHECK(state.header.relay_index == 2);
}

TEST_CASE("connections: selection, details, sort cycling, category filter", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '3');
  auto& view = state.connections;
  press(state, s, key::kDown);
  press(state, s, key::kDown);
  press(state, s, key::kDown);  // clamped at the last of three
  CHECK(view.cursor.selected == 2);
  press(state, s, key::kEnter);
  CHECK(view.details);
  press(state, s, key::kEscape);
  CHECK_FALSE(view.details);
  CHECK(state.page == Page::kConnections);

  std::vector<panels::ConnSort> seen;
  for (int i = 0; i < 7; ++i) {
    press(state, s, 's');
    seen.push_back(view.sort);
  }
  CHECK(seen == std::vector<panels::ConnSort>{panels::ConnSort::kAge, panels::ConnSort::kRate,
                                              panels::ConnSort::kBytes, panels::ConnSort::kCountry,
                                              panels::ConnSort::kRelay, panels::ConnSort::kState,
                                              panels::ConnSort::kCategory});

  // The sample has inbound-relay, inbound-client and outbound-relay.
  press(state, s, 'f');
  CHECK(view.filter == model::Category::kInboundRelay);
  press(state, s, 'f');
  CHECK(view.filter == model::Category::kInboundClient);
  CHECK(panels::visible_connections(s, view).size() == 1);
  press(state, s, 'f');
  CHECK(view.filter == model::Category::kOutboundRelay);
  press(state, s, 'f');
  CHECK_FALSE(view.filter);
  CHECK(panels::visible_connections(s, view).size() == 3);

  press(state, s, 'c');
  CHECK(view.mode == panels::ConnMode::kCircuits);
  press(state, s, 'e');
  CHECK(view.mode == panels::ConnMode::kSummary);
  press(state, s, key::kEscape);
  CHECK(view.mode == panels::ConnMode::kList);
}

TEST_CASE("connections sort orders", "[panels][connections]") {
  const auto s = panels::test::sample();
  panels::ConnectionsView view;
  auto order = [&] {
    std::vector<std::string> out;
    for (const auto* c : panels::visible_connections(s, view)) out.push_back(c->country);
    return out;
  };
  CHECK(order() == std::vector<std::string>{"FR", "DE", "US"});  // by category
  view.sort = panels::ConnSort::kAge;                            // oldest first
  CHECK(order() == std::vector<std::string>{"US", "DE", "FR"});
  view.sort = panels::ConnSort::kRate;  // busiest first
  CHECK(order() == std::vector<std::string>{"DE", "US", "FR"});
  view.sort = panels::ConnSort::kBytes;
  CHECK(order() == std::vector<std::string>{"US", "DE", "FR"});
  view.sort = panels::ConnSort::kCountry;
  CHECK(order() == std::vector<std::string>{"DE", "FR", "US"});
  view.descending = true;
  CHECK(order() == std::vector<std::string>{"US", "FR", "DE"});
}

TEST_CASE("log: the event chooser asks for events, regex filter, clear, save", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '2');
  CHECK(panels::visible_log(s, state.log).size() == 4);  // NOTICE WARN ERR, not INFO
  state.log.event_names = {"CIRC", "INFO", "ERR", "DEBUG", "NOTICE", "WARN", "CONF_CHANGED"};
  auto out = press(state, s, 'e');
  REQUIRE(state.log.chooser.open);
  CHECK_FALSE(out.request);
  // While it is open, page and quit keys are the chooser's: 'q' jumps to nothing.
  press(state, s, key::kRight);
  CHECK(state.page == panels::Page::kLog);
  press(state, s, 'q');
  CHECK_FALSE(state.confirm);
  type(state, s, "IN");  // jump to INFO
  press(state, s, ' ');
  type(state, s, "CONF");
  press(state, s, ' ');
  type(state, s, "WA");
  press(state, s, ' ');  // WARN off
  out = press(state, s, key::kEnter);
  CHECK_FALSE(state.log.chooser.open);
  CHECK(out.request == Request{Request::Kind::kLogEvents, "INFO NOTICE ERR CONF_CHANGED"});
  CHECK(state.log.events == std::vector<std::string>{"INFO", "NOTICE", "ERR", "CONF_CHANGED"});
  CHECK(panels::visible_log(s, state.log).size() == 3);  // two NOTICE, one INFO

  // Esc leaves the choice as it was.
  press(state, s, 'e');
  press(state, s, ' ');
  out = press(state, s, key::kEscape);
  CHECK_FALSE(out.request);
  CHECK(state.log.events.size() == 4);
  state.log.events = panels::default_log_events();

  press(state, s, 'f');
  REQUIRE(state.prompt);
  type(state, s, "reachx");
  press(state, s, key::kBackspace);
  CHECK(state.prompt->text == "reach");
  press(state, s, key::kEnter);
  CHECK_FALSE(state.prompt);
  auto lines = panels::visible_log(s, state.log);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].entry->message == "Your relay has not been reachable for a while");

  press(state, s, 'f');
  type(state, s, "(unclosed");
  press(state, s, key::kEnter);
  CHECK(state.message.rfind("invalid regex", 0) == 0);
  CHECK(state.log.filter == "reach");  // the old filter stays

  press(state, s, 'f');
  for (int i = 0; i < 5; ++i) press(state, s, key::kBackspace);
  press(state, s, key::kEnter);
  CHECK(state.log.filter.empty());
  CHECK(panels::visible_log(s, state.log).size() == 4);

  press(state, s, 'c');
  CHECK(panels::visible_log(s, state.log).empty());
  CHECK(state.message == "log cleared (u shows it again)");
  press(state, s, 'u');
  CHECK(panels::visible_log(s, state.log).size() == 4);

  press(state, s, 'a');
  type(state, s, "/tmp/tor.log");
  out = press(state, s, key::kEnter);
  CHECK(out.request == Request{Request::Kind::kSaveLog, "/tmp/tor.log"});

  press(state, s, 'a');
  press(state, s, key::kEscape);
  CHECK_FALSE(state.prompt);
  CHECK(state.message == "cancelled");
}

TEST_CASE("log: identical messages fold into one line with a count", "[panels][log]") {
  auto s = panels::test::sample();
  s.log.edit().push_back(s.log[0]);  // the bootstrap message again, later
  s.log.edit().back().time += std::chrono::seconds(200);
  panels::LogView view;
  auto lines = panels::visible_log(s, view);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].entry->message == "Bootstrapped 100% (done): Done");
  CHECK(lines[0].count == 2);
  CHECK(panels::log_line_text(lines[1]) ==
        "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from a descriptor (x3)");
  view.dedup = false;
  CHECK(panels::visible_log(s, view).size() == 5);
}

TEST_CASE("prompt input handles UTF-8 and ignores control keys", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '2');
  press(state, s, 'f');
  press(state, s, 0xE9);  // e-acute as a code point
  press(state, s, 0x4E2D);
  press(state, s, 0x1B9B);  // a printable code point above C1
  press(state, s, 0x9B);    // C1 CSI: ignored
  press(state, s, 0x07);    // BEL: ignored
  CHECK(state.prompt->text == "\xc3\xa9\xe4\xb8\xad\xe1\xae\x9b");
  press(state, s, key::kBackspace);
  press(state, s, key::kBackspace);
  CHECK(state.prompt->text == "\xc3\xa9");
  ui::TextCanvas c(60, 14);
  panels::draw_screen(s, state, c);
  CHECK(c.row(13) == "regex filter: \xc3\xa9_");
}

TEST_CASE("alerts: acknowledged stays hidden until it clears or gets worse", "[panels][keys]") {
  auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '4');
  auto list = panels::visible_alerts(s, state.alerts);
  CHECK(list.items.size() == 2);
  CHECK(list.active == 1);
  REQUIRE(s.alerts[0].severity == model::Severity::kWarning);
  press(state, s, 'a');
  CHECK(state.message ==
        "acknowledged descriptors-near-limit (hidden until it clears or gets worse)");
  list = panels::visible_alerts(s, state.alerts);
  CHECK(list.active == 0);
  CHECK(list.hidden == 1);
  // The header counts it apart.
  panels::layout_screen(state, s, 120, 40);
  CHECK(state.header.acknowledged == std::array<long, 3>{0, 1, 0});
  auto header = panels::header_rows(s, state.header, 120);
  std::string text;
  for (const auto& row : header) {
    for (const auto& segment : row) text += segment.text;
  }
  CHECK(text.find("alerts: none (1 acknowledged)") != std::string::npos);
  // New evidence at the next poll: the same incident, still acknowledged.
  s.alerts[0].evidence = {{"used", "351"}};
  s.alerts[0].last_seen += std::chrono::seconds(5);
  CHECK(panels::visible_alerts(s, state.alerts).active == 0);
  // Worse: shown again.
  s.alerts[0].severity = model::Severity::kCritical;
  CHECK(panels::visible_alerts(s, state.alerts).active == 1);
  // Cleared and raised again: a new incident, shown again.
  s.alerts[0].severity = model::Severity::kWarning;
  CHECK(panels::visible_alerts(s, state.alerts).active == 0);
  s.alerts[0].first_seen += std::chrono::seconds(600);
  CHECK(panels::visible_alerts(s, state.alerts).active == 1);
  press(state, s, 'c');
  CHECK(panels::visible_alerts(s, state.alerts).items.size() == 1);  // cleared ones hidden
  press(state, s, key::kDown);
  press(state, s, 'a');
  press(state, s, 'u');
  CHECK(state.alerts.acknowledged.empty());
}

TEST_CASE("graph keys cycle interval, bounds and units", "[panels][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, 'i');
  CHECK(state.overview.graph.interval == 1);
  for (int i = 0; i < 7; ++i) press(state, s, 'i');
  CHECK(state.overview.graph.interval == 0);
  press(state, s, 'b');
  CHECK(state.overview.graph.bounds == panels::GraphBounds::kTight);
  press(state, s, 'b');
  CHECK(state.overview.graph.bounds == panels::GraphBounds::kGlobalMax);
  press(state, s, 't');
  CHECK(state.overview.graph.bits);
}

TEST_CASE("config: edit, reset and save each ask first", "[panels][keys][config]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '5');
  REQUIRE(state.page == Page::kConfig);
  CHECK(panels::visible_options(s, state.config).size() == 7);
  press(state, s, key::kDown);  // ContactInfo
  press(state, s, key::kEnter);
  REQUIRE(state.prompt);
  CHECK(state.prompt->label == "set ContactInfo to: ");
  CHECK(state.prompt->text == "ops@example.org");
  for (int i = 0; i < 11; ++i) press(state, s, key::kBackspace);
  type(state, s, "relays@example.net");
  auto out = press(state, s, key::kEnter);
  CHECK_FALSE(out.request);
  REQUIRE(state.confirm);
  CHECK(state.confirm->question ==
        "Set ContactInfo to \"ops@relays@example.net\" (SETCONF)? (y/n)");
  out = press(state, s, 'y');
  CHECK(out.request ==
        Request{Request::Kind::kSetConf, "ContactInfo", 0, "ops@relays@example.net"});

  press(state, s, 'r');
  REQUIRE(state.confirm);
  CHECK(state.confirm->question == "Reset ContactInfo to its default (RESETCONF)? (y/n)");
  out = press(state, s, 'n');
  CHECK_FALSE(out.request);
  press(state, s, 'w');
  out = press(state, s, 'y');
  CHECK(out.request == Request{Request::Kind::kSaveConf, ""});

  press(state, s, 'a');
  CHECK(panels::visible_options(s, state.config).size() == 10);  // internal ones too
  press(state, s, key::kEnd);
  CHECK(state.config.cursor.selected == 9);
}

TEST_CASE("config: a multi-line option is edited as a whole and every line is sent",
          "[panels][keys][config]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '5');
  for (int i = 0; i < 3; ++i) press(state, s, key::kDown);  // ExitPolicy
  press(state, s, key::kEnter);
  REQUIRE(state.prompt);
  CHECK(state.prompt->label == "set ExitPolicy (2 lines, | between) to: ");
  CHECK(state.prompt->text == "reject *:* | accept *:80");
  // Change the last line only.
  for (int i = 0; i < 2; ++i) press(state, s, key::kBackspace);
  type(state, s, "443");
  press(state, s, key::kEnter);
  REQUIRE(state.confirm);
  CHECK(state.confirm->question ==
        "Set ExitPolicy to 2 lines: \"reject *:*\" \"accept *:443\" (SETCONF)? (y/n)");
  auto out = press(state, s, 'y');
  Request expected{Request::Kind::kSetConf, "ExitPolicy"};
  expected.values = {"reject *:*", "accept *:443"};
  CHECK(out.request == expected);

  // Emptying the list is not a way to reset it.
  press(state, s, key::kEnter);
  REQUIRE(state.prompt);
  for (int i = 0; i < 40; ++i) press(state, s, key::kBackspace);
  out = press(state, s, key::kEnter);
  CHECK_FALSE(state.confirm);
  CHECK_FALSE(out.request);
  CHECK(state.message == "no line given: ExitPolicy unchanged (r resets it to its default)");
}

TEST_CASE("config: lines split at '|', trimmed, empty ones left out", "[panels][config]") {
  CHECK(panels::split_config_lines(" a | b c |  | d ") ==
        std::vector<std::string>{"a", "b c", "d"});
  CHECK(panels::split_config_lines("").empty());
  CHECK(panels::split_config_lines("one") == std::vector<std::string>{"one"});
}

TEST_CASE("torrc: marks and jumping between them", "[panels][keys][torrc]") {
  const auto s = panels::test::sample();
  auto lines = model::analyze_torrc(s.config);
  REQUIRE(lines.size() == 13);
  using Mark = panels::TorrcLine::Mark;
  using Kind = panels::TorrcLine::Kind;
  CHECK(lines[0].kind == Kind::kComment);
  CHECK(lines[3].value == "ops@example.org");
  CHECK(lines[3].comment == "# published");
  CHECK(lines[4].kind == Kind::kBlank);
  CHECK(lines[6].mark == Mark::kRepeated);
  CHECK(lines[7].mark == Mark::kDiffers);
  CHECK(lines[8].mark == Mark::kNone);  // "1 MB" vs 1048576: sizes are not compared
  CHECK(lines[9].mark == Mark::kUnknown);
  CHECK(lines[10].kind == Kind::kInclude);
  CHECK(lines[11].mark == Mark::kNone);  // ExitPolicy may repeat
  CHECK(lines[12].mark == Mark::kNone);
  CHECK(lines[12].value == "accept *:80");  // CR and indentation handled

  model::TorConfig no_names = s.config;
  no_names.options.clear();  // config/names not fetched yet: no guesses
  for (const auto& l : model::analyze_torrc(no_names)) CHECK(l.mark == Mark::kNone);

  ScreenState state;
  press(state, s, '6');
  press(state, s, 'j');
  CHECK(state.torrc.mark == 6);
  press(state, s, 'j');
  CHECK(state.torrc.mark == 7);
  press(state, s, 'j');
  CHECK(state.torrc.mark == 9);
  press(state, s, 'j');
  CHECK(state.message == "no more marked lines");
  press(state, s, key::kEnd);
  auto area = panels::page_area(s, state, 80, 24);
  CHECK(state.torrc.scroll.top == std::max(0, 13 - (area.height - 1)));  // the last screenful
}

TEST_CASE("config: sizes and intervals in tor's words", "[panels][config]") {
  CHECK(panels::value_in_words("DataSize", "1073741824") == "1 GByte");
  CHECK(panels::value_in_words("DataSize", "2097152") == "2 MBytes");
  CHECK(panels::value_in_words("DataSize", "1000") == "1000 bytes");
  CHECK(panels::value_in_words("DataSize", "0") == "0 bytes");
  CHECK(panels::value_in_words("TimeInterval", "600") == "10 minutes");
  CHECK(panels::value_in_words("TimeInterval", "86400") == "1 day");
  CHECK(panels::value_in_words("TimeInterval", "90") == "90 seconds");
  CHECK(panels::value_in_words("TimeMsecInterval", "1500") == "1500 msec");
  CHECK(panels::value_in_words("TimeMsecInterval", "2000") == "2 seconds");
  CHECK(panels::value_in_words("Integer", "600") == "600");
  CHECK(panels::value_in_words("DataSize", "1 GBytes") == "1 GBytes");  // not a number: as is
}
