// The TUI's parts without a terminal: a scripted relay session ("scripted":
// it records what the TUI asks and answers as told), a text canvas, and
// the parts' own state.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "model/assemble.h"
#include "model/relay_state.h"
#include "panels/screen.h"
#include "tui/interpreter_feed.h"
#include "tui/log_file.h"
#include "tui/names.h"
#include "tui/redraw.h"
#include "tui/request_runner.h"
#include "ui/canvas.h"

using namespace relaymon;

namespace {

control::Reply ok_reply(std::string text = "OK") {
  control::Reply r;
  r.lines.push_back({250, ' ', std::move(text), ""});
  return r;
}

// A RelaySession that records every call and answers each one at once.
class ScriptedSession : public session::RelaySession {
 public:
  std::vector<std::string> calls;
  control::Reply answer = ok_reply();
  std::string event_error;  // what want_events/set_logged_events report
  model::SnapshotPtr shown = std::make_shared<const model::Snapshot>();

  model::SnapshotPtr snapshot() override { return shown; }
  bool ready() const override { return true; }
  void command(const std::string& line, control::ReplyCallback done) override {
    calls.push_back("command " + line);
    done(std::nullopt, answer);
  }
  void setconf(std::vector<std::pair<std::string, std::string>> values,
               control::ReplyCallback done) override {
    calls.push_back("setconf " + values.at(0).first + "=" + values.at(0).second);
    done(std::nullopt, answer);
  }
  void resetconf(std::vector<std::string> keys, control::ReplyCallback done) override {
    calls.push_back("resetconf " + keys.at(0));
    done(std::nullopt, answer);
  }
  void signal(const std::string& name, control::ReplyCallback done) override {
    calls.push_back("signal " + name);
    done(std::nullopt, answer);
  }
  void saveconf(control::ReplyCallback done,
                std::function<void(const control::Reply&)> forced) override {
    calls.push_back("saveconf");
    control::Reply refused;
    refused.lines.push_back({551, ' ', "uses %include", ""});
    forced(refused);
    done(std::nullopt, answer);
  }
  void want_events(const std::string& owner, std::vector<std::string> events,
                   session::Done done) override {
    std::string list;
    for (const auto& e : events) list += " " + e;
    calls.push_back("want " + owner + list);
    done(event_error);
  }
  void set_logged_events(std::vector<std::string> events, session::Done done) override {
    std::string list;
    for (const auto& e : events) list += " " + e;
    calls.push_back("log" + list);
    done(event_error);
  }
  void set_event_tap(std::function<void(const control::Event&)>) override {}
  void stop() override {}
};

}  // namespace

TEST_CASE("redraw scheduler: a burst of changes makes one frame, a key draws at once",
          "[tui]") {
  std::vector<std::function<void()>> posted;
  int frames = 0;
  tui::RedrawScheduler redraw([&](std::function<void()> f) { posted.push_back(std::move(f)); },
                              [&] { ++frames; });
  for (int i = 0; i < 50; ++i) redraw.request();
  CHECK(posted.size() == 1);
  CHECK(redraw.pending());
  posted.front()();
  CHECK(frames == 1);
  CHECK_FALSE(redraw.pending());
  // A key's frame satisfies a pending request: the posted one draws nothing.
  redraw.request();
  redraw.now();
  posted.back()();
  CHECK(frames == 2);
  CHECK(redraw.frames() == 2);
}

TEST_CASE("request runner: signals, SETCONF, RESETCONF and SAVECONF reach the session",
          "[tui]") {
  panels::ScreenState state;
  int redraws = 0;
  tui::RequestRunner runner(state, [&] { ++redraws; });
  ScriptedSession session;
  model::Snapshot shown;
  using Kind = panels::Request::Kind;
  runner.run({Kind::kSignal, "RELOAD"}, session, shown);
  CHECK(state.message == "sent RELOAD");
  runner.run({Kind::kSetConf, "ContactInfo", 0, "me"}, session, shown);
  CHECK(state.message == "ContactInfo set");
  runner.run({Kind::kResetConf, "ContactInfo"}, session, shown);
  runner.run({Kind::kSaveConf, ""}, session, shown);
  CHECK(session.calls == std::vector<std::string>{"signal RELOAD", "setconf ContactInfo=me",
                                                  "resetconf ContactInfo", "saveconf"});
  CHECK(redraws >= 4);
  // tor's refusal is shown as tor said it.
  control::Reply refused;
  refused.lines.push_back({552, ' ', "Unrecognized option", ""});
  session.answer = refused;
  runner.run({Kind::kSetConf, "Nope", 0, "1"}, session, shown);
  CHECK(state.message == "tor refused: 552 Unrecognized option");
}

