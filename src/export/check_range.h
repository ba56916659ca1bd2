// Threshold ranges of the monitoring-plugins guidelines ("Threshold and
// ranges"), for --check's -w/-c: "[@]start:end", start and ":" left out
// when start is 0, an empty end is +infinity, "~" is -infinity. A value
// outside the range (inclusive) alerts; with "@", a value inside it.
//   10     alert if < 0 or > 10      10:    alert if < 10
//   ~:10   alert if > 10             10:20  alert if < 10 or > 20
//   @10:20 alert if 10 <= x <= 20
// Pure; parsed from the command line, never from tor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace relaymon::exporter {

struct PluginRange {
  std::optional<double> start;  // absent: -infinity ("~")
  std::optional<double> end;    // absent: +infinity
  bool inside = false;          // "@": alert inside the range
  std::string text;             // as given: perfdata repeats it

  bool alerts(double value) const;
};

// nullopt when `text` is not a range (empty, not a number, start > end).
std::optional<PluginRange> parse_range(std::string_view text);

// One -w/-c argument: "METRIC=RANGE", e.g. "descriptors_pct=80".
struct Threshold {
  std::string metric;
  PluginRange range;
};

// The threshold, or why not (an unknown metric, a counter, a bad range).
std::variant<Threshold, std::string> parse_threshold(std::string_view text);

}  // namespace relaymon::exporter
