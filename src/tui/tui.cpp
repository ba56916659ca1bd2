#include "tui/tui.h"

#include "model/same_tor.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <csignal>

namespace relaymon::tui {

namespace asio = boost::asio;

Tui::Tui(asio::io_context& io, TuiOptions options,
         std::vector<std::shared_ptr<session::RelaySession>> relays, DebugLog& debug)
    : io_(io),
      options_(options),
      debug_(debug),
      relays_(std::move(relays)),
      input_(io),
      signals_(io, SIGWINCH, SIGINT, SIGTERM),
      tick_(io),
      redraw_([&io](std::function<void()> f) { asio::post(io, std::move(f)); }, [this] { draw(); }),
      runner_(state_, [this] { redraw_.request(); }) {
  for (auto& relay : relays_) {
    auto* r = relay.get();
    relay->set_event_tap([this, r](const control::Event& event) {
      if (r == &current()) runner_.on_event(event);
    });
  }
  state_.header.relay_count = static_cast<int>(relays_.size());
}

int Tui::run() {
  terminal_ = std::make_unique<ui::Terminal>(options_.terminal);
  // Close-on-exec, like every descriptor relaymon opens: no tool inherits it.
  input_.assign(::fcntl(terminal_->input_fd(), F_DUPFD_CLOEXEC, 0));
  wait_for_input();
  wait_for_signal();
  arm_tick();
  redraw_.now();
  io_.run();
  terminal_.reset();  // endwin before anything is printed
  return 0;
}

void Tui::changed(const session::RelaySession* relay) {
  if (quitting_ || state_.paused || relay != &current()) return;
  redraw_.request();
}

void Tui::wait_for_input() {
  input_.async_wait(asio::posix::stream_descriptor::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (ec || quitting_) return;
                      for (int key; (key = terminal_->read_key()) != ui::key::kNone;) {
                        on_key(key);
                        if (quitting_) return;
                      }
                      wait_for_input();
                    });
}

void Tui::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGWINCH) {
      terminal_->resize();
      redraw_.now();
      wait_for_signal();
      return;
    }
    quit();  // SIGINT, SIGTERM: leave cleanly, terminal restored
  });
}

// A second after the last frame, not every second on the clock: tor's
// bandwidth event already brings a frame a second, and a tick out of phase
// with it could add a second frame showing the same ages (issue 16: a frame
// costs a few milliseconds at 20,000 connections). When tor is silent, the
// tick alone keeps ages moving. Re-arming cancels the wait
// before (its handler sees operation_aborted and returns).
void Tui::arm_tick() {
  tick_.expires_after(std::chrono::seconds(1));
  tick_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || quitting_) return;
    // Ages and "disconnected N s ago" move even when tor is silent.
    if (!state_.paused) redraw_.request();
    arm_tick();
  });
}

void Tui::draw() {
  if (quitting_ || !terminal_) return;
  if (!state_.paused || !shown_) shown_ = current().snapshot();
  state_.header.same_tor_as = same_tor_as_shown();
  names_.apply(*shown_, state_);
  state_.alerts.revealed = current().revealed_hosts();
  panels::layout_screen(state_, *shown_, terminal_->canvas().width(), terminal_->canvas().height());
  terminal_->canvas().clear();
  panels::draw_screen(*shown_, state_, terminal_->canvas());
  terminal_->present();
  arm_tick();
  if (debug_.enabled()) {
    if (shown_->control.connected_since) {
      debug_.authenticated(shown_->control.endpoint, *shown_->control.connected_since);
    }
    // Complete: drawn from a full collection (static, volatile, sockets).
    debug_.frame(shown_->collected);
  }
}

// Whether the relay shown is a tor another -i/-s already reaches.
std::string Tui::same_tor_as_shown() const {
  if (relays_.size() < 2) return {};
  std::vector<model::SnapshotPtr> latest;
  std::vector<const model::Snapshot*> all;
  for (std::size_t i = 0; i < relays_.size(); ++i) {
    latest.push_back(i == relay_ ? shown_ : relays_[i]->snapshot());
    all.push_back(latest.back().get());
  }
  return model::same_tor_as(all)[relay_];
}

void Tui::on_key(int key) {
  if (key == ui::key::kResize) {
    redraw_.now();
    return;
  }
  if (!shown_) shown_ = current().snapshot();
  panels::layout_screen(state_, *shown_, terminal_->canvas().width(), terminal_->canvas().height());
  panels::ScreenOutcome outcome = panels::handle_key(state_, key, *shown_);
  if (outcome.quit) {
    quit();
    return;
  }
  if (outcome.request) {
    if (outcome.request->kind == panels::Request::Kind::kSwitchRelay) {
      switch_relay(outcome.request->number);
    } else {
      runner_.run(*outcome.request, current(), *shown_);
    }
  }
  redraw_.now();
}

void Tui::switch_relay(int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= relays_.size()) return;
  relay_ = static_cast<std::size_t>(index);
  state_.header.relay_index = index;
  shown_ = current().snapshot();
  names_.reset();
  runner_.forget_interpreter_events();
}

void Tui::quit() {
  quitting_ = true;
  tick_.cancel();
  signals_.cancel();
  boost::system::error_code ignored;
  input_.cancel(ignored);
  for (auto& relay : relays_) relay->stop();
  io_.stop();
}

}  // namespace relaymon::tui
