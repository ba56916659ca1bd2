#include "app/tui_mode.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <set>
#include <sstream>

#include "app/monitor.h"
#include "app/snapshot_json.h"
#include "app/snapshot_mode.h"
#include "app/tui_debug.h"
#include "app/tui_events.h"
#include "control/getinfo.h"
#include "panels/screen.h"
#include "ui/curses_canvas.h"
#include "ui/keys.h"
#include "ui/text.h"

namespace relaymon::app {

namespace asio = boost::asio;

namespace {

// When the monitor last authenticated: its "connected to tor at" entry.
std::optional<model::TimePoint> connected_at(const model::Snapshot& snapshot) {
  for (auto it = snapshot.log.rbegin(); it != snapshot.log.rend(); ++it) {
    if (it->source == model::LogSource::kRelaymon &&
        it->message.rfind("connected to tor at ", 0) == 0) {
      return it->time;
    }
  }
  return std::nullopt;
}

// The interactive loop: keys from stdin, signals, a redraw timer and the
// monitors all run on one io_context; only this class touches the Terminal.
//
//   stdin ready ─> read_key ─> panels::handle_key ─> request ─> controller
//   monitor changed / 1 s tick / SIGWINCH ─> schedule_redraw ─> draw_screen
class Tui {
 public:
  Tui(asio::io_context& io, const Options& options,
      std::vector<std::shared_ptr<RelayMonitor>> monitors, DebugLog& debug)
      : io_(io),
        options_(options),
        debug_(debug),
        monitors_(std::move(monitors)),
        input_(io),
        signals_(io, SIGWINCH, SIGINT, SIGTERM),
        tick_(io),
        own_events_(MonitorSettings{}.events) {
    for (auto& m : monitors_) {
      m->set_event_tap([this](const control::Event& event) { on_event(event); });
    }
  }

  int run() {
    ui::Terminal::Options terminal_options;
    terminal_options.color = ui::want_color(options_.no_color, std::getenv("NO_COLOR"));
    terminal_options.ascii = options_.ascii;
    terminal_ = std::make_unique<ui::Terminal>(terminal_options);
    // Close-on-exec, like every descriptor relaymon opens: no tool inherits it.
    input_.assign(::fcntl(terminal_->input_fd(), F_DUPFD_CLOEXEC, 0));
    wait_for_input();
    wait_for_signal();
    arm_tick();
    redraw();
    io_.run();
    terminal_.reset();  // endwin before anything is printed
    return 0;
  }

  void changed() {
    if (!state_.paused) schedule_redraw();
  }

 private:
  RelayMonitor& current() { return *monitors_[relay_]; }

