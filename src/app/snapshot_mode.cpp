#include "app/snapshot_mode.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/headless.h"
#include "app/monitor.h"
#include "app/password.h"
#include "export/snapshot_json.h"
#include "export/snapshot_text.h"
#include "control/controller.h"
#include "model/relay_state.h"

namespace relaymon::app {

namespace asio = boost::asio;

std::string host_description() {
  utsname u{};
  if (::uname(&u) != 0) return "";
  return fmt::format("{} ({} {})", u.nodename, u.sysname, u.release);
}

std::function<std::optional<std::string>()> password_source(const Config& config) {
  return [config]() -> std::optional<std::string> {
    if (const char* env = std::getenv("RELAYMON_PASSWORD")) return std::string(env);
    if (config.password) return config.password;
    if (::isatty(STDIN_FILENO)) return prompt_password("Tor control password: ");
    return std::nullopt;
  };
}

model::AuthMethod to_model(control::AuthMethodUsed method) {
  switch (method) {
    case control::AuthMethodUsed::kNone:
      return model::AuthMethod::kNone;
    case control::AuthMethodUsed::kSafeCookie:
      return model::AuthMethod::kSafeCookie;
    case control::AuthMethodUsed::kCookie:
      return model::AuthMethod::kCookie;
    case control::AuthMethodUsed::kPassword:
      return model::AuthMethod::kPassword;
  }
  return model::AuthMethod::kNone;
}

int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets) {
  asio::io_context io;
  auto monitors = collect_once(io, options, config, targets);
  int status = 0;
  std::vector<model::Snapshot> snapshots;
  for (auto& m : *monitors) {
    model::Snapshot snapshot = m->snapshot();
    if (m->failed()) {
      fmt::print(stderr, "relaymon: {}\n", snapshot.control.last_error);
      status = 1;
    } else if (!m->collected()) {
      fmt::print(stderr, "relaymon: {}: no complete answer within {} s\n",
                 snapshot.control.endpoint, options.timeout * 3);
      status = 1;
    }
    snapshots.push_back(std::move(snapshot));
  }
  if (status != 0) return status;
  if (options.json) {
    // Tor's text may hold invalid UTF-8: replaced, not thrown.
    std::cout << exporter::snapshots_to_json(snapshots).dump(
                     2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    for (const auto& s : snapshots) fmt::print("{}", exporter::snapshot_text(s));
  }
  return 0;
}

MonitorSettings monitor_settings(const Options& options, const Config& config,
                                 const Target& target) {
  MonitorSettings settings;
  settings.target = target;
  settings.password = password_source(config);
  settings.resolver = options.resolver;
  if (config.poll_interval) {
    settings.poll_interval =
        std::chrono::milliseconds(static_cast<long>(*config.poll_interval * 1000));
  }
  if (config.geoip_database) settings.geo.country_path = *config.geoip_database;
  if (config.asn_database) settings.geo.asn_path = *config.asn_database;
  settings.timeout = std::chrono::milliseconds(static_cast<long>(options.timeout * 1000));
  // Validated by parse_config: set() cannot fail here.
  for (const auto& [key, value] : config.alert_settings) settings.alerts.set(key, value);
  return settings;
}

}  // namespace relaymon::app
