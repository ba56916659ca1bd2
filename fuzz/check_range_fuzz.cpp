// --check's -w/-c arguments (export/check_range): the range parser and
// METRIC=RANGE; a parsed range must evaluate without trouble at its ends.
#include "export/check_range.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::exporter;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  if (auto range = parse_range(text)) {
    (void)range->alerts(0);
    if (range->start) (void)range->alerts(*range->start);
    if (range->end) (void)range->alerts(*range->end);
    if (range->start && range->end && *range->start > *range->end) __builtin_trap();
  }
  (void)parse_threshold(text);
  return 0;
}
