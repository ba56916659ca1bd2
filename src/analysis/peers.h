// Connections per peer address, for the connection-flood rule. Counted
// where raw addresses are still at hand (the monitor, right after
// classification) and described in scrubbed form only.
#pragma once

#include <vector>

#include "analysis/alerts.h"
#include "system/socket.h"

namespace relaymon::analysis {

// `sockets` and `connections` are the same list before and after
// classification. Listeners, tor's own local sockets (SOCKS, control, DNS,
// hidden-service targets) are not counted. Sorted by count, largest first.
std::vector<PeerCount> count_peers(const system::Sockets& sockets,
                                   const std::vector<model::Connection>& connections);

}  // namespace relaymon::analysis
