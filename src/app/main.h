#pragma once

namespace relaymon::app {

// Parses the command line, then runs the chosen mode (TUI, --snapshot).
// Returns the process exit status.
int main(int argc, char** argv);

}  // namespace relaymon::app
