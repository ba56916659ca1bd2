#include "export/watch_lines.h"

#include <fmt/format.h>

#include "export/event_json.h"
#include "model/scrub_text.h"
#include "text/text.h"
#include "text/time.h"

namespace relaymon::exporter {

using nlohmann::json;

using text::iso8601;
using text::lower;

std::string watch_alert_text(const std::string& relay, const analysis::AlertChange& change,
                             model::TimePoint now) {
  const auto& a = change.alert;
  std::string evidence;
  for (const auto& [k, v] : a.evidence) evidence += fmt::format(" {}={}", k, v);
  return fmt::format("{} {} {} {} {}: {}{}", iso8601(now), relay,
                     change.kind == analysis::AlertChange::Kind::kRaised ? "RAISED" : "CLEARED",
                     model::to_string(a.severity), a.id, a.subject, evidence);
}

json watch_alert_json(const std::string& relay, const analysis::AlertChange& change,
                      model::TimePoint now) {
  const auto& a = change.alert;
  json evidence = json::object();
  for (const auto& [k, v] : a.evidence) evidence[k] = v;
  return {{"type", "alert"},
          {"schema", kWatchSchema},
          {"time", iso8601(now)},
          {"relay", relay},
          {"change", change.kind == analysis::AlertChange::Kind::kRaised ? "raised" : "cleared"},
          {"id", a.id},
          {"severity", model::to_string(a.severity)},
          {"subject", a.subject},
          {"first_seen", iso8601(a.first_seen)},
          {"last_seen", iso8601(a.last_seen)},
          {"count", a.count},
          {"evidence", evidence},
          {"explanation", a.explanation},
          {"action", a.action}};
}

std::string watch_log_text(const std::string& relay, const control::LogEvent& log,
                           model::TimePoint now) {
  std::string message = model::scrub_text(log.message);
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return fmt::format("{} {} TOR {}: {}", iso8601(now), relay, lower(log.severity), message);
}

json watch_log_json(const std::string& relay, const control::LogEvent& log, model::TimePoint now) {
  return {
      {"type", "log"},  {"schema", kWatchSchema},   {"time", iso8601(now)},
      {"relay", relay}, {"severity", log.severity}, {"message", model::scrub_text(log.message)}};
}

json watch_connection_json(const std::string& relay, const std::string& state,
                           const std::string& endpoint, const std::string& error,
                           model::TimePoint now) {
  return {{"type", "connection"}, {"schema", kWatchSchema}, {"time", iso8601(now)},
          {"relay", relay},       {"state", state},         {"endpoint", endpoint},
          {"error", error}};
}

std::string watch_connection_text(const std::string& relay, const std::string& state,
                                  const std::string& endpoint, const std::string& error,
                                  model::TimePoint now) {
  std::string what;
  if (state == "connected") {
    what = fmt::format("connected to tor at {}", endpoint);
  } else if (state == "disconnected") {
    what = fmt::format("lost tor at {}: {} (reconnecting)", endpoint, error);
  } else if (state == "unreachable") {
    what = fmt::format("cannot reach tor at {}: {} (retrying)", endpoint, error);
  } else {
    what = fmt::format("gave up on tor at {}: {}", endpoint, error);
  }
  for (char& c : what) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return fmt::format("{} {} CONTROL {}", iso8601(now), relay, what);
}

}  // namespace relaymon::exporter
