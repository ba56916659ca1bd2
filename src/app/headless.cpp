#include "app/headless.h"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>

namespace relaymon::app {

std::vector<std::shared_ptr<session::RelayMonitor>> make_monitors(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets, bool one_shot, std::function<void()> changed) {
  std::vector<std::shared_ptr<session::RelayMonitor>> monitors;
  for (const auto& target : targets) {
    session::MonitorSettings settings = monitor_settings(options, config, target);
    if (one_shot) {
      settings.reconnect = false;
      settings.events.clear();
      settings.one_shot_alerts = true;
    } else {
      // --events may ask for more than the monitor needs itself.
      for (const auto& e : options.events) {
        if (std::find(settings.events.begin(), settings.events.end(), e) == settings.events.end()) {
          settings.events.push_back(e);
        }
      }
    }
    monitors.push_back(std::make_shared<session::RelayMonitor>(io, settings, changed));
  }
  return monitors;
}

std::shared_ptr<std::vector<std::shared_ptr<session::RelayMonitor>>> collect_once(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets) {
  auto monitors = std::make_shared<std::vector<std::shared_ptr<session::RelayMonitor>>>();
  std::weak_ptr<std::vector<std::shared_ptr<session::RelayMonitor>>> weak = monitors;
  *monitors = make_monitors(io, options, config, targets, true, [&io, weak] {
    auto all = weak.lock();
    if (!all) return;
    for (const auto& m : *all) {
      if (!m->collected() && !m->failed()) return;
    }
    io.stop();
  });
  for (auto& m : *monitors) m->start();
  boost::asio::steady_timer deadline(io);
  deadline.expires_after(std::chrono::milliseconds(static_cast<long>(options.timeout * 3000)));
  deadline.async_wait([&io](const boost::system::error_code& ec) {
    if (!ec) io.stop();
  });
  io.run();
  for (auto& m : *monitors) m->stop();
  return monitors;
}

}  // namespace relaymon::app
