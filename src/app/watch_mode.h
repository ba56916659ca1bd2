// --watch: runs until SIGINT/SIGTERM, printing alert raise/clear events and
// tor's WARN/ERR log lines as text, or as JSON lines with --json; --events
// adds every parsed tor event of the listed types as a JSON line with the
// control-spec's field names in lower case. Addresses are scrubbed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/alerts.h"
#include "app/config.h"
#include "app/options.h"
#include "control/events.h"

namespace relaymon::app {

// Pure formatters, one line each (no newline).
std::string watch_alert_text(const std::string& relay, const analysis::AlertChange& change,
                             model::TimePoint now);
nlohmann::json watch_alert_json(const std::string& relay, const analysis::AlertChange& change,
                                model::TimePoint now);
std::string watch_log_text(const std::string& relay, const control::LogEvent& log,
                           model::TimePoint now);
nlohmann::json watch_log_json(const std::string& relay, const control::LogEvent& log,
                              model::TimePoint now);
// An event as {"type":"event","event":"CIRC","relay":...,"circid":...}.
// Client and exit-destination addresses are replaced by "[scrubbed]".
nlohmann::json watch_event_json(const std::string& relay, const control::Event& event,
                                model::TimePoint now);

int run_watch(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
