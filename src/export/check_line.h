// --check's verdict: the monitoring-plugin convention of Nagios/Icinga, one
// summary line with perfdata and exit status 0 OK, 1 WARNING, 2 CRITICAL,
// 3 UNKNOWN (man/relaymon.1). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::exporter {

enum class CheckStatus { kOk = 0, kWarning = 1, kCritical = 2, kUnknown = 3 };

struct CheckRelay {
  std::string label;
  model::SnapshotPtr snapshot;  // null: no complete collection
  std::string error;            // why, when absent
};

struct CheckResult {
  CheckStatus status = CheckStatus::kOk;
  std::string line;  // "RELAYMON WARNING - ... | conns=12 ..."
};

// Pure: the verdict and the line for these relays' collections.
CheckResult evaluate_check(const std::vector<CheckRelay>& relays);

}  // namespace relaymon::exporter
