#include "app/config.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

#include "analysis/alerts.h"
#include "text/text.h"

namespace relaymon::app {

using text::trim;

Config parse_config(std::string_view text, std::vector<ConfigError>& errors) {
  Config config;
  analysis::AlertConfig alerts = analysis::AlertConfig::defaults();
  int number = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    auto space = line.find_first_of(" \t");
    std::string_view key = line.substr(0, space);
    std::string_view value = space == std::string_view::npos ? "" : trim(line.substr(space));
    if (value.empty()) {
      errors.push_back({number, fmt::format("\"{}\" needs a value", key)});
      continue;
    }
    std::string v(value);
    if (key == "control_port") {
      config.control_ports.push_back(v);
    } else if (key == "control_socket") {
      config.control_sockets.push_back(v);
    } else if (key == "password") {
      config.password = v;
    } else if (key == "resolver") {
      config.resolver = v;
    } else if (key == "geoip_database") {
      config.geoip_database = v;
    } else if (key == "asn_database") {
      config.asn_database = v;
    } else if (key == "reveal_flood_addresses") {
      if (value != "0" && value != "1") {
        errors.push_back({number, fmt::format("reveal_flood_addresses \"{}\": 0 or 1", value)});
      } else {
        config.reveal_flood_addresses = value == "1";
      }
    } else if (key == "allow_plain_cookie") {
      if (value != "0" && value != "1") {
        errors.push_back({number, fmt::format("allow_plain_cookie \"{}\": 0 or 1", value)});
      } else {
        config.allow_plain_cookie = value == "1";
      }
    } else if (key == "poll_interval") {
      double seconds = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0.5 ||
          seconds > 3600) {
        errors.push_back(
            {number, fmt::format("poll_interval \"{}\": seconds from 0.5 to 3600", value)});
      } else {
        config.poll_interval = seconds;
      }
    } else if (key.substr(0, 6) == "alert.") {
      if (std::string error = alerts.set(key, value); !error.empty()) {
        errors.push_back({number, error});
      } else {
        config.alert_settings.emplace_back(std::string(key), v);
      }
    } else {
      errors.push_back({number, fmt::format("unknown key \"{}\"", key)});
    }
  }
  return config;
}

std::string default_config_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return fmt::format("{}/relaymon/config", xdg);
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fmt::format("{}/.config/relaymon/config", home);
  }
  return "/etc/relaymon/config";
}

}  // namespace relaymon::app
