// The text helpers of the model's parsers: the shared ones (text/text.h)
// under the names the parsers use, plus a join that allocates once.
#pragma once

#include <string>
#include <string_view>

#include "text/text.h"

namespace relaymon::model {

using ::relaymon::text::for_each_line;
using ::relaymon::text::trim;

// Splits on blanks into views (cleared first).
inline void split_spaces(std::string_view line, std::vector<std::string_view>& out) {
  ::relaymon::text::split_words(line, out);
}

inline std::optional<std::uint16_t> parse_port(std::string_view text, bool allow_zero = false) {
  return ::relaymon::text::to_port(text, allow_zero);
}

inline std::string fmt_join_space(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size() + 1);
  s.append(a).append(" ").append(b);
  return s;
}

}  // namespace relaymon::model
