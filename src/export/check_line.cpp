#include "export/check_line.h"

#include <fmt/format.h>

#include <cmath>

namespace relaymon::exporter {

namespace {

std::string_view status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk:
      return "OK";
    case CheckStatus::kWarning:
      return "WARNING";
    case CheckStatus::kCritical:
      return "CRITICAL";
    case CheckStatus::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

// Perfdata labels may not hold '=' or quotes; nicknames are [A-Za-z0-9].
std::string perf_label(const std::string& prefix, std::string_view name) {
  std::string label = prefix.empty() ? std::string(name) : fmt::format("{}_{}", prefix, name);
  for (char& c : label) {
    if (c == '=' || c == '\'' || c == ' ') c = '_';
  }
  return label;
}

// Values in the guidelines' class [-0-9.]: integers as such, else two
// decimals.
std::string perf_number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.2f}", v);
}

// One line: plugins' output is read up to the first newline, and '|'
// starts the perfdata.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '|') c = ' ';
  }
  return text;
}

const PluginRange* range_for(const std::vector<Threshold>& list, std::string_view metric) {
  const PluginRange* found = nullptr;
  for (const auto& t : list) {
    if (t.metric == metric) found = &t.range;  // the last one given wins
  }
  return found;
}

struct Figure {
  std::string_view name;
  std::optional<double> value;
  std::optional<double> max;
  std::string missing;  // why value is absent
};

std::vector<Figure> figures(const model::Snapshot& s, long warnings, long criticals) {
  long conns = 0, clients = 0, exits = 0;
  for (const auto& c : s.connections) {
    if (c.category != model::Category::kListener) ++conns;
    if (c.category == model::Category::kInboundClient) ++clients;
    if (c.category == model::Category::kExit) ++exits;
  }
  const auto& p = s.process;
  std::string no_fds = p.unavailable_reason.empty() ? "tor's descriptors could not be counted"
                                                    : p.unavailable_reason;
  std::optional<double> used, limit, pct;
  if (p.descriptors_used) used = static_cast<double>(*p.descriptors_used);
  if (p.descriptor_limit) limit = static_cast<double>(*p.descriptor_limit);
  if (used && limit && *limit > 0) pct = std::round(*used * 10000 / *limit) / 100;
  std::optional<double> uptime;
  if (s.tor.uptime_seconds) uptime = static_cast<double>(*s.tor.uptime_seconds);
  std::optional<double> read, written;
  if (s.tor.traffic_read) read = static_cast<double>(*s.tor.traffic_read);
  if (s.tor.traffic_written) written = static_cast<double>(*s.tor.traffic_written);
  // Health: concerns at each level, and the two figures with a clock on them.
  std::optional<double> health_warn, health_crit, dropped_pct, key_days;
  std::string no_health = "tor is a client, or relaymon has not read its health yet";
  if (!s.relay.fingerprint.empty() && s.health.updated) {
    health_warn = health_crit = 0;
    for (const auto& [label, state] : model::health_concerns(s.health)) {
      if (state->level == model::HealthLevel::kWarning) ++*health_warn;
      if (state->level == model::HealthLevel::kCritical) ++*health_crit;
    }
    if (s.health.dos.dropped_share) dropped_pct = *s.health.dos.dropped_share * 100;
    if (s.health.signing_key.expires) {
      key_days =
          std::chrono::duration<double>(*s.health.signing_key.expires - *s.health.updated).count() /
          86400;
      key_days = std::round(*key_days * 100) / 100;
    }
  }
  return {{"conns", double(conns), {}, ""},
          {"clients", double(clients), {}, ""},
          {"exits", double(exits), {}, ""},
          {"descriptors", used, limit, no_fds},
          {"descriptors_pct", pct, 100, no_fds},
          {"uptime", uptime, {}, "tor did not answer uptime"},
          {"alerts_warning", double(warnings), {}, ""},
          {"alerts_critical", double(criticals), {}, ""},
          {"bw_read", read, {}, "tor did not answer traffic/read"},
          {"bw_written", written, {}, "tor did not answer traffic/written"},
          {"health_warning", health_warn, {}, no_health},
          {"health_critical", health_crit, {}, no_health},
          {"onionskins_dropped_pct", dropped_pct, 100,
           s.health.dos.ntor_requested ? "too few onionskins asked for a share"
                                       : "needs a relay's onionskin counters"},
          {"signing_key_days",
           key_days,
           {},
           "needs OfflineMasterKey 1 and a MetricsPort (an online key renews itself)"}};
}

}  // namespace

