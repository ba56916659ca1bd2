// The lines --watch prints: alert raise/clear events and tor's WARN/ERR
// log lines as text or JSON (schema 2, see export/event_json.h for the
// typed event lines of --events). Pure formatters, one line each (no
// newline). Addresses, hostnames and sensitive fields are scrubbed
// (model/scrub_text.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/alerts.h"
#include "control/events.h"
#include "model/snapshot.h"

namespace relaymon::exporter {

// Pure formatters, one line each (no newline).
std::string watch_alert_text(const std::string& relay, const analysis::AlertChange& change,
                             model::TimePoint now);
nlohmann::json watch_alert_json(const std::string& relay, const analysis::AlertChange& change,
                                model::TimePoint now);
std::string watch_log_text(const std::string& relay, const control::LogEvent& log,
                           model::TimePoint now);
nlohmann::json watch_log_json(const std::string& relay, const control::LogEvent& log,
                              model::TimePoint now);

// The control connection's state changing (RelayMonitor::ConnectionChange):
// state is "connected", "disconnected", "unreachable" or "gave_up"; the
// endpoint is the operator's control port, the error relaymon's reason.
nlohmann::json watch_connection_json(const std::string& relay, const std::string& state,
                                     const std::string& endpoint, const std::string& error,
                                     model::TimePoint now);
std::string watch_connection_text(const std::string& relay, const std::string& state,
                                  const std::string& endpoint, const std::string& error,
                                  model::TimePoint now);

}  // namespace relaymon::exporter
