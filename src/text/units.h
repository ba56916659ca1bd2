// Sizes, rates, durations and shares as people read them, the same way on
// the screen and in the headless text outputs.
#pragma once

#include <cstdint>
#include <string>

namespace relaymon::text {

// 1023 -> "1023 B", 1536 -> "1.5 KiB" (binary units, like tor's own).
std::string format_bytes(std::uint64_t bytes);
// Bytes per second as "1.5 KiB/s", or as bits "12.3 Mb/s" (decimal units).
std::string format_rate(double bytes_per_second, bool bits = false);
// 42 -> "42s", 125 -> "2m 05s", 7300 -> "2h 01m", 90000 -> "1d 01h".
std::string format_duration(long seconds);
// 3.14 -> "3.1%", 42.4 -> "42%".
std::string format_percent(double percent);

}  // namespace relaymon::text
