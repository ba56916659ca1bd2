#include "export/check_line.h"

#include <fmt/format.h>

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

}  // namespace

CheckResult evaluate_check(const std::vector<CheckRelay>& relays) {
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
  long total_alerts = 0;
  for (const auto& r : relays) {
    std::string prefix = relays.size() > 1 ? r.label : "";
    if (!r.snapshot) {
      worse(CheckStatus::kUnknown);
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
      ++total_alerts;
      problems.push_back(
          fmt::format("{}: {} {} ({})", r.label, a.id, a.subject, model::to_string(a.severity)));
    }
    long conns = 0;
    for (const auto& c : s.connections) {
      if (c.category != model::Category::kListener) ++conns;
    }
    perf.push_back(fmt::format("{}={}", perf_label(prefix, "conns"), conns));
    perf.push_back(
        fmt::format("{}={}c", perf_label(prefix, "bw_read"), s.tor.traffic_read.value_or(0)));
    perf.push_back(
        fmt::format("{}={}c", perf_label(prefix, "bw_written"), s.tor.traffic_written.value_or(0)));
    if (s.process.descriptors_used && s.process.descriptor_limit) {
      perf.push_back(fmt::format("{}={};;;0;{}", perf_label(prefix, "descriptors"),
                                 *s.process.descriptors_used, *s.process.descriptor_limit));
    }
    perf.push_back(fmt::format("{}={}", perf_label(prefix, "alerts_warning"), warnings));
    perf.push_back(fmt::format("{}={}", perf_label(prefix, "alerts_critical"), criticals));
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
  // One line: plugins' output is read up to the first newline.
  for (char& c : summary) {
    if (c == '\n' || c == '\r' || c == '|') c = ' ';
  }
  result.line = fmt::format("RELAYMON {} - {}{}{}", status_name(result.status), summary,
                            perfdata.empty() ? "" : " | ", perfdata);
  (void)total_alerts;
  return result;
}

}  // namespace relaymon::exporter
