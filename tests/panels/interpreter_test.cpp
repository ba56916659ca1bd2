// The interpreter page: rendering at each width, the input line's editing
// and history, tab completion from tor's real info/config/events/signal
// names (the labexit4 capture), bounded history and transcript, and the
// routing of keys between the input line and the page keys.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using panels::InterpreterView;
using panels::Page;
using panels::Request;
using panels::ScreenState;
using panels::TranscriptLine;
using Rows = std::vector<std::string>;
namespace key = ui::key;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

std::string read_fixture(const std::string& relative) {
  std::ifstream in(std::string(RELAYMON_FIXTURES) + "/tor-0.4.9.11-testnet/" + relative,
                   std::ios::binary);
  REQUIRE(in);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

// The value of a "250+key=" data block or a "250-key=value" line in a
// recorded transcript, CRLF kept (completion_words must cope).
std::string getinfo_value(const std::string& transcript, const std::string& key) {
  std::string block = "250+" + key + "=\r\n";
  auto at = transcript.find(block);
  if (at != std::string::npos) {
    auto start = at + block.size();
    auto end = transcript.find("\r\n.\r\n", start);
    REQUIRE(end != std::string::npos);
    return transcript.substr(start, end + 2 - start);
  }
  std::string line = "250-" + key + "=";
  at = transcript.find(line);
  REQUIRE(at != std::string::npos);
  auto start = at + line.size();
  return transcript.substr(start, transcript.find("\r\n", start) - start);
}

std::vector<std::string> recorded_words() {
  std::string refusals = read_fixture("control/auth-and-refusals/labexit4-event-refusals.txt");
  std::string signals =
      read_fixture("control/extra-getinfo/exit-labexit4/35-getinfo-signal_names.txt");
  return panels::completion_words(
      getinfo_value(refusals, "info/names"), getinfo_value(refusals, "config/names"),
      getinfo_value(refusals, "events/names"), getinfo_value(signals, "signal/names"));
}

void type(InterpreterView& view, const std::string& text) {
  for (unsigned char ch : text) panels::handle_interpreter_key(view, ch);
}

panels::ScreenOutcome press(ScreenState& state, const model::Snapshot& s, int k) {
  return panels::handle_key(state, k, s);
}

// A short session: a command, its reply, an event, an error, a completion.
InterpreterView session() {
  InterpreterView view;
  type(view, "GETINFO version");
  panels::handle_interpreter_key(view, key::kEnter);
  panels::add_reply(view, {"250-version=0.4.9.11", "250 OK"}, false);
  type(view, "SETEVENTS BW");
  panels::handle_interpreter_key(view, key::kEnter);
  panels::add_reply(view, {"250 OK"}, false);
  panels::add_event(view, "650 BW 1024 2048");
  type(view, "GETCONF NoSuchOption");
  panels::handle_interpreter_key(view, key::kEnter);
  panels::add_reply(view, {"552 Unrecognized configuration key \"NoSuchOption\""}, true);
  panels::add_event(view, "650 BW 0 0 \x1b[31mred\x1b[0m");
  type(view, "GETCONF ORP");
  return view;
}

Rows draw_page(const InterpreterView& view, int w, int h) {
  ui::TextCanvas c(w, h);
  panels::draw_interpreter(panels::test::sample(), view, c);
  CHECK(c.outside_calls() == 0);
  return c.rows();
}

}  // namespace

