// --snapshot: connect to every target once, collect, print (JSON with
// --json, else a short text summary) and exit: 0 when every relay answered,
// 1 otherwise with the reasons on stderr.
#pragma once

#include <vector>

#include "app/config.h"
#include "app/options.h"

namespace relaymon::app {

int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
