// PROTOCOLINFO and AUTHCHALLENGE replies (the first things a fake control
// port gets to say), and the hex decoder they use.
#include <cstdlib>

#include "control/auth.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::control;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  for (const Reply& reply : relaymon::fuzz::frame(text)) {
    std::string error;
    (void)parse_protocolinfo(reply, error);
    auto challenge = parse_authchallenge(reply, error);
    // SAFECOOKIE needs exactly 32 bytes of each; anything else must fail.
    if (challenge && (challenge->server_hash.size() != 32 || challenge->server_nonce.size() != 32))
      std::abort();
  }
  auto bytes = from_hex(text);
  if (bytes && bytes->size() * 2 != text.size()) std::abort();
  if (to_hex(text).size() != text.size() * 2) std::abort();
  return 0;
}
