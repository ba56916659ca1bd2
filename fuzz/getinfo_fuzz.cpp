// GETINFO / GETCONF replies and the value parsers (listeners,
// orconn-status, circuit-status, bootstrap phase); each value a parsed
// GETINFO reply yields goes through the value parsers too.
#include "control/getinfo.h"
#include "fuzz_input.h"

namespace {

void values(std::string_view value) {
  using namespace relaymon::control;
  (void)parse_listeners(value);
  (void)parse_orconn_status(value);
  (void)parse_circuit_status(value);
  (void)parse_bootstrap_phase(value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::control;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  for (const Reply& reply : relaymon::fuzz::frame(text)) {
    auto info = parse_getinfo(reply);
    if (auto* map = std::get_if<InfoMap>(&info)) {
      for (const auto& entry : map->entries) {
        values(entry.value);
        (void)map->find(entry.key);
      }
    } else {
      (void)unrecognized_key(std::get<ReplyError>(info));
    }
    (void)parse_getconf(reply);
  }
  values(text);
  return 0;
}
