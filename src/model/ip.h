// Binary IP addresses for the model's lookups: parsed once, compared and
// hashed as numbers, so the relay index, the exit policy and the classifier
// agree on one canonical form whatever text a tool printed ("::ffff:1.2.3.4",
// "[::1]", upper-case hex...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/flat_index.h"

namespace relaymon::model {

__extension__ using Uint128 = unsigned __int128;
// The same number stored at 8-byte alignment: an IpAddr is then 24 bytes,
// not 32, in the index's tables and the classifier's per-socket decisions
// (a typedef may lower alignment in GCC and Clang; x86-64 loads it as well).
__extension__ typedef unsigned __int128 StoredUint128 __attribute__((aligned(8)));

struct IpAddr {
  enum class Family : std::uint8_t { kV4, kV6 };
  Family family = Family::kV4;
  StoredUint128 value = 0;  // IPv4 in the low 32 bits

  // Accepts "1.2.3.4", "::1", "[::1]"; a v4-mapped IPv6 address becomes IPv4.
  static std::optional<IpAddr> parse(std::string_view text);
  static IpAddr v4(std::uint32_t value) { return {Family::kV4, value}; }

  bool is_v4() const { return family == Family::kV4; }
  int bits() const { return is_v4() ? 32 : 128; }
  // True when the first `prefix` bits equal those of `network` (same family).
  bool in(const IpAddr& network, int prefix) const;
  std::string to_string() const;  // canonical: "10.0.0.1", "2001:db8::1"

  bool operator==(const IpAddr&) const = default;
};
static_assert(sizeof(IpAddr) == 24);

// The lowest address of `prefix` bits: "10.1.2.3"/8 -> 10.0.0.0.
IpAddr network_of(const IpAddr& address, int prefix);

struct IpAddrHash {
  std::size_t operator()(const IpAddr& a) const {
    auto lo = static_cast<std::uint64_t>(a.value);
    auto hi = static_cast<std::uint64_t>(a.value >> 64);
    return mix64(lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ static_cast<std::uint64_t>(a.family));
  }
};

struct IpPort {
  IpAddr ip;
  std::uint16_t port = 0;
  bool operator==(const IpPort&) const = default;
};

struct IpPortHash {
  std::size_t operator()(const IpPort& a) const {
    auto lo = static_cast<std::uint64_t>(a.ip.value);
    auto hi = static_cast<std::uint64_t>(a.ip.value >> 64);
    return mix64(lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ (static_cast<std::uint64_t>(a.port) << 48) ^
                 static_cast<std::uint64_t>(a.ip.family));
  }
};

}  // namespace relaymon::model
