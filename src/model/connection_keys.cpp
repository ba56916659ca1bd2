#include "model/connection_keys.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string_view>

#include "model/flat_index.h"

namespace relaymon::model {

namespace {

std::uint64_t secret() {
  static const std::uint64_t key = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  return key;
}

// Eight bytes a step (a poll keys tens of thousands of sockets, and a byte
// a step was most of that); the length goes in first, so the zeros that
// fill the last step cannot make two texts alike.
std::uint64_t text_hash(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = mix64(seed ^ text.size());
  for (std::size_t at = 0; at < text.size(); at += 8) {
    std::uint64_t chunk = 0;
    std::memcpy(&chunk, text.data() + at, std::min<std::size_t>(8, text.size() - at));
    h = mix64(h ^ chunk) + 0x9e3779b97f4a7c15ULL;
  }
  return h;
}

std::uint64_t address_hash(const IpAddr& a, std::uint64_t seed) {
  auto lo = static_cast<std::uint64_t>(a.value);
  auto hi = static_cast<std::uint64_t>(a.value >> 64);
  return mix64(mix64(seed ^ lo) ^ (hi * 0x9e3779b97f4a7c15ULL) ^
               static_cast<std::uint64_t>(a.family));
}

}  // namespace

std::uint64_t socket_key(const system::Socket& s) {
  std::uint64_t k = text_hash(s.protocol, secret());
  k = text_hash(s.local.ip, k) ^ s.local.port;
  k = text_hash(s.remote.ip, k) ^ (static_cast<std::uint64_t>(s.remote.port) << 16);
  return mix64(k);
}

std::uint64_t peer_key_of(const IpPort& peer) {
  return mix64(address_hash(peer.ip, secret() ^ 0x5bd1e995) ^ peer.port);
}

std::uint64_t host_key_of(const IpAddr& address) {
  IpAddr host = address.is_v4() ? address : network_of(address, 64);
  return address_hash(host, secret() ^ 0x27d4eb2f165667c5ULL);
}

}  // namespace relaymon::model
