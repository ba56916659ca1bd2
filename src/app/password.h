#pragma once

#include <optional>
#include <string>

namespace relaymon::app {

// Asks for the control password on the terminal without echo (termios on
// /dev/tty). nullopt when there is no terminal (scripts, CI): then the
// password must come from RELAYMON_PASSWORD or the config file.
std::optional<std::string> prompt_password(const std::string& prompt);

}  // namespace relaymon::app
