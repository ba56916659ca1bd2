// Number, size, rate and time formatting shared by the pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/snapshot.h"

namespace relaymon::panels {

// 1023 -> "1023 B", 1536 -> "1.5 KiB" (binary units, like tor's own).
std::string format_bytes(std::uint64_t bytes);
// Bytes per second as "1.5 KiB/s", or as bits "12.3 Mb/s" (decimal units).
std::string format_rate(double bytes_per_second, bool bits = false);
// 42 -> "42s", 125 -> "2m 05s", 7300 -> "2h 01m", 90000 -> "1d 01h".
std::string format_duration(long seconds);
// Seconds between two times, never negative.
long seconds_between(model::TimePoint from, model::TimePoint to);
// "HH:MM:SS" in local time.
std::string format_clock(model::TimePoint time);
std::string format_percent(double percent);
// "warning" -> "WARNING" (ASCII only).
std::string upper(std::string_view text);
// "n/a" for an empty optional.
std::string or_na(const std::optional<std::string>& text);

}  // namespace relaymon::panels
