// Saving the log page's entries to a file (the log page's `a`). The entries
// are the model's, already scrubbed as they entered it; control characters
// are escaped as on screen.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace relaymon::tui {

// "log saved to PATH" or why not.
std::string save_log(const model::Snapshot& snapshot, const std::string& path);

}  // namespace relaymon::tui
