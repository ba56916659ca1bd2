// The one place a Snapshot is built (issue 10): from the relay's state (what
// the control port said, model/relay_state.h) and the latest poll (tor's
// sockets classified, the cross-check, the alerts, model/poll.h). Pure and
// cheap: the big parts are shared with the previous snapshot, not copied
// (model/shared.h), so a snapshot can be published on every change.
#pragma once

#include <string>

#include "model/poll.h"
#include "model/relay_state.h"
#include "model/snapshot.h"

namespace relaymon::model {

// The state's part of a snapshot (everything but the poll's fields).
Snapshot assemble_state(const RelayState& state, TimePoint now);

Snapshot assemble(const RelayState& state, const PollResult& poll, TimePoint now,
                  const std::string& host);

}  // namespace relaymon::model
