// Address ranges that are not public Internet destinations. An exit
// connection to one of them is shown as its range ("10.0.0.0/8"), never as
// the address; the exit policy uses the same table to ask whether it allows
// a port for "any public address".
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "model/ip.h"

namespace relaymon::model {

struct IpRange {
  IpAddr network;
  int prefix = 0;
  std::string_view text;  // "10.0.0.0/8", "fc00::/7"
};

// Private, loopback, link-local, documentation, multicast and other reserved
// ranges (IANA special-purpose registries), most specific first.
const std::vector<IpRange>& reserved_ranges();
// The range text for a non-public address, nullopt for a public one.
std::optional<std::string_view> reserved_range(const IpAddr& ip);

// What tor's `private` expands to in an exit policy (policies.c private_nets).
const std::vector<IpRange>& tor_private_networks();

}  // namespace relaymon::model
