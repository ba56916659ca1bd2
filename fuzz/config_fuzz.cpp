// relaymon's own config file (~/.config/relaymon/config).
#include "app/config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<relaymon::app::ConfigError> errors;
  (void)relaymon::app::parse_config(relaymon::fuzz::as_text(data, size), errors);
  return 0;
}
