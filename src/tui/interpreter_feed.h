// The interpreter page's side of the session: a control-port reply as the
// lines the transcript shows ("250-version=0.4.9.11", data lines, "."), and
// which events the interpreter subscribed to (they are echoed there).
#pragma once

#include <string>
#include <vector>

#include "control/reply.h"

namespace relaymon::tui {

// A reply as tor sent it, line by line, data blocks included.
std::vector<std::string> reply_lines(const control::Reply& reply);

}  // namespace relaymon::tui
