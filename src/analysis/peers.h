// Connections per peer host, for the connection-flood rule: grouped by the
// model's keyed host hash (an IPv4 address or an IPv6 /64), described in
// scrubbed form only.
#pragma once

#include <vector>

#include "analysis/alerts.h"

namespace relaymon::analysis {

// Listeners, tor's own local sockets (SOCKS, control, DNS, hidden-service
// targets) are not counted. Sorted by count, largest first.
std::vector<PeerCount> count_peers(const std::vector<model::Connection>& connections);

}  // namespace relaymon::analysis
