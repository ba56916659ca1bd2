// Times as text, the same way in every output.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace relaymon::text {

// "2026-12-06T18:19:20Z" (UTC, whole seconds).
std::string iso8601(std::chrono::system_clock::time_point time);

// tor's ISOTime2Frac and ISOTime2 ("2026-11-21T22:18:17.627487", also with
// a space instead of "T"), read as UTC; nullopt when it is not one.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace relaymon::text
