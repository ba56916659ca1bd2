// Times as text, the same way in every output.
#pragma once

#include <chrono>
#include <string>

namespace relaymon::text {

// "2026-12-06T18:19:20Z" (UTC, whole seconds).
std::string iso8601(std::chrono::system_clock::time_point time);

}  // namespace relaymon::text
