// Carries out what a key asked for (panels::Request) on the relay shown:
// signals, SETCONF/RESETCONF/SAVECONF, the log's chosen events, the
// interpreter's commands and subscriptions, saving the log. Answers come
// back into the screen state (the status line, the interpreter's
// transcript) and ask for a frame. Switching relays is the loop's.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "control/events.h"
#include "panels/screen.h"
#include "session/relay_session.h"

namespace relaymon::tui {

class RequestRunner {
 public:
  RequestRunner(panels::ScreenState& state, std::function<void()> redraw)
      : state_(state), redraw_(std::move(redraw)) {}

  // `shown` is the snapshot on screen (what a saved log holds).
  void run(const panels::Request& request, session::RelaySession& session,
           const model::Snapshot& shown);
  // An event from the relay shown: echoed in the interpreter when it
  // subscribed to its type there.
  void on_event(const control::Event& event);
  // Another relay is shown: its subscriptions are its own.
  void forget_interpreter_events() { interpreter_events_.clear(); }

 private:
  control::ReplyCallback report(std::string done);
  void interpret(const std::string& line, session::RelaySession& session);

  panels::ScreenState& state_;
  std::function<void()> redraw_;
  std::set<std::string, std::less<>> interpreter_events_;  // SETEVENTS typed in the interpreter
};

}  // namespace relaymon::tui
