// The Prometheus text exposition (format 0.0.4) relaymon serves on
// /metrics: one label set per monitored relay (relay="nickname"). Metric
// names in man/relaymon.1. Pure.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::exporter {

struct MetricsRelay {
  std::string label;
  bool collected = false;
  model::SnapshotPtr snapshot = std::make_shared<const model::Snapshot>();
};

// Pure: the exposition text for these relays.
std::string render_metrics(const std::vector<MetricsRelay>& relays);

}  // namespace relaymon::exporter
