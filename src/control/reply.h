// One complete reply (or asynchronous event) from tor's control port, framed
// per control-spec section 2.3: any number of "CODE-text" mid lines and
// "CODE+text" data lines (each followed by a dot-terminated data block),
// then one "CODE text" end line. Framing is done by control/framing.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relaymon::control {

struct ReplyLine {
  int code = 0;
  char separator = ' ';  // '-' mid line, '+' data line, ' ' end line
  std::string text;      // the line after "CODE" and the separator, no CRLF
  std::string data;      // for '+': the data block, dot-unstuffed, lines joined by "\n"
                         // (a trailing "\n" after the last line), without the "." line
};

struct Reply {
  std::vector<ReplyLine> lines;  // never empty once framed

  int code() const { return lines.empty() ? 0 : lines.back().code; }
  bool ok() const { return code() >= 200 && code() < 300; }
  bool is_event() const { return code() == 650; }
  // The end line's text, e.g. "OK" or "Unrecognized key \"conn/all\"".
  std::string_view message() const {
    return lines.empty() ? std::string_view{} : std::string_view{lines.back().text};
  }
};

}  // namespace relaymon::control
