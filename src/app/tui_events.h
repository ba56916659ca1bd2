// Tor events the user chose for the log page (CIRC, STREAM, ORCONN, ...) as
// log lines. The text is scrubbed before it becomes a LogEntry: IP
// addresses (ORCONN names an unauthenticated client by ADDR:PORT), stream
// targets and address mappings (a user's destinations) and SOCKS
// credentials never reach the screen.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "control/events.h"
#include "model/snapshot.h"

namespace relaymon::app {

// severity: the event's name; message: its scrubbed text, one line.
model::LogEntry event_log_entry(const control::Event& event, model::TimePoint now);

}  // namespace relaymon::app
