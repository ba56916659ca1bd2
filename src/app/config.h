// relaymon's config file: one "key value" per line, '#' starts a comment,
// keys may repeat where a list makes sense (control_port, control_socket).
// Documented in man/relaymon.1 (FILES, CONFIGURATION). Pure parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relaymon::app {

struct Config {
  std::vector<std::string> control_ports;    // "[ADDR:]PORT", like -i
  std::vector<std::string> control_sockets;  // like -s
  std::optional<std::string> password;
  std::optional<std::string> resolver;
  std::optional<std::string> geoip_database;
  std::optional<std::string> asn_database;
  std::optional<double> poll_interval;  // seconds
  bool allow_plain_cookie = false;      // "allow_plain_cookie 1": see --allow-plain-cookie
  // "reveal_flood_addresses 1": the TUI's alerts page shows the address of a
  // host raising connection-flood (nowhere else).
  bool reveal_flood_addresses = false;
  // "alert.<rule-id>.<setting> value" lines, in order, already validated
  // against the rule table (analysis::AlertConfig::set).
  std::vector<std::pair<std::string, std::string>> alert_settings;
};

struct ConfigError {
  int line = 0;
  std::string message;
};

// Unknown keys and bad values are errors (with their line number): a typo
// in a monitoring tool's config should not pass silently.
Config parse_config(std::string_view text, std::vector<ConfigError>& errors);

// $XDG_CONFIG_HOME/relaymon/config, else ~/.config/relaymon/config.
std::string default_config_path();

}  // namespace relaymon::app
