#include "tui/request_runner.h"

#include <fmt/format.h>

#include "text/text.h"
#include "tui/interpreter_feed.h"
#include "tui/log_file.h"

namespace relaymon::tui {

control::ReplyCallback RequestRunner::report(std::string done) {
  return [this, done](std::optional<control::Error> error, control::Reply reply) {
    if (error) {
      state_.message = error->message;
    } else if (!reply.ok()) {
      state_.message = fmt::format("tor refused: {} {}", reply.code(), reply.message());
    } else {
      state_.message = done;
    }
    redraw_();
  };
}

void RequestRunner::run(const panels::Request& request, session::RelaySession& session,
                        const model::Snapshot& shown) {
  using Kind = panels::Request::Kind;
  switch (request.kind) {
    case Kind::kSwitchRelay:
      break;  // the loop's
    case Kind::kSignal:
      session.signal(request.argument, report("sent " + request.argument));
      break;
    case Kind::kSetConf: {
      // Every line of a multi-line option in one SETCONF: tor replaces the
      // whole list, so a line left out would be lost.
      std::vector<std::pair<std::string, std::string>> lines;
      if (request.values.empty()) lines.emplace_back(request.argument, request.value);
      for (const auto& v : request.values) lines.emplace_back(request.argument, v);
      std::string done = request.values.size() > 1
                             ? fmt::format("{} set ({} lines)", request.argument, lines.size())
                             : fmt::format("{} set", request.argument);
      session.setconf(std::move(lines), report(done));
      break;
    }
    case Kind::kResetConf:
      session.resetconf({request.argument},
                        report(fmt::format("{} reset to its default", request.argument)));
      break;
    case Kind::kSaveConf:
      session.saveconf(report("torrc saved"), [this](const control::Reply&) {
        state_.message =
            "tor refused SAVECONF (its torrc uses %include, which SAVECONF would flatten): "
            "saving with SAVECONF FORCE";
        redraw_();
      });
      break;
    case Kind::kLogEvents:
      session.set_logged_events(text::split_words(request.argument),
                                [this](const std::string& error) {
                                  if (!error.empty()) state_.message = error;
                                  redraw_();
                                });
      break;
    case Kind::kSaveLog:
      state_.message = save_log(shown, request.argument);
      break;
    case Kind::kRawCommand:
      interpret(request.argument, session);
      break;
  }
}

// A line typed in the interpreter. SETEVENTS is the session's to merge with
// relaymon's own subscription (tor replaces the whole set); the events
// asked for there are echoed into the transcript.
void RequestRunner::interpret(const std::string& line, session::RelaySession& session) {
  if (auto events = panels::setevents_list(line)) {
    interpreter_events_ = {events->begin(), events->end()};
    panels::add_info(state_.interpreter,
                     "relaymon keeps its own events subscribed too; these are shown here");
    session.want_events("interpreter", *events, [this](const std::string& error) {
      if (error.empty()) {
        panels::add_reply(state_.interpreter, {"250 OK"}, false);
      } else {
        panels::add_error(state_.interpreter, error);
      }
      redraw_();
    });
    return;
  }
  session.command(line, [this](std::optional<control::Error> error, control::Reply reply) {
    if (error) {
      panels::add_error(state_.interpreter, error->message);
    } else {
      panels::add_reply(state_.interpreter, reply_lines(reply), !reply.ok());
    }
    redraw_();
  });
}

void RequestRunner::on_event(const control::Event& event) {
  if (!interpreter_events_.count(event.type)) return;
  panels::add_event(state_.interpreter, fmt::format("650 {} {}", event.type, event.raw));
  if (state_.page == panels::Page::kInterpreter) redraw_();
}

}  // namespace relaymon::tui
