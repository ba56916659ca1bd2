#include "panels/format.h"

#include <ctime>

#include <fmt/format.h>

namespace relaymon::panels {

long seconds_between(model::TimePoint from, model::TimePoint to) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
  return s < 0 ? 0 : static_cast<long>(s);
}

std::string format_clock(model::TimePoint time) {
  std::time_t t = model::Clock::to_time_t(time);
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string or_na(const std::optional<std::string>& text) {
  return text ? *text : "n/a";
}

}  // namespace relaymon::panels
