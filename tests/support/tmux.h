// A real terminal for end-to-end screen tests: a detached tmux session of a
// given size running one command; keys are typed with send-keys and the
// screen read with capture-pane. Each session uses its own tmux server
// socket (-L), so tests never touch a user's tmux.
#pragma once

#include <chrono>
#include <string>

namespace relaymon::testing {

class TmuxSession {
 public:
  // Runs `command` (a shell command line) in a width x height terminal.
  TmuxSession(const std::string& command, int width, int height);
  ~TmuxSession();
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  std::string screen() const;                   // the visible rows, joined by "\n"
  void keys(const std::string& keys) const;     // tmux key names: "q", "Right", "C-c"
  void literal(const std::string& text) const;  // typed as is
  void resize(int width, int height) const;
  bool alive() const;  // the pane's command has not exited
  // Polls the screen until it contains `text`; false after `timeout`.
  bool wait_for(const std::string& text,
                std::chrono::milliseconds timeout = std::chrono::seconds(15)) const;

 private:
  std::string tmux(const std::string& args) const;
  std::string socket_;
};

}  // namespace relaymon::testing