TEST_CASE("interpreter: completion words from tor's recorded names", "[panels][interpreter]") {
  auto words = recorded_words();
  auto has = [&](const std::string& w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  };
  CHECK(has("GETINFO"));
  CHECK(has("SETEVENTS"));
  CHECK(has("GETINFO version"));
  CHECK(has("GETINFO config/names"));
  CHECK(has("GETINFO ns/id/"));  // from the wildcard "ns/id/*"
  CHECK(has("GETINFO dir/status/"));
  CHECK_FALSE(has("GETINFO ns/id/*"));
  CHECK_FALSE(has("GETINFO --"));
  CHECK(has("GETCONF ORPort"));
  CHECK(has("SETCONF ORPort"));
  CHECK(has("RESETCONF ContactInfo"));
  CHECK(has("SETEVENTS CIRC"));
  CHECK(has("SETEVENTS NETWORK_LIVENESS"));
  CHECK(has("SIGNAL NEWNYM"));
  CHECK(has("SIGNAL HEARTBEAT"));
  for (const std::string& w : words) {
    CHECK(w.find('\r') == std::string::npos);
    CHECK(w.find('=') == std::string::npos);
  }
  CHECK(std::is_sorted(words.begin(), words.end()));
  CHECK(std::adjacent_find(words.begin(), words.end()) == words.end());
  // Empty and malformed texts give the command words only.
  auto bare = panels::completion_words("", "", "", "");
  CHECK(bare.size() == panels::control_commands().size());
  auto odd = panels::completion_words("\r\n.\r\n  \n", ".", "   ", "\n");
  CHECK(odd.size() == panels::control_commands().size());
}

TEST_CASE("interpreter: tab completes by context", "[panels][interpreter]") {
  InterpreterView view;
  view.completions = recorded_words();

  SECTION("a unique command word, with a space after it") {
    type(view, "geti");
    auto c = panels::complete(view);
    CHECK(c == std::vector<std::string>{"GETINFO"});
    CHECK(view.input == "GETINFO ");
    CHECK(view.cursor == view.input.size());
    CHECK(view.transcript.empty());
  }
  SECTION("several commands: the common prefix, the candidates listed") {
    type(view, "GET");
    panels::handle_interpreter_key(view, key::kTab);
    CHECK(view.input == "GET");
    REQUIRE(view.transcript.size() == 1);
    CHECK(view.transcript[0] == TranscriptLine{TranscriptLine::Kind::kInfo, "GETCONF GETINFO"});
    view = InterpreterView{};
    type(view, "RES");
    panels::complete(view);
    CHECK(view.input == "RES");
    CHECK(view.transcript.back().text == "RESETCONF RESOLVE");
    view = InterpreterView{};
    type(view, "SETC");
    panels::complete(view);
    CHECK(view.input == "SETC");
    CHECK(view.transcript.back().text == "SETCIRCUITPURPOSE SETCONF");
  }
  SECTION("after GETINFO: info keys, a wildcard key as its prefix") {
    type(view, "GETINFO ns/i");
    panels::complete(view);
    CHECK(view.input == "GETINFO ns/id/");  // no space: a fingerprint follows
    type(view, "ABC");
    CHECK(view.input == "GETINFO ns/id/ABC");
    view.input = "GETINFO config/n";
    view.cursor = view.input.size();
    panels::complete(view);
    CHECK(view.input == "GETINFO config/names ");
    view.input = "getinfo accounting/by";
    view.cursor = view.input.size();
    auto c = panels::complete(view);
    CHECK(c == std::vector<std::string>{"accounting/bytes", "accounting/bytes-left"});
    CHECK(view.input == "getinfo accounting/bytes");
  }
  SECTION("after GETCONF/SETCONF/RESETCONF: options, any case, tor's spelling") {
    type(view, "SETCONF contacti");
    panels::complete(view);
    CHECK(view.input == "SETCONF ContactInfo ");
    view.input = "GETCONF orp";
    view.cursor = view.input.size();
    panels::complete(view);
    CHECK(view.input == "GETCONF ORPort");  // ORPort and ORPort... share it
    view.input = "SETEVENTS CIRC STREAM_";
    view.cursor = view.input.size();
    panels::complete(view);
    CHECK(view.input == "SETEVENTS CIRC STREAM_BW ");
    view.input = "SIGNAL NEWN";
    view.cursor = view.input.size();
    panels::complete(view);
    CHECK(view.input == "SIGNAL NEWNYM ");
  }
  SECTION("the context matters: an event name is not an option") {
    type(view, "GETCONF CIRC_MIN");
    CHECK(panels::complete(view).empty());
    CHECK(view.input == "GETCONF CIRC_MIN");
    view.input = "SIGNAL ORP";
    view.cursor = view.input.size();
    CHECK(panels::complete(view).empty());
    view.input = "PROTOCOLINFO x";
    view.cursor = view.input.size();
    CHECK(panels::complete(view).empty());
  }
  SECTION("in the middle of a line only the word before the cursor changes") {
    type(view, "GETINFO vers uptime");
    view.cursor = std::string("GETINFO vers").size();
    panels::complete(view);
    CHECK(view.input == "GETINFO version uptime");
    CHECK(view.cursor == std::string("GETINFO version").size());
  }
  SECTION("long candidate lists are cut") {
    type(view, "SETCONF ");
    panels::complete(view);
    REQUIRE(view.transcript.size() == 1);
    CHECK(view.transcript[0].text.find(" more)") != std::string::npos);
  }
}

