#include "text/units.h"

#include <cmath>

#include <fmt/format.h>

namespace relaymon::text {

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  return value >= 100 ? fmt::format("{:.0f} {}", value, kUnits[unit])
                      : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string format_rate(double bytes_per_second, bool bits) {
  if (!(bytes_per_second > 0)) bytes_per_second = 0;
  if (!bits) {
    return format_bytes(static_cast<std::uint64_t>(std::llround(bytes_per_second))) + "/s";
  }
  static constexpr const char* kUnits[] = {"b/s", "Kb/s", "Mb/s", "Gb/s", "Tb/s"};
  double value = bytes_per_second * 8;
  int unit = 0;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  if (unit == 0) return fmt::format("{:.0f} {}", value, kUnits[unit]);
  return value >= 100 ? fmt::format("{:.0f} {}", value, kUnits[unit])
                      : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string format_duration(long seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return fmt::format("{}s", seconds);
  if (seconds < 3600) return fmt::format("{}m {:02}s", seconds / 60, seconds % 60);
  if (seconds < 86400) return fmt::format("{}h {:02}m", seconds / 3600, seconds % 3600 / 60);
  return fmt::format("{}d {:02}h", seconds / 86400, seconds % 86400 / 3600);
}

std::string format_percent(double percent) {
  return percent < 10 ? fmt::format("{:.1f}%", percent) : fmt::format("{:.0f}%", percent);
}

}  // namespace relaymon::text