const std::vector<CheckMetric>& check_metrics() {
  static const std::vector<CheckMetric> metrics = {
      {"conns", "", false, "tor's connections (listeners aside)"},
      {"clients", "", false, "inbound connections from Tor clients"},
      {"exits", "", false, "exit connections"},
      {"descriptors", "", false, "file descriptors tor has open (max: its limit)"},
      {"descriptors_pct", "%", false, "descriptors open, percent of tor's limit"},
      {"uptime", "s", false, "tor's uptime"},
      {"alerts_warning", "", false, "relaymon's active warnings"},
      {"alerts_critical", "", false, "relaymon's active critical alerts"},
      {"bw_read", "c", true, "bytes tor has read since it started"},
      {"bw_written", "c", true, "bytes tor has written since it started"},
      {"health_warning", "", false, "health concerns at warning"},
      {"health_critical", "", false, "health concerns at critical"},
      {"onionskins_dropped_pct", "%", false, "onionskins dropped, percent of those asked for"},
      {"signing_key_days", "", false, "days until the signing certificate expires"},
  };
  return metrics;
}

const CheckMetric* find_check_metric(std::string_view name) {
  for (const auto& m : check_metrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string check_metric_names() {
  std::string out;
  for (const auto& m : check_metrics()) {
    if (!m.counter) out += fmt::format("{}{}", out.empty() ? "" : ", ", m.name);
  }
  return out;
}

std::string check_unknown_line(std::string_view why) {
  return one_line(fmt::format("RELAYMON UNKNOWN - {}", why));
}

CheckResult evaluate_check(const std::vector<CheckRelay>& relays,
                           const CheckThresholds& thresholds) {
  CheckResult result;
  std::vector<std::string> problems;
  std::vector<std::string> perf;
  auto worse = [&result](CheckStatus s) {
    // UNKNOWN only wins over OK: a known CRITICAL elsewhere still counts.
    auto rank = [](CheckStatus x) {
      return x == CheckStatus::kUnknown ? 1 : static_cast<int>(x) * 2;
    };
    if (rank(s) > rank(result.status)) result.status = s;
  };
  for (const auto& r : relays) {
    std::string prefix = relays.size() > 1 ? r.label : "";
    if (!r.snapshot) {
      // The monitoring-plugins guidelines: the service not answering is
      // CRITICAL (as check_tcp's refused connection); a plugin that cannot
      // do its job (wrong password, unreadable cookie) is UNKNOWN.
      worse(r.unreachable ? CheckStatus::kCritical : CheckStatus::kUnknown);
      problems.push_back(fmt::format("{}: {}", r.label, r.error.empty() ? "no answer" : r.error));
      continue;
    }
    const model::Snapshot& s = *r.snapshot;
    long warnings = 0, criticals = 0;
    for (const auto& a : s.alerts) {
      if (!a.active) continue;
      if (a.severity == model::Severity::kCritical) {
        ++criticals;
        worse(CheckStatus::kCritical);
      } else if (a.severity == model::Severity::kWarning) {
        ++warnings;
        worse(CheckStatus::kWarning);
      } else {
        continue;
      }
      problems.push_back(
          fmt::format("{}: {} {} ({})", r.label, a.id, a.subject, model::to_string(a.severity)));
    }
    for (const auto& f : figures(s, warnings, criticals)) {
      const CheckMetric& metric = *find_check_metric(f.name);
      const PluginRange* warn = range_for(thresholds.warning, f.name);
      const PluginRange* crit = range_for(thresholds.critical, f.name);
      if (!f.value) {
        // A figure the user set a threshold on must be known.
        if (warn || crit) {
          worse(CheckStatus::kUnknown);
          problems.push_back(fmt::format("{}: {} unknown ({})", r.label, f.name, f.missing));
        }
        continue;
      }
      std::string shown = perf_number(*f.value) + std::string(metric.unit);
      if (crit && crit->alerts(*f.value)) {
        worse(CheckStatus::kCritical);
        problems.push_back(
            fmt::format("{}: {} {} (critical: {})", r.label, f.name, shown, crit->text));
      } else if (warn && warn->alerts(*f.value)) {
        worse(CheckStatus::kWarning);
        problems.push_back(
            fmt::format("{}: {} {} (warning: {})", r.label, f.name, shown, warn->text));
      }
      // label=value[UOM];warn;crit;min;max, trailing empty fields left out.
      std::string fields =
          fmt::format("{};{};{};{}", warn ? warn->text : "", crit ? crit->text : "",
                      metric.counter ? "" : "0", f.max ? perf_number(*f.max) : "");
      while (!fields.empty() && fields.back() == ';') fields.pop_back();
      perf.push_back(fmt::format("{}={}{}{}", perf_label(prefix, f.name), shown,
                                 fields.empty() ? "" : ";", fields));
    }
  }
  std::string summary;
  if (problems.empty()) {
    std::string names;
    for (const auto& r : relays) names += (names.empty() ? "" : ", ") + r.label;
    summary = fmt::format("{} relay(s) without alerts ({})", relays.size(), names);
  } else {
    for (const auto& p : problems) summary += (summary.empty() ? "" : "; ") + p;
  }
  std::string perfdata;
  for (const auto& p : perf) perfdata += (perfdata.empty() ? "" : " ") + p;
  result.line = fmt::format("RELAYMON {} - {}{}{}", status_name(result.status), one_line(summary),
                            perfdata.empty() ? "" : " | ", perfdata);
  return result;
}

}  // namespace relaymon::exporter
