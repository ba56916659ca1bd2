// The JSON form of snapshots (--snapshot --json), schema 2, documented in
// man/relaymon.1 (JSON OUTPUT). Every relay is one object in "relays", so a
// consumer reads the same shape for one relay and for many. Values relaymon
// could not learn are null, never guessed. Built from Snapshots only, which
// are scrubbed, so nothing private can reach it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::exporter {

nlohmann::json relay_to_json(const model::Snapshot& snapshot);

// A relay relaymon could not read: where, and why.
struct SnapshotError {
  std::string endpoint;
  std::string error;
};

// {"schema": 2, "generator": "relaymon X.Y.Z", "relays": [...], "errors": [...]}
nlohmann::json snapshots_to_json(const std::vector<model::SnapshotPtr>& snapshots,
                                 const std::vector<SnapshotError>& errors = {});

}  // namespace relaymon::exporter
