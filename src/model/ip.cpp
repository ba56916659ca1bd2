#include "model/ip.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace relaymon::model {

std::optional<IpAddr> IpAddr::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (text.find(':') == std::string_view::npos) {
    in_addr a4{};
    if (inet_pton(AF_INET, buf, &a4) != 1) return std::nullopt;
    return IpAddr::v4(ntohl(a4.s_addr));
  }
  std::array<unsigned char, 16> b{};
  if (inet_pton(AF_INET6, buf, b.data()) != 1) return std::nullopt;
  Uint128 v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  // ::ffff:a.b.c.d is an IPv4 peer seen through a dual-stack socket.
  if ((v >> 32) == 0xffff) return IpAddr::v4(static_cast<std::uint32_t>(v));
  return IpAddr{Family::kV6, v};
}

bool IpAddr::in(const IpAddr& network, int prefix) const {
  if (family != network.family) return false;
  if (prefix <= 0) return true;
  int shift = bits() - prefix;
  if (shift <= 0) return value == network.value;
  return (value >> shift) == (network.value >> shift);
}

IpAddr network_of(const IpAddr& address, int prefix) {
  IpAddr n = address;
  int shift = address.bits() - prefix;
  if (prefix <= 0) {
    n.value = 0;
  } else if (shift > 0) {
    n.value = (address.value >> shift) << shift;
  }
  return n;
}

std::string IpAddr::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4()) {
    in_addr a4{};
    a4.s_addr = htonl(static_cast<std::uint32_t>(value));
    inet_ntop(AF_INET, &a4, buf, sizeof buf);
  } else {
    std::array<unsigned char, 16> b{};
    Uint128 v = value;
    for (int i = 15; i >= 0; --i) {
      b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(v & 0xff);
      v >>= 8;
    }
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
  }
  return buf;
}

}  // namespace relaymon::model
