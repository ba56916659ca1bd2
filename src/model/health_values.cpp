#include "model/health_values.h"

#include <algorithm>
#include <charconv>

#include "model/text.h"

namespace relaymon::model {

namespace {

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t n) {
  if (at + n > text.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// "R W": two counts separated by one space.
bool two_counts(std::string_view value, std::optional<std::uint64_t>& a,
                std::optional<std::uint64_t>& b) {
  auto sp = value.find(' ');
  if (sp == std::string_view::npos) return false;
  auto x = parse_count(value.substr(0, sp));
  auto y = parse_count(value.substr(sp + 1));
  if (!x || !y) return false;
  a = x;
  b = y;
  return true;
}

}  // namespace

std::optional<HealthTime> parse_tor_time(std::string_view t) {
  if (t.size() != 19 || t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' ||
      t[16] != ':') {
    return std::nullopt;
  }
  auto y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
  auto h = digits(t, 11, 2), mi = digits(t, 14, 2), s = digits(t, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  // system_clock counts nanoseconds in 64 bits: about 1678-2261. tor's times
  // are recent; anything outside this range is garbage, not a date.
  if (*y < 1970 || *y > 2200) return std::nullopt;
  if (*d > kDays[*mo - 1] + (*mo == 2 && leap(*y) ? 1 : 0)) return std::nullopt;
  std::int64_t secs =
      days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400 +
      *h * 3600 + *mi * 60 + *s;
  return HealthTime(std::chrono::duration_cast<HealthClock::duration>(std::chrono::seconds(secs)));
}

HealthTime add_seconds(HealthTime t, double seconds) {
  constexpr double kLimit = 50.0 * 365 * 86400;
  if (!(seconds == seconds)) seconds = 0;  // NaN
  seconds = std::clamp(seconds, -kLimit, kLimit);
  return t +
         std::chrono::duration_cast<HealthClock::duration>(std::chrono::duration<double>(seconds));
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

bool update_accounting(AccountingValues& a, std::string_view key, std::string_view value) {
  value = trim(value);
  if (key == "accounting/enabled") {
    if (value != "0" && value != "1") return false;
    a.enabled = value == "1";
  } else if (key == "accounting/hibernating") {
    if (value != "awake" && value != "soft" && value != "hard") return false;
    a.hibernating = std::string(value);
  } else if (key == "accounting/bytes") {
    return two_counts(value, a.read_bytes, a.written_bytes);
  } else if (key == "accounting/bytes-left") {
    return two_counts(value, a.read_left, a.written_left);
  } else if (key == "accounting/interval-start" || key == "accounting/interval-wake" ||
             key == "accounting/interval-end") {
    auto t = parse_tor_time(value);
    if (!t) return false;
    (key == "accounting/interval-start"  ? a.interval_start
     : key == "accounting/interval-wake" ? a.interval_wake
                                         : a.interval_end) = t;
  } else {
    return false;
  }
  return true;
}

}  // namespace relaymon::model
