// tor's MetricsPort body: the Prometheus text exposition format 0.0.4.
// Small limits so the fuzzer reaches the bounds; every lookup must stay
// consistent with what was parsed.
#include <cstdlib>

#include "fuzz_input.h"
#include "model/prometheus_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::model;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  PromLimits limits;
  limits.max_line = 512;
  limits.max_samples = 64;
  limits.max_labels = 8;
  limits.max_errors = 4;
  PromParse p = parse_prometheus_text(text, limits);
  std::size_t samples = 0;
  for (const auto& f : p.families) {
    samples += f.samples.size();
    for (const auto& s : f.samples) {
      if (s.labels.size() > limits.max_labels) std::abort();
      if (p.find(s.name) == nullptr) std::abort();
      for (const auto& l : s.labels) (void)p.sum(s.name, {{l.name, l.value}});
    }
  }
  if (samples != p.sample_count || samples > limits.max_samples) std::abort();
  if (p.errors.size() > limits.max_errors || p.errors.size() > p.error_count) std::abort();
  (void)parse_prometheus_text(text);  // the default limits too
  return 0;
}
