#pragma once

#include <vector>

#include "app/config.h"
#include "app/options.h"
#include "control/controller.h"
#include "model/snapshot.h"

#include <functional>
#include <optional>
#include <string>

namespace relaymon::app {

// --snapshot: connect to every target once, collect, print (JSON with
// --json, else a short text summary) and exit: 0 when every relay answered,
// 1 otherwise with the reasons on stderr.
std::string host_description();
std::function<std::optional<std::string>()> password_source(const Config& config);
model::AuthMethod to_model(control::AuthMethodUsed method);

struct MonitorSettings;
// The settings of one monitored relay from the command line and config.
MonitorSettings monitor_settings(const Options& options, const Config& config,
                                 const Target& target);

int run_snapshot(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
