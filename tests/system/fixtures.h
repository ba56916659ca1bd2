// Reading the recorded captures of tests/fixtures (RELAYMON_FIXTURES).
#pragma once

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>

#include "system/socket.h"

namespace relaymon::system::testing {

inline std::string read_fixture(const std::string& relative) {
  std::string path = std::string(RELAYMON_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string os_capture(const std::string& name) {
  return read_fixture("tor-0.4.9.11-testnet/os/" + name);
}

// (local, remote, state) as text, for comparing what the tools saw.
using Tuple = std::tuple<std::string, std::string, std::string>;

inline std::string endpoint_text(const Address& a) {
  return (a.ip.find(':') != std::string::npos ? "[" + a.ip + "]" : a.ip) + ":" +
         std::to_string(a.port);
}

inline std::set<Tuple> tuples(const Sockets& sockets) {
  std::set<Tuple> out;
  for (const auto& s : sockets) {
    out.emplace(endpoint_text(s.local), endpoint_text(s.remote), s.state);
  }
  return out;
}

}  // namespace relaymon::system::testing
