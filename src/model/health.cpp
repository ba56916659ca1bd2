// Health helpers: counter windows, the state setter, the overview lines.
// update_health() itself is in health_update.cpp.
#include "model/health.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace relaymon::model {

void CounterHistory::add(HealthTime now, double value) {
  if (!samples.empty() && value < samples.back().second) samples.clear();  // tor restarted
  if (!samples.empty() && now < samples.back().first) samples.clear();     // clock went back
  samples.emplace_back(now, value);
  if (samples.size() > kMaxSamples) samples.erase(samples.begin());
}

std::optional<double> CounterHistory::latest() const {
  if (samples.empty()) return std::nullopt;
  return samples.back().second;
}

std::optional<double> CounterHistory::increase(double window_seconds) const {
  if (samples.empty()) return std::nullopt;
  const auto& newest = samples.back();
  const auto from = add_seconds(newest.first, -window_seconds);
  for (const auto& s : samples) {
    if (s.first >= from) return newest.second - s.second;
  }
  return 0.0;
}

std::vector<std::pair<std::string_view, const HealthState*>> health_concerns(const Health& h) {
  return {{"overload", &h.overload.state},
          {"DoS/onionskins", &h.dos.state},
          {"flags", &h.flags.state},
          {"reachability", &h.reachability.state},
          {"exit DNS", &h.dns.state},
          {"family", &h.family.state},
          {"memory", &h.memory.state},
          {"accounting", &h.accounting.state},
          {"signing key", &h.signing_key.state}};
}

std::string health_line(const HealthState& s, std::size_t width) {
  std::string text;
  switch (s.level) {
    case HealthLevel::kUnknown:
      text = s.source.empty() ? "unknown" : fmt::format("unknown ({})", s.source);
      break;
    case HealthLevel::kOk:
      text = s.problem.empty() ? "ok" : "ok, " + s.problem;
      break;
    case HealthLevel::kWarning:
    case HealthLevel::kCritical: {
      std::string since;
      if (s.since) {
        // UTC, like tor's own times in descriptors and events.
        since = fmt::format(" since {:%H:%M}", fmt::gmtime(HealthClock::to_time_t(*s.since)));
      }
      text = s.problem + since;
      // Keep the time visible: shorten the problem, not the "since".
      if (text.size() > width && since.size() + 4 < width) {
        text = s.problem.substr(0, width - since.size() - 3) + "..." + since;
      }
      break;
    }
  }
  if (text.size() > width) text = text.substr(0, width >= 3 ? width - 3 : 0) + "...";
  if (text.size() > width) text.resize(width);
  return text;
}

std::string_view to_string(HealthLevel level) {
  switch (level) {
    case HealthLevel::kOk:
      return "ok";
    case HealthLevel::kWarning:
      return "warning";
    case HealthLevel::kCritical:
      return "critical";
    case HealthLevel::kUnknown:
      break;
  }
  return "unknown";
}

std::string health_concern_id(std::string_view label) {
  std::string id;
  for (char c : label) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      id += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!id.empty() && id.back() != '_') {
      id += '_';
    }
  }
  return id;
}

}  // namespace relaymon::model
