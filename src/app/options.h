// The command line (documented option by option in man/relaymon.1).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/config.h"
#include "control/endpoint.h"

namespace relaymon::app {

struct Options {
  std::vector<std::string> control_ports;    // -i, repeatable
  std::vector<std::string> control_sockets;  // -s, repeatable
  // Both as given, in command-line order ('i' or 's', value): relays are
  // watched and listed in this order (empty: ports first, then sockets).
  std::vector<std::pair<char, std::string>> control_order;
  std::string config_path;  // -c
  bool config_given = false;
  bool snapshot = false;
  bool json = false;
  std::string resolver = "auto";  // or netlink, proc, ss, netstat, lsof
  bool no_color = false;
  bool ascii = false;
  // --allow-plain-cookie (control::ControllerOptions::allow_plain_cookie)
  bool allow_plain_cookie = false;
  double timeout = 10;  // seconds, for one-shot modes
  // Headless modes (man/relaymon.1, HEADLESS MODES).
  bool watch = false;
  bool check = false;
  std::string metrics;              // "[ADDR:]PORT", empty: off
  std::vector<std::string> events;  // --events: tor event types for --watch
  // --check thresholds, "METRIC=RANGE" each (export/check_range.h).
  std::vector<std::string> warning;   // -w
  std::vector<std::string> critical;  // --critical, or -c NAME=RANGE with --check
};

// One monitored tor: the endpoints to try, in order.
struct Target {
  std::vector<control::ControlEndpoint> endpoints;
};

// Every -i/-s is one relay; the config file's control_port/control_socket
// are used when the command line names none; with neither, nyx's defaults.
std::vector<Target> resolve_targets(const Options& options, const Config& config,
                                    std::string& error);

}  // namespace relaymon::app
