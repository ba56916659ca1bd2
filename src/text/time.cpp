#include "text/time.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace relaymon::text {

std::string iso8601(std::chrono::system_clock::time_point time) {
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)));
}

}  // namespace relaymon::text
