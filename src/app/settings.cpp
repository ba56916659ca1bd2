#include "app/settings.h"

#include <unistd.h>

#include <cstdlib>

#include "app/env_password.h"
#include "app/password.h"

namespace relaymon::app {

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

session::MonitorSettings monitor_settings(const Options& options, const Config& config,
                                          const Target& target) {
  session::MonitorSettings settings;
  settings.endpoints = target.endpoints;
  settings.password = password_source(config);
  settings.resolver = options.resolver;
  settings.allow_plain_cookie = options.allow_plain_cookie || config.allow_plain_cookie;
  settings.reveal_flood_addresses = config.reveal_flood_addresses;
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
