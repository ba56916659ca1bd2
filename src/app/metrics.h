// --metrics [ADDR:]PORT: Prometheus text exposition (format 0.0.4) on
// /metrics over Boost.Beast, 127.0.0.1 by default, one label set per
// monitored relay (relay="nickname"). Metric names in man/relaymon.1.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/metrics_server.h"
#include "app/options.h"
#include "model/snapshot.h"

namespace relaymon::app {

// "9100" -> 127.0.0.1:9100, "127.0.0.2:9100", "[::1]:9100"; nullopt if bad.
std::optional<boost::asio::ip::tcp::endpoint> parse_listen_address(const std::string& text);

int run_metrics(const Options& options, const Config& config, const std::vector<Target>& targets);

}  // namespace relaymon::app