  void wait_for_input() {
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

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGWINCH) {
        terminal_->resize();
        redraw();
        wait_for_signal();
        return;
      }
      quit();  // SIGINT, SIGTERM: leave cleanly, terminal restored
    });
  }

  void arm_tick() {
    tick_.expires_after(std::chrono::seconds(1));
    tick_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || quitting_) return;
      // Ages and "disconnected N s ago" move even when tor is silent.
      if (!state_.paused) redraw();
      arm_tick();
    });
  }

  void schedule_redraw() {
    if (redraw_pending_ || quitting_) return;
    redraw_pending_ = true;
    asio::post(io_, [this] {
      redraw_pending_ = false;
      redraw();
    });
  }

  void redraw() {
    if (quitting_ || !terminal_) return;
    if (state_.page == panels::Page::kInterpreter) fetch_completions();
    if (state_.page == panels::Page::kLog && !event_names_requested_) fetch_event_names({});
    if (!state_.paused || !frozen_) {
      shown_ = current().snapshot();
      merge_event_lines(shown_);
      frozen_ = true;
      resubscribe_after_reconnect(shown_.control.connected);
    }
    if (monitors_.size() > 1) state_.header.relay_index = static_cast<int>(relay_);
    if (monitors_.size() > 1) state_.header.relay_count = static_cast<int>(monitors_.size());
    terminal_->canvas().clear();
    panels::draw_screen(shown_, state_, terminal_->canvas(), terminal_->theme());
    terminal_->present();
    if (debug_.enabled()) {
      if (auto at = connected_at(shown_)) {
        debug_.authenticated(current().controller().session().endpoint.to_string(), *at);
      }
      // Complete: drawn from a full collection (static, volatile, sockets).
      debug_.frame(current().collected());
    }
  }

  void on_key(int key) {
    if (key == ui::key::kResize) {
      redraw();
      return;
    }
    state_.message.clear();
    panels::ScreenOutcome outcome = panels::handle_key(state_, key, shown_);
    if (outcome.quit) {
      quit();
      return;
    }
    if (outcome.request) carry_out(*outcome.request);
    redraw();
  }

  void carry_out(const panels::Request& request) {
    using Kind = panels::Request::Kind;
    control::Controller& controller = current().controller();
    auto report = [this](std::string done) {
      return [this, done](std::optional<control::Error> error, control::Reply reply) {
        if (error) {
          state_.message = error->message;
        } else if (!reply.ok()) {
          state_.message = fmt::format("tor refused: {} {}", reply.code(), reply.message());
        } else {
          state_.message = done;
        }
        redraw();
      };
    };
    switch (request.kind) {
      case Kind::kSwitchRelay:
        if (request.number >= 0 && static_cast<std::size_t>(request.number) < monitors_.size()) {
          relay_ = static_cast<std::size_t>(request.number);
          frozen_ = false;
          completions_requested_ = false;
          event_names_requested_ = false;
        }
        break;
      case Kind::kSignal:
        controller.signal(request.argument, report("sent " + request.argument));
        break;
      case Kind::kSetConf:
        controller.setconf({{request.argument, request.value}},
                           report(fmt::format("{} set", request.argument)));
        break;
      case Kind::kResetConf:
        controller.resetconf({request.argument},
                             report(fmt::format("{} reset to its default", request.argument)));
        break;
      case Kind::kSaveConf:
        controller.saveconf(report("torrc saved"), [this](const control::Reply&) {
          state_.message =
              "tor refused SAVECONF (its torrc uses %include, which SAVECONF would flatten): "
              "saving with SAVECONF FORCE";
          redraw();
        });
        break;
      case Kind::kLogEvents:
        log_events_ = ui::split_words(request.argument);
        resubscribe([this](std::optional<control::Error> error, control::Reply reply) {
          if (error) {
            state_.message = error->message;
          } else if (!reply.ok()) {
            state_.message =
                fmt::format("tor refused the events: {} {}", reply.code(), reply.message());
          }
          redraw();
        });
        break;
      case Kind::kSaveLog:
        save_log(request.argument);
        break;
      case Kind::kRawCommand:
        interpret(request.argument);
        break;
    }
  }

  // A line typed in the interpreter. SETEVENTS is merged with relaymon's own
  // subscription (tor replaces the whole set), and the events asked for
  // there are echoed into the transcript.
  void interpret(const std::string& line) {
    control::Controller& controller = current().controller();
    auto show = [this](std::optional<control::Error> error, control::Reply reply) {
      if (error) {
        panels::add_error(state_.interpreter, error->message);
      } else {
        std::vector<std::string> lines;
        for (const auto& l : reply.lines) {
          lines.push_back(fmt::format("{}{}{}", l.code, l.separator, l.text));
          if (l.separator == '+') {
            std::istringstream data(l.data);
            for (std::string d; std::getline(data, d);) lines.push_back(d);
            lines.push_back(".");
          }
        }
        panels::add_reply(state_.interpreter, lines, !reply.ok());
      }
      redraw();
    };
    if (auto events = panels::setevents_list(line)) {
      user_events_ = std::set<std::string>(events->begin(), events->end());
      resubscribe(show);
      panels::add_info(state_.interpreter,
                       "relaymon keeps its own events subscribed too; these are shown here");
      return;
    }
    controller.command(line, show);
  }

  void fetch_completions() {
    if (completions_requested_ || !current().controller().ready()) return;
    completions_requested_ = true;
    current().controller().getinfo(
        {"info/names", "config/names", "events/names", "signal/names"},
        [this](std::optional<control::Error> error, control::Reply reply) {
          if (error) {
            completions_requested_ = false;
            return;
          }
          auto parsed = control::parse_getinfo(reply);
          auto* info = std::get_if<control::InfoMap>(&parsed);
          if (!info) return;
          auto value = [info](const char* key) {
            const std::string* v = info->find(key);
            return v ? *v : std::string();
          };
          state_.interpreter.completions =
              panels::completion_words(value("info/names"), value("config/names"),
                                       value("events/names"), value("signal/names"));
        });
  }

  // tor replaces the whole subscription: relaymon's own events, the
  // interpreter's and the log page's. The log page offers only names from
  // events/names; a name typed in the interpreter that tor does not know
  // fails the SETEVENTS, and tor's refusal is shown there.
  void resubscribe(control::ReplyCallback done) {
    std::set<std::string> all(user_events_);
    all.insert(own_events_.begin(), own_events_.end());
    all.insert(log_events_.begin(), log_events_.end());
    current().controller().set_events(std::vector<std::string>(all.begin(), all.end()),
                                      std::move(done));
  }

  // After a reconnect the monitor subscribes to its own events only; asking
  // for events/names first puts our SETEVENTS after its one.
  void resubscribe_after_reconnect(bool connected) {
    bool reconnected = connected && !was_connected_;
    was_connected_ = connected;
    if (!reconnected || !reconnects_seen_++) return;  // the first connection needs nothing
    if (user_events_.empty() && log_events_.empty()) return;
    fetch_event_names([this] { resubscribe([](auto, auto) {}); });
  }

  void fetch_event_names(std::function<void()> then) {
    if (!current().controller().ready()) return;
    event_names_requested_ = true;
    current().controller().getinfo(
        {"events/names"}, [this, then](std::optional<control::Error> error, control::Reply reply) {
          if (error) {
            event_names_requested_ = false;
            return;
          }
          auto parsed = control::parse_getinfo(reply);
          auto* info = std::get_if<control::InfoMap>(&parsed);
          if (const std::string* names = info ? info->find("events/names") : nullptr) {
            state_.log.event_names = ui::split_words(*names);
          }
          if (then) then();
          if (state_.page == panels::Page::kLog) schedule_redraw();
        });
  }

  void on_event(const control::Event& event) {
    auto now = model::Clock::now();
    // Log severities reach the log through the monitor; other chosen events
    // become log lines here.
    if (!panels::is_log_severity(event.type) &&
        std::find(log_events_.begin(), log_events_.end(), event.type) != log_events_.end()) {
      event_lines_.push_back(event_log_entry(event, now));
      if (event_lines_.size() > kEventLines) event_lines_.pop_front();
      if (state_.page == panels::Page::kLog) schedule_redraw();
    }
    if (!user_events_.count(event.type)) return;
    panels::add_event(state_.interpreter, fmt::format("650 {} {}", event.type, event.raw));
    if (state_.page == panels::Page::kInterpreter) schedule_redraw();
  }

  // The snapshot's log (oldest first) with the event lines merged in by time.
  void merge_event_lines(model::Snapshot& snapshot) const {
    if (event_lines_.empty()) return;
    std::vector<model::LogEntry> merged;
    merged.reserve(snapshot.log.size() + event_lines_.size());
    std::merge(snapshot.log.begin(), snapshot.log.end(), event_lines_.begin(), event_lines_.end(),
               std::back_inserter(merged),
               [](const model::LogEntry& a, const model::LogEntry& b) { return a.time < b.time; });
    snapshot.log = std::move(merged);
  }

  void save_log(const std::string& path) {
    std::FILE* out = std::fopen(path.c_str(), "we");  // e: close-on-exec
    if (out == nullptr) {
      state_.message = fmt::format("cannot write {}", path);
      return;
    }
    for (const auto& entry : shown_.log) {
      fmt::print(out, "{} [{}] {}", iso8601(entry.time), entry.severity,
                 ui::sanitize(entry.message));
      if (entry.repeats > 1) fmt::print(out, " (x{})", entry.repeats);
      fmt::print(out, "\n");
    }
    bool written = std::fclose(out) == 0;
    state_.message =
        written ? fmt::format("log saved to {}", path) : fmt::format("cannot write {}", path);
  }

  void quit() {
    quitting_ = true;
    tick_.cancel();
    signals_.cancel();
    boost::system::error_code ignored;
    input_.cancel(ignored);
    for (auto& m : monitors_) m->stop();
    io_.stop();
  }

  asio::io_context& io_;
  const Options& options_;
  DebugLog& debug_;
  std::vector<std::shared_ptr<RelayMonitor>> monitors_;
  std::unique_ptr<ui::Terminal> terminal_;
  asio::posix::stream_descriptor input_;
  asio::signal_set signals_;
  asio::steady_timer tick_;
  panels::ScreenState state_;
  model::Snapshot shown_;
  std::size_t relay_ = 0;
  std::vector<std::string> own_events_;
  std::set<std::string> user_events_;    // subscribed in the interpreter
  std::vector<std::string> log_events_;  // chosen on the log page (empty: the default)
  static constexpr std::size_t kEventLines = 2000;
  std::deque<model::LogEntry> event_lines_;  // chosen non-log events, oldest first
  bool completions_requested_ = false;
  bool event_names_requested_ = false;
  bool was_connected_ = false;
  int reconnects_seen_ = 0;
  bool frozen_ = false;
  bool redraw_pending_ = false;
  bool quitting_ = false;
};

}  // namespace

