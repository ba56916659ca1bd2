// A Controller on a test's io_context that records what it reports.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/controller.h"

namespace relaymon::testing {

struct ControllerHarness {
  boost::asio::io_context io;
  std::shared_ptr<control::Controller> controller;
  int ready_count = 0;
  std::optional<control::Session> session;
  std::optional<control::Error> fatal;
  std::vector<control::Error> disconnects;
  std::vector<control::Reply> events;

  ControllerHarness() = default;  // then make(): lets a fake peer share `io` first
  explicit ControllerHarness(control::ControllerOptions options) { make(std::move(options)); }
  ~ControllerHarness();

  void make(control::ControllerOptions options);

  // Runs until ready or fatal; true when ready.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Sends one command and runs until its reply (or error) arrives.
  std::pair<std::optional<control::Error>, control::Reply> call(const std::string& line);
};

control::ControllerOptions tcp_options(std::uint16_t port);

}  // namespace relaymon::testing
