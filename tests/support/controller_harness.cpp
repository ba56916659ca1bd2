#include "support/controller_harness.h"

#include "support/fake_control_port.h"

namespace relaymon::testing {

void ControllerHarness::make(control::ControllerOptions options) {
  control::ControllerCallbacks callbacks;
  callbacks.on_ready = [this](const control::Session& s) {
    ++ready_count;
    session = s;
  };
  callbacks.on_fatal = [this](const control::Error& e) { fatal = e; };
  callbacks.on_disconnected = [this](const control::Error& e, std::chrono::milliseconds) {
    disconnects.push_back(e);
  };
  callbacks.on_event = [this](const control::Reply& r) { events.push_back(r); };
  controller = std::make_shared<control::Controller>(io, std::move(options), callbacks);
}

ControllerHarness::~ControllerHarness() {
  if (!controller) return;
  controller->stop();
  io.restart();
  io.poll();
}

bool ControllerHarness::wait_ready(std::chrono::milliseconds timeout) {
  int before = ready_count;
  run_until(
      io, [&] { return ready_count > before || fatal.has_value(); }, timeout);
  return ready_count > before;
}

std::pair<std::optional<control::Error>, control::Reply> ControllerHarness::call(
    const std::string& line) {
  bool done = false;
  std::pair<std::optional<control::Error>, control::Reply> result;
  controller->command(line, [&](std::optional<control::Error> error, control::Reply reply) {
    result = {std::move(error), std::move(reply)};
    done = true;
  });
  run_until(io, [&] { return done; });
  return result;
}

control::ControllerOptions tcp_options(std::uint16_t port) {
  control::ControllerOptions options;
  control::ControlEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = port;
  options.endpoints = {endpoint};
  options.reconnect = false;
  options.connect_timeout = std::chrono::seconds(5);
  options.command_timeout = std::chrono::seconds(10);
  return options;
}

}  // namespace relaymon::testing