TEST_CASE("request runner: the interpreter's commands and subscriptions", "[tui]") {
  panels::ScreenState state;
  tui::RequestRunner runner(state, [] {});
  ScriptedSession session;
  model::Snapshot shown;
  control::Reply version;
  version.lines.push_back({250, '+', "version=", "0.4.9.11\n"});
  version.lines.push_back({250, ' ', "OK", ""});
  session.answer = version;
  runner.run({panels::Request::Kind::kRawCommand, "GETINFO version"}, session, shown);
  CHECK(session.calls.back() == "command GETINFO version");
  std::vector<std::string> texts;
  for (const auto& l : state.interpreter.transcript) texts.push_back(l.text);
  CHECK(texts == std::vector<std::string>{"250+version=", "0.4.9.11", ".", "250 OK"});
  // SETEVENTS goes to the session's one subscription, under its owner.
  runner.run({panels::Request::Kind::kRawCommand, "SETEVENTS circ STREAM"}, session, shown);
  CHECK(session.calls.back() == "want interpreter CIRC STREAM");
  // Events of those types are echoed, others not.
  control::Event circ;
  circ.type = "CIRC";
  circ.raw = "1 BUILT";
  control::Event bw;
  bw.type = "BW";
  bw.raw = "1 2";
  auto before = state.interpreter.transcript.size();
  runner.on_event(circ);
  runner.on_event(bw);
  CHECK(state.interpreter.transcript.size() == before + 1);
  CHECK(state.interpreter.transcript.back().text == "650 CIRC 1 BUILT");
  // An unknown name comes back as an error line.
  session.event_error = "tor does not know NOPE";
  runner.run({panels::Request::Kind::kRawCommand, "SETEVENTS NOPE"}, session, shown);
  CHECK(state.interpreter.transcript.back().text == "tor does not know NOPE");
}

TEST_CASE("request runner: the log's events and saving the log", "[tui]") {
  panels::ScreenState state;
  tui::RequestRunner runner(state, [] {});
  ScriptedSession session;
  runner.run({panels::Request::Kind::kLogEvents, "NOTICE WARN ERR CIRC"}, session,
             model::Snapshot{});
  CHECK(session.calls.back() == "log NOTICE WARN ERR CIRC");
  // The saved log is the model's, already scrubbed as it entered it.
  model::RelayState relay;
  control::Event warn;
  warn.type = "WARN";
  warn.raw = "Connection from 203.0.113.5:4444 failed";
  warn.payload = control::LogEvent{"WARN", warn.raw};
  relay.apply_event(warn, model::TimePoint(std::chrono::seconds(1700000000)));
  model::Snapshot shown = model::assemble_state(relay, model::Clock::now());
  // A fresh directory (mkdtemp) rather than tmpnam's racy name.
  char dir[] = "/tmp/relaymon-log-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::string path = std::string(dir) + "/saved.log";
  runner.run({panels::Request::Kind::kSaveLog, path}, session, shown);
  CHECK(state.message == "log saved to " + path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "2023-11-14T22:13:20Z [WARN] Connection from [scrubbed]:4444 failed\n");
  std::remove(path.c_str());
  ::rmdir(dir);
  CHECK(tui::save_log(shown, "/nonexistent/dir/log") == "cannot write /nonexistent/dir/log");
}

TEST_CASE("names sync: completions and event names follow tor's names", "[tui]") {
  panels::ScreenState state;
  tui::NamesSync names;
  model::Snapshot s;
  s.config.edit().info_names = "version -- The current version\n";
  s.config.edit().event_names = "BW CIRC";
  s.config.edit().signal_names = "RELOAD NEWNYM";
  names.apply(s, state);
  CHECK(state.log.event_names == std::vector<std::string>{"BW", "CIRC"});
  auto& c = state.interpreter.completions;
  CHECK(std::find(c.begin(), c.end(), "GETINFO version") != c.end());
  CHECK(std::find(c.begin(), c.end(), "SIGNAL NEWNYM") != c.end());
  // The same names again: nothing recomputed (a marker survives).
  c.push_back("marker");
  model::Snapshot same = s;
  names.apply(same, state);
  CHECK(c.back() == "marker");
}
