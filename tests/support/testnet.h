// The loopback Tor network started by ctest's testnet_start fixture
// (scripts/testnet), read from its state.json. Tests that use it fail, not
// skip, when it is not there.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "control/controller.h"

namespace relaymon::testing {

struct TestnetInstance {
  std::string nickname;
  std::string role;  // authority, middle, exit, client
  std::string fingerprint;
  std::uint16_t control_port = 0;
  std::uint16_t or_port = 0;
  std::string control_socket;
  std::string auth;  // cookie, password
  std::string password;
  int pid = 0;
};

class Testnet {
 public:
  // Reads $RELAYMON_TESTNET_DIR/state.json; throws when absent.
  Testnet();
  const std::string& dir() const { return dir_; }
  const nlohmann::json& state() const { return state_; }
  TestnetInstance instance(const std::string& nickname) const;
  TestnetInstance first(const std::string& role) const;
  std::vector<TestnetInstance> all() const;
  // Starts the background download loop (idempotent) for `seconds`, and
  // with it the HTTP server on 127.0.0.1 (recorded under "http" in state()).
  void start_traffic(int seconds);
  std::string script() const;

  control::ControllerOptions controller_options(const TestnetInstance& instance) const;

 private:
  std::string dir_;
  nlohmann::json state_;
};

}  // namespace relaymon::testing
