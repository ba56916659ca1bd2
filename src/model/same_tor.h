// The same tor reached twice (issue 15, item 14): two control endpoints
// (a port and a socket, or two addresses) leading to one relay, known by
// its fingerprint. Its figures would be counted twice, so every output
// that lists relays names the second reach as such.
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::model {

// For each snapshot, in order: the control endpoint of an earlier snapshot
// with the same fingerprint, or "" (also for a tor that is not a relay:
// without a fingerprint two clients cannot be told apart). Null entries
// (nothing collected yet) are skipped.
std::vector<std::string> same_tor_as(const std::vector<const Snapshot*>& snapshots);

}  // namespace relaymon::model
