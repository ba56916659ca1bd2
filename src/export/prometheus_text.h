// Label values for the Prometheus text exposition format (0.0.4). Values
// come from tor (a relay's nickname) and a hostile or broken control port
// can send anything; Prometheus rejects a whole scrape over one invalid
// UTF-8 byte or one unescaped quote, so every value passes through here.
#pragma once

#include <string>
#include <string_view>

namespace relaymon::exporter {

// Valid UTF-8, escaped as the format requires: `\` -> `\\`, `"` -> `\"`,
// line feed -> `\n`. Each invalid UTF-8 byte (bad, overlong, surrogate,
// truncated) becomes U+FFFD, and so does every other control character
// (C0, DEL, C1): a nickname cannot contain one, and a terminal showing a
// scrape should not receive an escape sequence.
std::string prometheus_label_value(std::string_view raw);

}  // namespace relaymon::exporter
