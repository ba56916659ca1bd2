// --watch: runs until SIGINT/SIGTERM, printing alert raise/clear events and
// tor's WARN/ERR log lines as text, or as JSON lines with --json; --events
// adds every parsed tor event of the listed types as a JSON line with the
// control-spec's field names in lower case. Addresses are scrubbed.
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "app/options.h"

namespace relaymon::app {

int run_watch(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