TEST_CASE("interpreter: enter sends the line and keeps it in the history",
          "[panels][interpreter]") {
  InterpreterView view;
  type(view, "GETINFO version");
  auto out = panels::handle_interpreter_key(view, key::kEnter);
  CHECK(out.handled);
  CHECK(out.request == Request{Request::Kind::kRawCommand, "GETINFO version"});
  CHECK(view.input.empty());
  CHECK(view.cursor == 0);
  CHECK(view.history == std::deque<std::string>{"GETINFO version"});
  REQUIRE(view.transcript.size() == 1);
  CHECK(view.transcript[0] == TranscriptLine{TranscriptLine::Kind::kCommand, "GETINFO version"});

  // An empty line sends nothing; QUIT would cut relaymon off and is refused.
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);
  type(view, "   ");
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);
  type(view, "quit");
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);
  CHECK(view.transcript.back().kind == TranscriptLine::Kind::kInfo);

  type(view, "SIGNAL HEARTBEAT");
  panels::handle_interpreter_key(view, key::kEnter);
  type(view, "SIGNAL HEARTBEAT");  // a repeat is kept once
  panels::handle_interpreter_key(view, key::kEnter);
  CHECK(view.history == std::deque<std::string>{"GETINFO version", "quit", "SIGNAL HEARTBEAT"});

  SECTION("up/down recall, the unfinished line comes back") {
    type(view, "GETC");
    panels::handle_interpreter_key(view, key::kUp);
    CHECK(view.input == "SIGNAL HEARTBEAT");
    panels::handle_interpreter_key(view, key::kUp);
    panels::handle_interpreter_key(view, key::kUp);
    CHECK(view.input == "GETINFO version");
    panels::handle_interpreter_key(view, key::kUp);  // stays at the oldest
    CHECK(view.input == "GETINFO version");
    CHECK(view.cursor == view.input.size());
    panels::handle_interpreter_key(view, key::kDown);
    CHECK(view.input == "quit");
    panels::handle_interpreter_key(view, key::kDown);
    panels::handle_interpreter_key(view, key::kDown);
    CHECK(view.input == "GETC");
    panels::handle_interpreter_key(view, key::kDown);
    CHECK(view.input == "GETC");
    panels::handle_interpreter_key(view, key::kUp);
    auto again = panels::handle_interpreter_key(view, key::kEnter);
    CHECK(again.request == Request{Request::Kind::kRawCommand, "SIGNAL HEARTBEAT"});
  }
  SECTION("editing: cursor moves, insert, backspace, delete, UTF-8 kept whole") {
    type(view, "GETINFO");
    panels::handle_interpreter_key(view, key::kHome);
    panels::handle_interpreter_key(view, key::kDelete);
    panels::handle_interpreter_key(view, 'g');
    CHECK(view.input == "gETINFO");
    panels::handle_interpreter_key(view, key::kEnd);
    panels::handle_interpreter_key(view, ' ');
    panels::handle_interpreter_key(view, 0xE9);  // é, two bytes
    panels::handle_interpreter_key(view, 'x');
    panels::handle_interpreter_key(view, key::kLeft);
    panels::handle_interpreter_key(view, key::kLeft);
    CHECK(view.cursor == std::string("gETINFO ").size());
    panels::handle_interpreter_key(view, key::kRight);
    panels::handle_interpreter_key(view, key::kBackspace);
    CHECK(view.input == "gETINFO x");
    panels::handle_interpreter_key(view, 0x1B9B);  // not a control key: a code point
    panels::handle_interpreter_key(view, 0x9B);    // C1 CSI is never inserted
    panels::handle_interpreter_key(view, 21);      // ^U clears
    CHECK(view.input.empty());
  }
}

