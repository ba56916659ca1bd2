#include "app/tui_mode.h"

#include <fmt/format.h>

#include "app/snapshot_mode.h"

namespace relaymon::app {

// The curses pages are being wired in; until then the default mode prints
// the same summary as --snapshot so the demo shows real data.
int run_tui(const Options& options, const Config& config, const std::vector<Target>& targets) {
  return run_snapshot(options, config, targets);
}

}  // namespace relaymon::app
