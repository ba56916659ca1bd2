// --check's verdict by the monitoring-plugins guidelines (Nagios, Icinga,
// Naemon...): one summary line with perfdata, exit status 0 OK, 1 WARNING,
// 2 CRITICAL, 3 UNKNOWN (man/relaymon.1, HEADLESS MODES). The status is the
// worst of relaymon's own alerts and the -w/-c thresholds the user gave on
// the figures below. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/check_range.h"
#include "model/snapshot.h"

namespace relaymon::exporter {

enum class CheckStatus { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };

struct CheckRelay {
  std::string label;
  model::SnapshotPtr snapshot;  // null: no complete collection
  std::string error;            // why, when absent
  bool unreachable = false;     // absent because tor did not answer: CRITICAL
};

// One figure of the perfdata: its label, unit of measure (guidelines:
// "" a count, "s", "%", "c" a counter) and whether it is a counter (which
// takes no thresholds).
struct CheckMetric {
  std::string_view name;
  std::string_view unit;
  bool counter = false;
  std::string_view meaning;
};
// conns, clients, exits, descriptors, descriptors_pct, uptime,
// alerts_warning, alerts_critical, bw_read, bw_written.
const std::vector<CheckMetric>& check_metrics();
const CheckMetric* find_check_metric(std::string_view name);
std::string check_metric_names();  // "conns, clients, ..." (no counters)

struct CheckThresholds {
  std::vector<Threshold> warning;   // -w
  std::vector<Threshold> critical;  // -c
};

struct CheckResult {
  CheckStatus status = CheckStatus::kOk;
  std::string line;  // "RELAYMON WARNING - ... | conns=12;;;0 ..."
};

// Pure: the verdict and the line for these relays' collections.
CheckResult evaluate_check(const std::vector<CheckRelay>& relays,
                           const CheckThresholds& thresholds = {});

// "RELAYMON UNKNOWN - why": the line for a failure before any collection
// (a bad option, an unreadable config file), one line whatever `why` holds.
std::string check_unknown_line(std::string_view why);

}  // namespace relaymon::exporter
