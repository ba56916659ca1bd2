#include "app/snapshot_mode.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/env_password.h"
#include "app/headless.h"
#include "app/monitor.h"
#include "app/password.h"
#include "app/snapshot_json.h"
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
  // Taken now, not when tor first asks: until then every tool relaymon
  // runs would inherit it.
  std::optional<std::string> env = take_env_password();
  return [config, env]() -> std::optional<std::string> {
    if (env) return env;
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

namespace {

void print_text(const model::Snapshot& s) {
  const auto& r = s.relay;
  const auto& t = s.tor;
  fmt::print("{} {} at {} ({} auth)\n", r.nickname.empty() ? "tor" : r.nickname,
             r.fingerprint.empty() ? "(not a relay)" : r.fingerprint, s.control.endpoint,
             model::to_string(s.control.auth));
  fmt::print("  tor {} ({}), uptime {}s, bootstrap {}%\n", t.version,
             t.version_status.empty() ? "status unknown" : t.version_status,
             t.uptime_seconds.value_or(0), t.bootstrap_progress);
  fmt::print("  traffic read {} B, written {} B\n", t.traffic_read.value_or(0),
             t.traffic_written.value_or(0));
  if (s.process.pid) {
    fmt::print("  pid {} user {} descriptors {}/{}\n", *s.process.pid, s.process.user,
               s.process.descriptors_used ? std::to_string(*s.process.descriptors_used) : "?",
               s.process.descriptor_limit ? std::to_string(*s.process.descriptor_limit) : "?");
  }
  if (!r.flags.empty()) {
    std::string flags;
    for (const auto& f : r.flags) flags += (flags.empty() ? "" : " ") + f;
    fmt::print("  flags {}\n", flags);
  }
  if (!r.exit_policy_summary.empty()) fmt::print("  exit policy {}\n", r.exit_policy_summary);
}

}  // namespace

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
    std::cout << snapshots_to_json(snapshots).dump(2) << "\n";
  } else {
    for (const auto& s : snapshots) print_text(s);
  }
  return 0;
}

MonitorSettings monitor_settings(const Options& options, const Config& config,
                                 const Target& target) {
  MonitorSettings settings;
  settings.target = target;
  settings.password = password_source(config);
  settings.resolver = options.resolver;
  settings.allow_plain_cookie = options.allow_plain_cookie || config.allow_plain_cookie;
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
