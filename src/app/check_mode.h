// --check: one collection of every relay, then the monitoring-plugin
// convention of Nagios/Icinga: one summary line with perfdata and exit
// status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (man/relaymon.1).
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "app/options.h"

namespace relaymon::app {

int run_check(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
