// Snapshot::health as JSON (--snapshot --json schema 2, "health"): one
// entry per concern with its state, and the figures behind it. Only the
// relay's own figures: no address of a client, a destination or a
// resolver (nameservers are counted, not named), and reachability names
// the ORPort's port and family, not its address.
#pragma once

#include <nlohmann/json.hpp>

#include "model/health.h"

namespace relaymon::exporter {

nlohmann::json health_to_json(const model::Health& health);

}  // namespace relaymon::exporter
