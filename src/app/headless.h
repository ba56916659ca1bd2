// What the headless modes (--snapshot, --watch, --check, --metrics) share:
// running one RelayMonitor per target on one io_context.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/options.h"
#include "app/settings.h"
#include "export/snapshot_text.h"
#include "session/monitor.h"

namespace relaymon::app {

using exporter::relay_label;

std::vector<std::shared_ptr<session::RelayMonitor>> make_monitors(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets, bool one_shot, std::function<void()> changed = {});

// One collection from every target (--snapshot, --check): runs `io` until
// each monitor has collected or failed, or three times options.timeout has
// passed. The monitors are stopped and can still be asked for snapshots.
std::shared_ptr<std::vector<std::shared_ptr<session::RelayMonitor>>> collect_once(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets);

}  // namespace relaymon::app
