#include "text/time.h"

#include "text/text.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace relaymon::text {

std::string iso8601(std::chrono::system_clock::time_point time) {
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)));
}

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.frac]
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto field = [&](std::size_t at, std::size_t n) { return to_number<int>(text.substr(at, n)); };
  auto year = field(0, 4), month = field(5, 2), day = field(8, 2);
  auto hour = field(11, 2), minute = field(14, 2), second = field(17, 2);
  // Years a system_clock of nanoseconds holds (found by fuzzing: 4052
  // overflowed it), and real dates only (no 31 February).
  if (!year || !month || !day || !hour || !minute || !second || *year < 1970 || *year > 2200 ||
      *month < 1 || *month > 12 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  if (!std::chrono::year_month_day(std::chrono::year(*year), std::chrono::month(*month),
                                   std::chrono::day(*day))
           .ok()) {
    return std::nullopt;
  }
  std::chrono::microseconds fraction{0};
  if (text.size() > 20 && text[19] == '.') {
    std::string_view digits = text.substr(20, 6);
    auto value = to_number<long>(digits);
    if (!value) return std::nullopt;
    long scale = 1;
    for (std::size_t i = digits.size(); i < 6; ++i) scale *= 10;
    fraction = std::chrono::microseconds(*value * scale);
  } else if (text.size() != 19) {
    return std::nullopt;
  }
  using namespace std::chrono;
  auto days = sys_days(
      year_month_day(std::chrono::year(*year), std::chrono::month(*month), std::chrono::day(*day)));
  return time_point_cast<system_clock::duration>(days + hours(*hour) + minutes(*minute) +
                                                 seconds(*second) + fraction);
}

}  // namespace relaymon::text
