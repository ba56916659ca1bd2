// What the headless modes (--watch, --check, --metrics) share: running
// one RelayMonitor per target on one io_context, and naming each relay.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/monitor.h"
#include "export/snapshot_text.h"

namespace relaymon::app {

using exporter::relay_label;

std::vector<std::shared_ptr<RelayMonitor>> make_monitors(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets, bool one_shot, std::function<void()> changed = {});

// One collection from every target (--snapshot, --check): runs `io` until
// each monitor has collected or failed, or three times options.timeout has
// passed. The monitors are stopped and can still be asked for snapshots.
std::shared_ptr<std::vector<std::shared_ptr<RelayMonitor>>> collect_once(
    boost::asio::io_context& io, const Options& options, const Config& config,
    const std::vector<Target>& targets);

}  // namespace relaymon::app
