#include "support/testnet.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "support/run_command.h"

namespace relaymon::testing {

namespace {

// state.json writes null for what an instance does not have (a client's
// fingerprint, a relay's password).
std::string text(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

int integer(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<int>() : 0;
}

TestnetInstance to_instance(const nlohmann::json& j) {
  TestnetInstance i;
  i.nickname = text(j, "nickname");
  i.role = text(j, "role");
  i.fingerprint = text(j, "fingerprint");
  i.control_port = static_cast<std::uint16_t>(integer(j["ports"], "control"));
  i.or_port = static_cast<std::uint16_t>(integer(j["ports"], "or"));
  i.control_socket = text(j, "control_socket");
  i.auth = text(j, "auth");
  i.password = text(j, "password");
  i.pid = integer(j, "pid");
  return i;
}

}  // namespace

Testnet::Testnet() {
  const char* dir = std::getenv("RELAYMON_TESTNET_DIR");
  if (!dir || !*dir) {
    throw std::runtime_error(
        "RELAYMON_TESTNET_DIR is not set: run these tests through ctest (fixture testnet_start)");
  }
  dir_ = dir;
  std::ifstream in(dir_ + "/state.json");
  if (!in) throw std::runtime_error("no loopback network in " + dir_ + " (testnet_start failed?)");
  state_ = nlohmann::json::parse(in);
}

std::vector<TestnetInstance> Testnet::all() const {
  std::vector<TestnetInstance> out;
  for (const auto& j : state_["instances"]) out.push_back(to_instance(j));
  return out;
}

TestnetInstance Testnet::instance(const std::string& nickname) const {
  for (const auto& i : all()) {
    if (i.nickname == nickname) return i;
  }
  throw std::runtime_error("no instance " + nickname + " in the loopback network");
}

TestnetInstance Testnet::first(const std::string& role) const {
  for (const auto& i : all()) {
    if (i.role == role) return i;
  }
  throw std::runtime_error("no " + role + " in the loopback network");
}

std::string Testnet::script() const {
  return std::string(RELAYMON_SOURCE_DIR) + "/scripts/testnet";
}

void Testnet::start_traffic(int seconds) {
  auto result = run_command({script(), "traffic", dir_, std::to_string(seconds), "--background"});
  if (result.exit_code != 0) {
    throw std::runtime_error("testnet traffic failed: " + result.out + result.err);
  }
  std::ifstream in(dir_ + "/state.json");
  state_ = nlohmann::json::parse(in);
}

control::ControllerOptions Testnet::controller_options(const TestnetInstance& instance) const {
  control::ControllerOptions options;
  control::ControlEndpoint endpoint;
  endpoint.port = instance.control_port;
  options.endpoints = {endpoint};
  options.reconnect = false;
  std::string password = instance.password;
  options.password = [password]() -> std::optional<std::string> {
    if (password.empty()) return std::nullopt;
    return password;
  };
  return options;
}

}  // namespace relaymon::testing
