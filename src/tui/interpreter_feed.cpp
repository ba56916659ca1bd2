#include "tui/interpreter_feed.h"

#include <fmt/format.h>

#include "text/text.h"

namespace relaymon::tui {

std::vector<std::string> reply_lines(const control::Reply& reply) {
  std::vector<std::string> lines;
  for (const auto& l : reply.lines) {
    lines.push_back(fmt::format("{}{}{}", l.code, l.separator, l.text));
    if (l.separator == '+') {
      text::for_each_line(l.data, [&](std::string_view d) { lines.emplace_back(d); });
      lines.push_back(".");
    }
  }
  return lines;
}

}  // namespace relaymon::tui
