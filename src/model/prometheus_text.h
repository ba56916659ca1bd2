// A pure parser for the Prometheus text exposition format 0.0.4, the body
// tor's MetricsPort serves at /metrics: "# HELP" and "# TYPE" lines, then
// samples `name{label="value",...} value [timestamp]`. Label values and
// HELP texts are unescaped (\\, \", \n); values may be NaN, +Inf, -Inf.
// Bounded (line length, samples, labels per sample); a bad line becomes an
// error with its line number and the parse goes on. Never throws.
// Error messages never quote the line: MetricsPort text is tor's own, but
// a hostile listener on that port could put anything in it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relaymon::model {

enum class PromType { kUntyped, kCounter, kGauge, kHistogram, kSummary };

struct PromLabel {
  std::string name;
  std::string value;
  bool operator==(const PromLabel&) const = default;
};

struct PromSample {
  std::string name;  // as written: "tor_relay_dos_total", "x_bucket", ...
  std::vector<PromLabel> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
  // The value of one label, or nullptr.
  const std::string* label(std::string_view name) const;
};

struct PromFamily {
  std::string name;
  PromType type = PromType::kUntyped;
  std::string help;
  std::vector<PromSample> samples;
};

struct PromError {
  std::size_t line = 0;  // 1-based
  std::string message;
};

struct PromLimits {
  std::size_t max_line = 64 * 1024;   // longer lines are errors, skipped
  std::size_t max_samples = 100'000;  // then the parse stops (truncated)
  std::size_t max_labels = 64;        // per sample
  std::size_t max_errors = 100;       // errors kept (all are counted)
};

// The label filter of a lookup: every pair must match exactly.
using PromMatch = std::vector<std::pair<std::string_view, std::string_view>>;

struct PromParse {
  std::vector<PromFamily> families;  // in order of first appearance
  std::vector<PromError> errors;     // the first max_errors
  std::size_t error_count = 0;
  std::size_t sample_count = 0;
  bool truncated = false;  // max_samples was reached

  const PromFamily* family(std::string_view name) const;
  // The first sample of family `name` whose labels include every pair of
  // `match`; nullptr when none.
  const PromSample* find(std::string_view name, const PromMatch& match = {}) const;
  std::optional<double> value(std::string_view name, const PromMatch& match = {}) const;
  // The sum over every sample of `name` matching `match` (nullopt: none).
  std::optional<double> sum(std::string_view name, const PromMatch& match = {}) const;
};

PromParse parse_prometheus_text(std::string_view text, const PromLimits& limits = {});

std::string_view to_string(PromType type);

}  // namespace relaymon::model
