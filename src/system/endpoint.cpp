#include "system/endpoint.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "system/text.h"

namespace relaymon::system {

namespace {
// True for a dotted quad already in canonical form (no leading zeros, each
// part 0-255): most addresses the tools print, kept without a round trip
// through inet_pton/inet_ntop.
bool canonical_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t start = i;
    unsigned value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 3) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
    }
    std::size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}
}  // namespace

std::optional<std::string> canonical_ip(std::string_view text) {
  if (auto pct = text.find('%'); pct != std::string_view::npos) text = text.substr(0, pct);
  if (canonical_ipv4(text)) return std::string(text);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::array<char, INET6_ADDRSTRLEN> in{};
  std::memcpy(in.data(), text.data(), text.size());
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (text.find(':') == std::string_view::npos) {
    in_addr a4{};
    if (inet_pton(AF_INET, in.data(), &a4) != 1) return std::nullopt;
    inet_ntop(AF_INET, &a4, out.data(), out.size());
    return std::string(out.data());
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, in.data(), &a6) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    inet_ntop(AF_INET, &a6.s6_addr[12], out.data(), out.size());
  } else {
    inet_ntop(AF_INET6, &a6, out.data(), out.size());
  }
  return std::string(out.data());
}

std::optional<Address> parse_endpoint(std::string_view text, std::string_view wildcard) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    std::string_view after = text.substr(close + 1);
    // ss prints a scope after the bracket: "[fe80::1]%eth0:123".
    if (!after.empty() && after.front() == '%') {
      auto colon = after.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      after = after.substr(colon);
    }
    if (after.size() < 2 || after.front() != ':') return std::nullopt;
    port = after.substr(1);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) {
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  Address out;
  if (port == "*") {
    out.port = 0;
  } else {
    auto p = text::to_number<std::uint16_t>(port);
    if (!p) return std::nullopt;
    out.port = *p;
  }
  std::string_view bare = host.substr(0, host.find('%'));
  if (bare == "*") {
    out.ip = std::string(wildcard);
    return out;
  }
  auto ip = canonical_ip(host);
  if (!ip) return std::nullopt;
  out.ip = std::move(*ip);
  return out;
}

std::optional<std::string_view> normalize_state(std::string_view name, std::string_view protocol) {
  struct Entry {
    std::string_view from;
    std::string_view to;
  };
  // ss, netstat and lsof spellings, all mapped to ss's.
  static constexpr Entry kStates[] = {
      {"ESTAB", "ESTAB"},           {"ESTABLISHED", "ESTAB"},    {"SYN-SENT", "SYN-SENT"},
      {"SYN_SENT", "SYN-SENT"},     {"SYN-RECV", "SYN-RECV"},    {"SYN_RECV", "SYN-RECV"},
      {"FIN-WAIT-1", "FIN-WAIT-1"}, {"FIN_WAIT1", "FIN-WAIT-1"}, {"FIN_WAIT_1", "FIN-WAIT-1"},
      {"FIN-WAIT-2", "FIN-WAIT-2"}, {"FIN_WAIT2", "FIN-WAIT-2"}, {"FIN_WAIT_2", "FIN-WAIT-2"},
      {"TIME-WAIT", "TIME-WAIT"},   {"TIME_WAIT", "TIME-WAIT"},  {"CLOSE-WAIT", "CLOSE-WAIT"},
      {"CLOSE_WAIT", "CLOSE-WAIT"}, {"LAST-ACK", "LAST-ACK"},    {"LAST_ACK", "LAST-ACK"},
      {"CLOSING", "CLOSING"},       {"LISTEN", "LISTEN"},
  };
  for (const auto& e : kStates) {
    if (e.from == name) return e.to;
  }
  if (name == "UNCONN" || name == "CLOSE" || name == "CLOSED" || name == "IDLE" ||
      name == "BOUND") {
    return protocol == "tcp" ? std::string_view("CLOSE") : std::string_view("UNCONN");
  }
  return std::nullopt;
}

std::optional<std::string_view> kernel_state_name(unsigned code, std::string_view protocol) {
  switch (code) {
    case 0x01:
      return "ESTAB";
    case 0x02:
      return "SYN-SENT";
    case 0x03:
      return "SYN-RECV";
    case 0x04:
      return "FIN-WAIT-1";
    case 0x05:
      return "FIN-WAIT-2";
    case 0x06:
      return "TIME-WAIT";
    case 0x07:
      return protocol == "tcp" ? "CLOSE" : "UNCONN";
    case 0x08:
      return "CLOSE-WAIT";
    case 0x09:
      return "LAST-ACK";
    case 0x0A:
      return "LISTEN";
    case 0x0B:
      return "CLOSING";
    case 0x0C:
      return "SYN-RECV";  // TCP_NEW_SYN_RECV: a request socket, ss shows SYN-RECV
    default:
      return std::nullopt;
  }
}

Label kernel_state_label(unsigned code, std::string_view protocol) {
  constexpr unsigned kCodes = 0x0D;
  static const auto labels = [] {
    std::array<std::array<Label, 2>, kCodes> made{};
    for (unsigned c = 0; c < kCodes; ++c) {
      if (auto name = kernel_state_name(c, "tcp")) made[c][0] = Label(*name);
      if (auto name = kernel_state_name(c, "udp")) made[c][1] = Label(*name);
    }
    return made;
  }();
  if (code >= kCodes) return {};
  return labels[code][protocol == "tcp" ? 0 : 1];
}

}  // namespace relaymon::system
