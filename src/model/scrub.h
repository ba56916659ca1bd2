// Privacy scrubbing, applied inside the model so no presenter can leak:
// a client's address becomes "client (CC)" with port 0; an exit
// destination becomes "exit" (or its private range, "10.0.0.0/8") with the
// port and its service name kept. Raw addresses stay in system::Socket,
// which never leaves the model.
#pragma once

#include <optional>

#include "geo/geo.h"
#include "model/ip.h"
#include "model/snapshot.h"

namespace relaymon::model {

// Whether the remote address of a connection of this category must be
// replaced. Unexpected connections are scrubbed too: what we cannot
// explain might be a user's.
bool must_scrub(Category category, Direction direction, const std::optional<IpAddr>& remote);

// Replaces c.remote (and sets scrubbed, service, country) for a connection
// whose category requires it, and clears its AS; `remote` is the raw peer
// address, `geo` its lookup (its country used for clients only).
void scrub(Connection& c, const std::optional<IpAddr>& remote, const geo::Info& geo);

}  // namespace relaymon::model
