// The text form of a snapshot (--snapshot without --json), and the name a
// relay carries in every headless output. Pure.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace relaymon::exporter {

// A few lines per relay, each ending in a newline.
std::string snapshot_text(const model::Snapshot& snapshot);

// The label a relay carries in every headless output: its nickname, else
// its control endpoint.
std::string relay_label(const model::Snapshot& snapshot);

}  // namespace relaymon::exporter