int run_tui(const Options& options, const Config& config, const std::vector<Target>& targets) {
  if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) {
    fmt::print(stderr,
               "relaymon: the interactive mode needs a terminal; use --snapshot for scripts\n");
    return 2;
  }
  asio::io_context io;
  std::vector<std::shared_ptr<RelayMonitor>> monitors;
  Tui* tui = nullptr;
  for (const auto& target : targets) {
    MonitorSettings settings = monitor_settings(options, config, target);
    settings.config_pages = true;
    monitors.push_back(std::make_shared<RelayMonitor>(io, settings, [&tui] {
      if (tui) tui->changed();
    }));
  }
  DebugLog debug = DebugLog::from_environment();
  for (auto& m : monitors) m->start();
  // Connect before curses takes the terminal, so a password prompt (when
  // tor wants one) appears on a normal terminal.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    bool settled = true;
    for (auto& m : monitors) {
      if (!m->controller().ready() && !m->failed()) settled = false;
    }
    if (settled) break;
    io.run_for(std::chrono::milliseconds(20));
  }
  try {
    Tui screen(io, options, monitors, debug);
    tui = &screen;
    int status = screen.run();
    tui = nullptr;
    return status;
  } catch (const std::exception& e) {
    tui = nullptr;
    ui::Terminal::restore();
    fmt::print(stderr, "relaymon: {}\n", e.what());
    return 1;
  }
}

}  // namespace relaymon::app
