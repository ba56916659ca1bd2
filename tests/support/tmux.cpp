#include "support/tmux.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>

namespace relaymon::testing {

namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

}  // namespace

TmuxSession::TmuxSession(const std::string& command, int width, int height) {
  static std::atomic<int> counter{0};
  socket_ = "relaymon-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  // remain-on-exit keeps the pane readable after the program ends.
  std::string out =
      tmux("new-session -d -x " + std::to_string(width) + " -y " + std::to_string(height) + " " +
           shell_quote(command) + " \\; set-option -g remain-on-exit on");
  if (!out.empty() && out.find("error") != std::string::npos) {
    throw std::runtime_error("tmux failed: " + out);
  }
}

TmuxSession::~TmuxSession() {
  tmux("kill-server");
}

std::string TmuxSession::tmux(const std::string& args) const {
  return run("tmux -L " + socket_ + " -f /dev/null " + args);
}

std::string TmuxSession::screen() const {
  return tmux("capture-pane -p");
}

void TmuxSession::keys(const std::string& keys) const {
  tmux("send-keys " + keys);
}

void TmuxSession::literal(const std::string& text) const {
  tmux("send-keys -l " + shell_quote(text));
}

void TmuxSession::resize(int width, int height) const {
  tmux("resize-window -x " + std::to_string(width) + " -y " + std::to_string(height));
}

bool TmuxSession::alive() const {
  return tmux("display-message -p '#{pane_dead}'").rfind("0", 0) == 0;
}

bool TmuxSession::wait_for(const std::string& text, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (screen().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return screen().find(text) != std::string::npos;
}

}  // namespace relaymon::testing