TEST_CASE("interpreter: relaymon's own /help, /info and /events", "[panels][interpreter]") {
  InterpreterView view;
  type(view, "/help");
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);  // never sent to tor
  CHECK(view.transcript.back().kind == TranscriptLine::Kind::kInfo);
  CHECK(view.transcript[1].text.find("/info KEY... sends GETINFO KEY") != std::string::npos);

  type(view, "/info version config-file");
  auto out = panels::handle_interpreter_key(view, key::kEnter);
  CHECK(out.request == Request{Request::Kind::kRawCommand, "GETINFO version config-file"});
  type(view, "/info");
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);
  CHECK(view.transcript.back().text.rfind("/info needs a key", 0) == 0);

  type(view, "/events");
  panels::handle_interpreter_key(view, key::kEnter);
  CHECK(view.transcript.back().text ==
        "no events subscribed here (SETEVENTS CIRC STREAM ... subscribes)");
  type(view, "SETEVENTS circ EXTENDED stream");
  CHECK(panels::handle_interpreter_key(view, key::kEnter).request);
  panels::add_event(view, "650 CIRC 1 LAUNCHED");
  type(view, "/events");
  panels::handle_interpreter_key(view, key::kEnter);
  CHECK(view.transcript.back().text ==
        "subscribed here: CIRC STREAM; 1 event line in the transcript");

  type(view, "/nope");
  CHECK_FALSE(panels::handle_interpreter_key(view, key::kEnter).request);
  CHECK(view.transcript.back().text == "unknown command /nope (/help lists relaymon's commands)");
}

TEST_CASE("interpreter: replies, events and errors, sanitised", "[panels][interpreter]") {
  InterpreterView view;
  panels::add_reply(view, {"250-a=\x1b]0;title\x07", "250 OK"}, false);
  panels::add_reply(view, {"552 no"}, true);
  panels::add_event(view, "650 NOTICE \xff");
  panels::add_info(view, "note");
  panels::add_error(view, "connection lost");
  using K = TranscriptLine::Kind;
  CHECK(view.transcript == std::deque<TranscriptLine>{{K::kReply, "250-a=\\x1b]0;title\\x07"},
                                                      {K::kReply, "250 OK"},
                                                      {K::kError, "552 no"},
                                                      {K::kEvent, "650 NOTICE \\xff"},
                                                      {K::kInfo, "note"},
                                                      {K::kError, "connection lost"}});
  CHECK(panels::setevents_list("setevents circ  Bw") == std::vector<std::string>{"CIRC", "BW"});
  CHECK(panels::setevents_list("SETEVENTS") == std::vector<std::string>{});
  CHECK_FALSE(panels::setevents_list("GETINFO version"));
  CHECK_FALSE(panels::setevents_list(""));
}

TEST_CASE("interpreter: history and transcript stay bounded", "[panels][interpreter]") {
  InterpreterView view;
  for (int i = 0; i < 10000; ++i) {
    type(view, "GETINFO n" + std::to_string(i));
    panels::handle_interpreter_key(view, key::kEnter);
    panels::add_event(view, "650 BW 1 1");
  }
  CHECK(view.history.size() == InterpreterView::kHistoryLimit);
  CHECK(view.history.back() == "GETINFO n9999");
  CHECK(view.history.front() == "GETINFO n9500");
  CHECK(view.transcript.size() == InterpreterView::kTranscriptLimit);
  CHECK(view.transcript.back().text == "650 BW 1 1");
  CHECK(view.transcript[view.transcript.size() - 2].text == "GETINFO n9999");
  std::vector<std::string> many(10000, "250-line");
  panels::add_reply(view, many, false);
  CHECK(view.transcript.size() == InterpreterView::kTranscriptLimit);
  // The input line has a limit too.
  type(view, std::string(10000, 'a'));
  CHECK(view.input.size() == 4096);
  CHECK(draw_page(view, 40, 6).back().size() == 40);
}

