// The text form of a snapshot (--snapshot without --json), and the name a
// relay carries in every headless output. Pure.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace relaymon::exporter {

// A readable summary per relay (sizes, rates and durations in words,
// connections per category, health, active alerts), each line ending in a
// newline. Addresses never appear: alert subjects are already scrubbed.
// `same_tor_as`: the endpoint of an earlier relay that is this same tor
// (model::same_tor_as), said under the identity line; "" for none.
std::string snapshot_text(const model::Snapshot& snapshot, const std::string& same_tor_as = "");

// The label a relay carries in every headless output: its nickname, else
// its control endpoint.
std::string relay_label(const model::Snapshot& snapshot);

}  // namespace relaymon::exporter
