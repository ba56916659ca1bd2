// How one relay is monitored: where its control port is, how often to poll,
// which resolver and geo databases, the alert rules.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/alerts.h"
#include "control/endpoint.h"
#include "geo/geo.h"

namespace relaymon::session {

struct MonitorSettings {
  std::vector<control::ControlEndpoint> endpoints;  // tried in order
  std::function<std::optional<std::string>()> password;
  std::chrono::milliseconds poll_interval{5000};
  std::string resolver = "auto";
  geo::Lookup::Config geo;
  // control::ControllerOptions::allow_plain_cookie
  bool allow_plain_cookie = false;
  bool reconnect = true;      // one-shot modes give up at the first failure
  bool config_pages = false;  // fetch every option, the torrc and tor's names (the TUI)
  std::chrono::milliseconds timeout{10000};  // to connect, and for each answer
  // Events relaymon subscribes to; intersected with tor's events/names,
  // since one unknown name fails the whole SETEVENTS.
  std::vector<std::string> events = {
      "BW",           "CIRC",   "CIRC_BW",         "ORCONN",         "NOTICE",
      "WARN",         "ERR",    "STATUS_SERVER",   "STATUS_GENERAL", "NEWCONSENSUS",
      "CONF_CHANGED", "SIGNAL", "NETWORK_LIVENESS"};
  // Alert rules (config keys alert.<id>.<setting>); `one_shot_alerts`
  // ignores hold times, for --check's single collection.
  analysis::AlertConfig alerts = analysis::AlertConfig::defaults();
  bool one_shot_alerts = false;
  // The operator's opt-in: the address of a host raising connection-flood
  // is kept for the TUI's alerts page (never in a snapshot, JSON, metrics
  // or a log).
  bool reveal_flood_addresses = false;
};

}  // namespace relaymon::session