TEST_CASE("interpreter: scrolling keeps the lines read in place", "[panels][interpreter]") {
  InterpreterView view = session();
  panels::layout_interpreter(view, 40, 5);  // three transcript rows
  panels::handle_interpreter_key(view, key::kPageUp);
  CHECK(view.scroll.top == 2);  // a page less one row of context
  for (int i = 0; i < 10; ++i) panels::handle_interpreter_key(view, key::kPageUp);
  CHECK(view.scroll.top == static_cast<int>(view.transcript.size()) - 3);  // the oldest page
  panels::handle_interpreter_key(view, key::kPageDown);
  panels::handle_interpreter_key(view, key::kPageDown);
  panels::handle_interpreter_key(view, key::kPageDown);
  panels::handle_interpreter_key(view, key::kPageDown);
  CHECK(view.scroll.top == 0);
  view.scroll.top = 2;
  panels::add_event(view, "650 BW 5 5");
  CHECK(view.scroll.top == 3);
  CHECK(draw_page(view, 40, 5) == Rows{
                                      "Interpreter (10 lines, 3 newer below;...",
                                      "250 OK",
                                      "650 BW 1024 2048",
                                      "> GETCONF NoSuchOption",
                                      ">>> GETCONF ORP_",
                                  });
}

TEST_CASE("interpreter page at each width", "[panels][interpreter]") {
  const InterpreterView view = session();
  SECTION("120") {
    ui::TextCanvas c(120, 12);
    panels::draw_interpreter(panels::test::sample(), view, c);
    CHECK(c.rows() == Rows{
                          "Interpreter (9 lines; esc leaves the input):",
                          "",
                          "> GETINFO version",
                          "250-version=0.4.9.11",
                          "250 OK",
                          "> SETEVENTS BW",
                          "250 OK",
                          "650 BW 1024 2048",
                          "> GETCONF NoSuchOption",
                          "552 Unrecognized configuration key \"NoSuchOption\"",
                          "650 BW 0 0 \\x1b[31mred\\x1b[0m",
                          ">>> GETCONF ORP_",
                      });
    CHECK(c.role_at(0, 2) == ui::Role::kTitle);        // a command
    CHECK(c.role_at(0, 3) == ui::Role::kNormal);       // a reply
    CHECK(c.role_at(0, 7) == ui::Role::kAccent);       // an event
    CHECK(c.role_at(0, 9) == ui::Role::kCritical);     // an error
    CHECK(c.role_at(15, 11) == ui::Role::kSelection);  // the cursor
  }
  SECTION("80, the cursor inside the line") {
    InterpreterView mid = view;
    mid.cursor = 9;
    ui::TextCanvas c(80, 6);
    panels::draw_interpreter(panels::test::sample(), mid, c);
    CHECK(c.rows() == Rows{
                          "Interpreter (9 lines; esc leaves the input):",
                          "650 BW 1024 2048",
                          "> GETCONF NoSuchOption",
                          "552 Unrecognized configuration key \"NoSuchOption\"",
                          "650 BW 0 0 \\x1b[31mred\\x1b[0m",
                          ">>> GETCONF ORP",
                      });
    CHECK(c.role_at(13, 5) == ui::Role::kSelection);  // on the 'O'
    CHECK(c.role_at(14, 5) == ui::Role::kValue);
  }
  SECTION("40: long lines wrap, a long input shows its end") {
    InterpreterView narrow = view;
    narrow.input = "GETINFO " + std::string(50, 'x');
    narrow.cursor = narrow.input.size();
    ui::TextCanvas c(40, 6);
    panels::draw_interpreter(panels::test::sample(), narrow, c);
    CHECK(c.rows() == Rows{
                          "Interpreter (9 lines; esc leaves the ...",
                          "> GETCONF NoSuchOption",
                          "552 Unrecognized configuration key",
                          "\"NoSuchOption\"",
                          "650 BW 0 0 \\x1b[31mred\\x1b[0m",
                          ">>> " + std::string(35, 'x') + "_",
                      });
  }
  SECTION("empty, and not typing") {
    InterpreterView idle;
    idle.typing = false;
    CHECK(draw_page(idle, 60, 4) == Rows{
                                        "Interpreter (0 lines; enter types):",
                                        "type a command, e.g. GETINFO version (tab completes)",
                                        "",
                                        ">>> (enter to type a command)",
                                    });
    CHECK(draw_page(idle, 40, 1) == Rows{"Interpreter (0 lines; enter types):"});
    CHECK(draw_page(idle, 40, 2) ==
          Rows{"Interpreter (0 lines; enter types):", ">>> (enter to type a command)"});
  }
}

