// The torrc file split and checked against the running configuration, once
// when the file is read (not on every frame): comments, options, %include,
// and marks for unknown options, repeated single-value options and values
// that differ from what the running tor uses.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::model {

// Without config/names (options empty) only the splitting is done.
std::vector<TorrcLine> analyze_torrc(const TorConfig& config);
// Fills config.torrc from config.torrc_lines and config.options.
void analyze_torrc_into(TorConfig& config);

}  // namespace relaymon::model
