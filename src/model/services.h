// Well-known destination ports by name, for exit connections ("443 https"):
// a fixed table rather than /etc/services so every host shows the same
// names and tests do not depend on the machine.
#pragma once

#include <cstdint>
#include <string_view>

namespace relaymon::model {

// "https" for 443; empty when the port has no well-known name.
std::string_view service_name(std::uint16_t port);

}  // namespace relaymon::model
