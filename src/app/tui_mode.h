#pragma once

#include <vector>

#include "app/config.h"
#include "app/options.h"

namespace relaymon::app {

// The interactive curses application (the default mode).
int run_tui(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
