#include "control/endpoint.h"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <filesystem>

namespace relaymon::control {

std::string ControlEndpoint::to_string() const {
  if (kind == Kind::kUnix) return path;
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

ControlEndpoint unix_endpoint(std::string path) {
  ControlEndpoint endpoint;
  endpoint.kind = ControlEndpoint::Kind::kUnix;
  endpoint.path = std::move(path);
  return endpoint;
}

std::optional<ControlEndpoint> parse_tcp_endpoint(std::string_view text, std::string& error) {
  ControlEndpoint endpoint;
  std::string_view host = "127.0.0.1";
  std::string_view port_text = text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      error = fmt::format("\"{}\": expected [IPV6]:PORT", text);
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (auto colon = text.find(':'); colon != std::string_view::npos) {
    if (text.find(':', colon + 1) != std::string_view::npos) {
      error = fmt::format("\"{}\": write IPv6 addresses in brackets, e.g. [::1]:9051", text);
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    error = fmt::format("\"{}\": \"{}\" is not a port number (1-65535)", text, port_text);
    return std::nullopt;
  }
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code address_error;
  auto address = boost::asio::ip::make_address(std::string(host), address_error);
  if (address_error) {
    error = fmt::format("\"{}\": \"{}\" is not an IP address (relaymon does not resolve names)",
                        text, host);
    return std::nullopt;
  }
  endpoint.host = address.to_string();
  endpoint.port = static_cast<std::uint16_t>(port);
  return endpoint;
}

std::vector<ControlEndpoint> default_endpoints() {
  std::vector<ControlEndpoint> endpoints;
  std::error_code ec;
  if (std::filesystem::exists("/run/tor/control", ec)) {
    endpoints.push_back(unix_endpoint("/run/tor/control"));
  }
  ControlEndpoint tcp;
  endpoints.push_back(tcp);
  tcp.port = 9151;
  endpoints.push_back(tcp);
  return endpoints;
}

}  // namespace relaymon::control
