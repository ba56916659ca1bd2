// Runs a program (no shell) and captures what it prints and how it ends.
#pragma once

#include <string>
#include <vector>

namespace relaymon::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

CommandResult run_command(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env = {}, int timeout_seconds = 60);

}  // namespace relaymon::testing
