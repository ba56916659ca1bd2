// RELAYMON_PASSWORD, taken out of the environment: every child relaymon
// runs (ss, netstat, lsof) gets a copy of the environment, and another
// process of the same user can read it from /proc/PID/environ of each.
#pragma once

#include <optional>
#include <string>

namespace relaymon::app {

// Reads RELAYMON_PASSWORD when it is set, overwrites its bytes and removes
// it from the environment; returns the value taken, now or earlier (kept
// for every relay and for reconnects). main() calls it first, before any thread or
// child exists (unsetenv is not safe while other threads read the
// environment).
std::optional<std::string> take_env_password();

}  // namespace relaymon::app
