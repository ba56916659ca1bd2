// Stopping an in-process RelayMonitor at the end of a test. Header-only:
// only the test programs that link the app layer include it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "session/monitor.h"
#include "support/fake_control_port.h"

namespace relaymon::testing {

// Stops the monitor and runs `io` until nothing else holds it: the
// controller's and collector's pending handlers finish, and a socket
// collection still on a resolver's worker thread delivers (and drops) its
// late result while the io_context is alive.
inline void stop_monitor(boost::asio::io_context& io, std::shared_ptr<session::RelayMonitor>& monitor) {
  monitor->stop();
  run_until(
      io, [&] { return monitor.use_count() == 1; }, std::chrono::seconds(10));
  CHECK(monitor.use_count() == 1);
}

}  // namespace relaymon::testing
