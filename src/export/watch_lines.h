// The lines --watch prints: alert raise/clear events and tor's WARN/ERR
// log lines as text or JSON, and (--events) every parsed tor event of the
// listed types as a JSON line with the control-spec's field names in lower
// case. Pure formatters, one line each (no newline). Addresses, hostnames
// and sensitive fields are scrubbed (model/scrub_text.h).
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
// An event as {"type":"event","event":"CIRC","relay":...,"circid":...}.
// Client and exit-destination addresses are replaced by "[scrubbed]".
nlohmann::json watch_event_json(const std::string& relay, const control::Event& event,
                                model::TimePoint now);

}  // namespace relaymon::exporter
