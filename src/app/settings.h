// The settings of each monitored relay, from the command line and the
// config file (shared by every mode).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/options.h"
#include "session/settings.h"

namespace relaymon::app {

// RELAYMON_PASSWORD, the config's password, or a no-echo prompt on a terminal.
std::function<std::optional<std::string>()> password_source(const Config& config);

session::MonitorSettings monitor_settings(const Options& options, const Config& config,
                                          const Target& target);

}  // namespace relaymon::app
