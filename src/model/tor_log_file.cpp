#include "model/tor_log_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

#include "model/health_events.h"
#include "text/text.h"

namespace relaymon::model {

std::optional<std::string> tor_log_file(const std::vector<std::string>& log_lines) {
  for (const std::string& line : log_lines) {
    // "SEVERITIES file PATH": the path is the rest of the line (it may hold
    // spaces); "syslog", "stdout" and the like have no " file ".
    auto at = line.find(" file ");
    if (at == std::string::npos) continue;
    std::string path(text::trim(std::string_view(line).substr(at + 6)));
    if (!path.empty()) return path;
  }
  return std::nullopt;
}

namespace {

// "Dec 06 18:35:39.759" (or without milliseconds) as local time in `year`.
std::optional<std::time_t> local_time(std::string_view stamp, int year) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (stamp.size() < 15) return std::nullopt;
  auto month = std::find(kMonths.begin(), kMonths.end(), stamp.substr(0, 3));
  if (month == kMonths.end()) return std::nullopt;
  auto digits = [&](std::size_t at) -> int {
    char a = stamp[at];
    char b = stamp[at + 1];
    if (!std::isdigit(static_cast<unsigned char>(a)) ||
        !std::isdigit(static_cast<unsigned char>(b))) {
      return -1;
    }
    return (a - '0') * 10 + (b - '0');
  };
  int day = digits(4);
  int hour = digits(7);
  int minute = digits(10);
  int second = digits(13);
  if (day < 1 || hour < 0 || minute < 0 || second < 0) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = static_cast<int>(month - kMonths.begin());
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  tm.tm_isdst = -1;
  std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return t;
}

}  // namespace

std::vector<TorLogLine> parse_tor_log_tail(std::string_view text, TimePoint now,
                                           std::size_t limit) {
  std::vector<TorLogLine> out;
  std::time_t now_t = Clock::to_time_t(now);
  std::tm now_tm{};
  localtime_r(&now_t, &now_tm);
  int year = now_tm.tm_year + 1900;
  for (const std::string& line : text::split_lines(text)) {
    std::string_view severity;
    auto message = log_file_message(line, &severity);
    if (!message || severity.empty()) continue;
    auto t = local_time(line, year);
    // A line from late last year read early in January.
    if (t && *t > now_t + 86400) t = local_time(line, year - 1);
    if (!t) continue;
    out.push_back({Clock::from_time_t(*t), text::upper(severity), std::string(*message)});
  }
  if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

}  // namespace relaymon::model
