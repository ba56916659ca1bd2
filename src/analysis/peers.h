// Connections per peer host, for the connection-flood rule: grouped by the
// model's keyed host hash (an IPv4 address or an IPv6 /64), described in
// scrubbed form only.
#pragma once

#include <vector>

#include "analysis/alerts.h"

namespace relaymon::analysis {

// Peers that are no relay and no exit destination (inbound clients and
// directory users, unexplained connections), per host: an IPv4 address or
// an IPv6 /64, those with more than `more_than` connections. Sorted by
// count, largest first.
std::vector<PeerCount> count_peers(const std::vector<model::Connection>& connections,
                                   long more_than = 0);

// "3fa21c": six hex digits of a host key, to tell hosts apart on screen and
// in alert subjects without their address.
std::string host_tag(std::uint64_t host_key);

}  // namespace relaymon::analysis
