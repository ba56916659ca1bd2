#include "export/watch_lines.h"

#include <fmt/format.h>

#include <map>

#include "model/scrub_text.h"
#include "text/text.h"
#include "text/time.h"

namespace relaymon::exporter {

using nlohmann::json;

namespace {

using text::iso8601;
using text::lower;

// Positional fields of the events whose first words have control-spec
// names (control-spec section 4.1); the rest are "arg1", "arg2", ...
const std::map<std::string, std::vector<std::string>, std::less<>>& positional_names() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> names = {
      {"CIRC", {"circid", "status", "path"}},
      {"CIRC_MINOR", {"circid", "event", "path"}},
      {"STREAM", {"streamid", "streamstatus", "circuitid", "target"}},
      {"ORCONN", {"target", "status"}},
      {"BW", {"bytesread", "byteswritten"}},
      {"ADDRMAP", {"address", "newaddress", "expiry"}},
      {"GUARD", {"type", "name", "status"}},
      {"NETWORK_LIVENESS", {"status"}},
      {"SIGNAL", {"signal"}},
      {"STATUS_GENERAL", {"severity", "action"}},
      {"STATUS_CLIENT", {"severity", "action"}},
      {"STATUS_SERVER", {"severity", "action"}},
      {"HS_DESC", {"action", "hsaddress", "authtype", "hsdir"}},
  };
  return names;
}

// Fields that hold a user's destination: never shown, port kept.
std::string scrub_field(std::string_view event, std::string_view field, const std::string& value) {
  bool destination = (event == "STREAM" && (field == "target" || field == "source_addr")) ||
                     (event == "ADDRMAP" && (field == "address" || field == "newaddress"));
  if (destination) return model::scrub_destination(value);
  if (model::sensitive_keyword(field)) return std::string(model::kScrubbed);
  return model::scrub_text(value);
}

}  // namespace

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
  return {{"type", "log"},
          {"time", iso8601(now)},
          {"relay", relay},
          {"severity", log.severity},
          {"message", model::scrub_text(log.message)}};
}

json watch_event_json(const std::string& relay, const control::Event& event, model::TimePoint now) {
  json out = {{"type", "event"}, {"time", iso8601(now)}, {"relay", relay}, {"event", event.type}};
  if (const auto* log = event.get<control::LogEvent>()) {
    out["severity"] = log->severity;
    out["message"] = model::scrub_text(log->message);
    return out;
  }
  if (event.type == "NS" || event.type == "NEWCONSENSUS" || event.type == "CONF_CHANGED") {
    // Free text: relays' public entries or option lines; kept whole.
    out["data"] = model::scrub_text(event.raw);
    return out;
  }
  const auto& names = positional_names();
  auto known = names.find(event.type);
  for (std::size_t i = 0; i < event.args.positional.size(); ++i) {
    std::string name = known != names.end() && i < known->second.size()
                           ? known->second[i]
                           : fmt::format("arg{}", i + 1);
    out[name] = scrub_field(event.type, name, event.args.positional[i]);
  }
  for (const auto& kv : event.args.keywords) {
    std::string name = lower(kv.key);
    out[name] = scrub_field(event.type, name, kv.value);
  }
  return out;
}

}  // namespace relaymon::exporter
