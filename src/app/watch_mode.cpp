#include "app/watch_mode.h"

#include <fmt/format.h>

#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <set>

#include "app/headless.h"
#include "control/events.h"
#include "control/quoting.h"
#include "export/event_json.h"
#include "export/watch_lines.h"
#include "text/utf8.h"

namespace relaymon::app {

namespace asio = boost::asio;
using exporter::event_json;
using exporter::json_line;
using exporter::watch_alert_json;
using exporter::watch_alert_text;
using exporter::watch_log_json;
using exporter::watch_log_text;
using nlohmann::json;

int run_watch(const Options& options, const Config& config, const std::vector<Target>& targets) {
  asio::io_context io;
  auto monitors = make_monitors(io, options, config, targets, false);
  std::set<std::string, std::less<>> wanted(options.events.begin(), options.events.end());
  // Tor's text never reaches the terminal raw (text::printable).
  auto emit = [json = options.json](const std::string& line) {
    std::cout << (json ? text::json_printable(line) : text::printable(line)) << "\n";
    std::cout.flush();  // scripts read line by line
  };
  for (auto& m : monitors) {
    std::weak_ptr<session::RelayMonitor> weak = m;
    auto label = std::make_shared<std::string>();
    auto name = [weak, label]() -> const std::string& {
      // The nickname arrives with the first static refresh, before the
      // first alerts; a relay without one is named by its endpoint.
      if (label->empty()) {
        if (auto self = weak.lock()) {
          model::SnapshotPtr s = self->snapshot();
          if (!s->relay.nickname.empty() || self->collected()) *label = relay_label(*s);
        }
      }
      static const std::string pending = "tor";
      return label->empty() ? pending : *label;
    };
    m->set_connection_tap(
        [&options, emit, name](const session::RelayMonitor::ConnectionChange& change) {
          auto now = model::Clock::now();
          emit(options.json ? json_line(exporter::watch_connection_json(
                                  name(), change.state, change.endpoint, change.error, now))
                            : exporter::watch_connection_text(name(), change.state, change.endpoint,
                                                              change.error, now));
        });
    m->set_alert_tap([&options, emit, name](const analysis::AlertChange& change) {
      auto now = model::Clock::now();
      emit(options.json ? json_line(watch_alert_json(name(), change, now))
                        : watch_alert_text(name(), change, now));
    });
    m->set_event_tap([&options, &wanted, emit, name](const control::Event& event) {
      auto now = model::Clock::now();
      if (wanted.count(event.type)) {
        emit(json_line(event_json(name(), event, now)));
        return;
      }
      const auto* log = event.get<control::LogEvent>();
      if (log && (log->severity == "WARN" || log->severity == "ERR")) {
        emit(options.json ? json_line(watch_log_json(name(), *log, now))
                          : watch_log_text(name(), *log, now));
      }
    });
    // A refused event of a wanted type (or one whose type is no keyword)
    // is reported as such; the stream goes on.
    m->set_malformed_tap(
        [&wanted, emit, name](const control::Reply& reply, const control::ParseError& error) {
          std::string_view type = control::event_type(reply);
          if (!type.empty() && control::is_keyword(type) && !wanted.count(type)) return;
          emit(json_line(exporter::malformed_event_json(name(), type, error, model::Clock::now())));
        });
    m->start();
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    for (auto& m : monitors) m->stop();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace relaymon::app