TEST_CASE("interpreter screen at the minimum size", "[panels][interpreter][screen]") {
  panels::test::use_utc();
  ScreenState state;
  state.page = Page::kInterpreter;
  state.interpreter = session();
  const auto& info = panels::page_info(Page::kInterpreter);
  CHECK(info.name == "interpreter");
  ui::TextCanvas c(info.min_width, info.min_height);
  panels::draw_screen(panels::test::sample(), state, c);
  CHECK(c.outside_calls() == 0);
  CHECK(c.rows() == Rows{
                        "relaymon - relay1 (Linux 6.1.0)",
                        "Tor 0.4.9.11 (recommended)",
                        "Interpreter (9 lines; esc leaves the ...",
                        "552 Unrecognized configuration key",
                        "\"NoSuchOption\"",
                        "650 BW 0 0 \\x1b[31mred\\x1b[0m",
                        ">>> GETCONF ORP_",
                        "1 2 3 4 5 6 7 8  esc",
                    });
  ui::TextCanvas small(info.min_width - 1, info.min_height);
  panels::draw_screen(panels::test::sample(), state, small);
  CHECK(small.row(3).find("too small") != std::string::npos);
}

TEST_CASE("interpreter keys: typing owns the keys until esc", "[panels][interpreter][keys]") {
  const auto s = panels::test::sample();
  ScreenState state;
  press(state, s, '7');
  REQUIRE(state.page == Page::kInterpreter);
  CHECK(state.interpreter.typing);
  for (int k : {'1', '3', 'q', 'h', 'm', 'p', 'x', 'n', '?'}) press(state, s, k);
  CHECK(state.page == Page::kInterpreter);
  CHECK(state.interpreter.input == "13qhmpxn?");
  CHECK_FALSE(state.confirm);
  CHECK_FALSE(state.help);
  CHECK_FALSE(state.paused);
  // With text in the line the arrows move the cursor, not the page.
  press(state, s, key::kLeft);
  CHECK(state.page == Page::kInterpreter);
  CHECK(state.interpreter.cursor == 8);
  auto out = press(state, s, key::kEnter);
  CHECK(out.request == Request{Request::Kind::kRawCommand, "13qhmpxn?"});
  // Tab completes rather than switching relays.
  state.header.relay_count = 2;
  press(state, s, key::kTab);
  CHECK(state.header.relay_index == 0);

  press(state, s, key::kEscape);
  CHECK_FALSE(state.interpreter.typing);
  CHECK(state.message.find("page keys work again") != std::string::npos);
  press(state, s, 'h');
  CHECK(state.help);
  press(state, s, key::kEscape);
  CHECK_FALSE(state.help);
  press(state, s, '1');
  CHECK(state.page == Page::kOverview);

  // Coming back means typing again; an empty line lets the arrows switch.
  press(state, s, key::kLeft);
  CHECK(state.page == Page::kHealth);
  press(state, s, key::kLeft);
  CHECK(state.page == Page::kInterpreter);
  CHECK(state.interpreter.typing);
  press(state, s, key::kRight);
  CHECK(state.page == Page::kHealth);
  press(state, s, '7');
  press(state, s, key::kEscape);
  press(state, s, key::kEnter);  // enter types again
  CHECK(state.interpreter.typing);
  press(state, s, '2');
  CHECK(state.page == Page::kInterpreter);
  CHECK(state.interpreter.input == "2");
}

TEST_CASE("interpreter help lists its keys", "[panels][interpreter]") {
  const auto& actions = panels::page_actions(Page::kInterpreter);
  REQUIRE_FALSE(actions.empty());
  bool esc = false;
  for (const auto& a : actions) esc = esc || a.keys_label == "esc";
  CHECK(esc);
}
