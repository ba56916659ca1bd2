#include "export/check_range.h"

#include <fmt/format.h>

#include <cstdlib>

#include "export/check_line.h"

namespace relaymon::exporter {

namespace {

// "[-]digits[.digits]": the guidelines' value class [-0-9.], no exponent,
// no "inf"/"nan" (std::strtod would take them).
std::optional<double> number(std::string_view s) {
  std::string_view digits = s;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 30) return std::nullopt;
  int dots = 0;
  bool any_digit = false;
  for (char c : digits) {
    if (c == '.') {
      ++dots;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
    } else {
      return std::nullopt;
    }
  }
  if (dots > 1 || !any_digit) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

}  // namespace

bool PluginRange::alerts(double value) const {
  bool in = (!start || value >= *start) && (!end || value <= *end);
  return inside ? in : !in;
}

std::optional<PluginRange> parse_range(std::string_view text) {
  PluginRange r;
  r.text = std::string(text);
  if (!text.empty() && text.front() == '@') {
    r.inside = true;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    // "N": 0 to N.
    r.start = 0;
    r.end = number(text);
    if (!r.end) return std::nullopt;
  } else {
    std::string_view start = text.substr(0, colon);
    std::string_view end = text.substr(colon + 1);
    if (start == "~") {
      r.start.reset();
    } else if (start.empty()) {
      r.start = 0;
    } else {
      r.start = number(start);
      if (!r.start) return std::nullopt;
    }
    if (!end.empty()) {
      r.end = number(end);
      if (!r.end) return std::nullopt;
    }
  }
  if (r.start && r.end && *r.start > *r.end) return std::nullopt;
  return r;
}

std::variant<Threshold, std::string> parse_threshold(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return fmt::format("\"{}\": expected METRIC=RANGE, e.g. descriptors_pct=80", text);
  }
  Threshold t;
  t.metric = std::string(text.substr(0, eq));
  const CheckMetric* metric = find_check_metric(t.metric);
  if (!metric) {
    return fmt::format("\"{}\": no such figure (one of {})", t.metric, check_metric_names());
  }
  if (metric->counter) {
    return fmt::format("\"{}\" is a counter: it has no thresholds", t.metric);
  }
  auto range = parse_range(text.substr(eq + 1));
  if (!range) {
    return fmt::format("\"{}\": not a range ([@]start:end, ~ for -infinity)", text.substr(eq + 1));
  }
  t.range = std::move(*range);
  return t;
}

}  // namespace relaymon::exporter
