// Where tor's control port is: a TCP address or a unix socket path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::control {

struct ControlEndpoint {
  enum class Kind { kTcp, kUnix };
  Kind kind = Kind::kTcp;
  std::string host = "127.0.0.1";  // an IP literal; "localhost" means 127.0.0.1
  std::uint16_t port = 9051;
  std::string path;  // for kUnix

  std::string to_string() const;  // "127.0.0.1:9051", "[::1]:9051", "/run/tor/control"
  bool operator==(const ControlEndpoint&) const = default;
};

// Parses the argument of -i: "PORT", "ADDR:PORT", "[IPV6]:PORT" or a bare
// IPv6 address with a port after the last colon is NOT accepted (ambiguous):
// IPv6 needs brackets. Returns nullopt with `error` set when invalid.
std::optional<ControlEndpoint> parse_tcp_endpoint(std::string_view text, std::string& error);

ControlEndpoint unix_endpoint(std::string path);

// nyx's default order: /run/tor/control when it exists, then 127.0.0.1:9051,
// then 127.0.0.1:9151 (Tor Browser).
std::vector<ControlEndpoint> default_endpoints();

}  // namespace relaymon::control
