// The interactive loop: keys from stdin, signals, a 1 s tick and the
// monitored relays all run on one io_context; only this class touches the
// terminal. Its parts have their own files and tests: RedrawScheduler
// (when to draw), RequestRunner (what a key asked of tor), NamesSync (what
// the interpreter completes), DebugLog (frame timings).
//
//   stdin ready ─> Terminal::read_key ─> panels::handle_key ─> RequestRunner ─> session
//   session changed / tick / SIGWINCH ─> RedrawScheduler ─> draw_screen(*snapshot)
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <vector>

#include "panels/screen.h"
#include "session/relay_session.h"
#include "tui/debug_log.h"
#include "tui/names.h"
#include "tui/redraw.h"
#include "tui/request_runner.h"
#include "ui/curses_canvas.h"

namespace relaymon::tui {

struct TuiOptions {
  ui::Terminal::Options terminal;
};

class Tui {
 public:
  Tui(boost::asio::io_context& io, TuiOptions options,
      std::vector<std::shared_ptr<session::RelaySession>> relays, DebugLog& debug);

  // Runs until quit or SIGINT/SIGTERM; the terminal is restored before it returns.
  int run();
  // A relay's state changed (the monitors' callback).
  void changed(const session::RelaySession* relay);

 private:
  session::RelaySession& current() { return *relays_[relay_]; }
  std::string same_tor_as_shown() const;
  void wait_for_input();
  void wait_for_signal();
  void arm_tick();
  void draw();
  void on_key(int key);
  void switch_relay(int index);
  void quit();

  boost::asio::io_context& io_;
  TuiOptions options_;
  DebugLog& debug_;
  std::vector<std::shared_ptr<session::RelaySession>> relays_;
  std::unique_ptr<ui::Terminal> terminal_;
  boost::asio::posix::stream_descriptor input_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer tick_;
  panels::ScreenState state_;
  model::SnapshotPtr shown_;  // the snapshot on screen (frozen while paused)
  std::size_t relay_ = 0;
  RedrawScheduler redraw_;
  RequestRunner runner_;
  NamesSync names_;
  bool quitting_ = false;
};

}  // namespace relaymon::tui
