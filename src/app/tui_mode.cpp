#include "app/tui_mode.h"

#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <memory>

#include "app/headless.h"
#include "text/utf8.h"
#include "tui/tui.h"

namespace relaymon::app {

namespace asio = boost::asio;

int run_tui(const Options& options, const Config& config, const std::vector<Target>& targets) {
  if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) {
    fmt::print(stderr,
               "relaymon: the interactive mode needs a terminal; use --snapshot for scripts\n");
    return 2;
  }
  asio::io_context io;
  std::vector<std::shared_ptr<session::RelayMonitor>> monitors;
  std::vector<std::shared_ptr<session::RelaySession>> relays;
  tui::Tui* screen = nullptr;
  for (const auto& target : targets) {
    session::MonitorSettings settings = monitor_settings(options, config, target);
    settings.config_pages = true;
    auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
    std::weak_ptr<session::RelayMonitor> weak = monitor;
    monitor->set_changed([&screen, weak] {
      auto m = weak.lock();
      if (screen && m) screen->changed(m.get());
    });
    monitors.push_back(monitor);
    relays.push_back(monitor);
  }
  tui::DebugLog debug = tui::DebugLog::from_environment();
  for (auto& m : monitors) m->start();
  // Connect before curses takes the terminal, so a password prompt (when
  // tor wants one) appears on a normal terminal.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    bool settled = true;
    for (auto& m : monitors) {
      if (!m->ready() && !m->failed()) settled = false;
    }
    if (settled) break;
    io.run_for(std::chrono::milliseconds(20));
  }
  try {
    tui::TuiOptions tui_options;
    tui_options.terminal.color = ui::want_color(options.no_color, std::getenv("NO_COLOR"));
    tui_options.terminal.ascii = options.ascii;
    tui::Tui tui(io, tui_options, relays, debug);
    screen = &tui;
    int status = tui.run();
    screen = nullptr;
    return status;
  } catch (const std::exception& e) {
    screen = nullptr;
    ui::Terminal::restore();
    fmt::print(stderr, "relaymon: {}\n", text::printable(e.what()));
    return 1;
  }
}

}  // namespace relaymon::app
