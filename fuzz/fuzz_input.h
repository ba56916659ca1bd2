// Helpers shared by the fuzz targets: the raw input as a string_view, and a
// framer-based split of it into control-port replies (so the reply parsers
// see exactly what relaymon would hand them after framing).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "control/framing.h"
#include "control/reply.h"

namespace relaymon::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Every reply the framer completes from `text` (small limits so the fuzzer
// also reaches the limit paths quickly). A trailing CRLF is added so a
// seed's last line ends.
inline std::vector<control::Reply> frame(std::string_view text) {
  control::ReplyFramer framer(control::FramingLimits{4096, 1 << 16});
  std::vector<control::Reply> replies;
  (void)framer.feed(text, replies);
  (void)framer.feed("\r\n", replies);
  return replies;
}

}  // namespace relaymon::fuzz
