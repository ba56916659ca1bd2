// GETINFO ns/all (the consensus) into the relay index.
#include "fuzz_input.h"
#include "model/relay_index.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::model;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  auto index = RelayIndex::from_text(text);
  (void)index.size();
  (void)identity_to_hex(text.substr(0, 64));
  return 0;
}
