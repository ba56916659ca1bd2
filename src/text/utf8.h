// UTF-8 decoding and encoding, and the repair of text that is not valid
// UTF-8 (tor's log lines and nicknames are bytes: one \xff must never make
// a JSON writer throw). The one encoder and decoder of the project.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace relaymon::text {

// One step of UTF-8 decoding. Invalid, overlong, surrogate and truncated
// sequences come back as valid=false with length 1 (one bad byte).
struct Decoded {
  char32_t code_point = 0;
  int length = 1;
  bool valid = false;
};
Decoded decode_utf8(std::string_view text, std::size_t pos);

// Appends the UTF-8 form of a code point (nothing for surrogates or
// values above U+10FFFF).
void append_utf8(std::string& out, char32_t code_point);
// Inserts it at byte offset `pos`; returns the bytes inserted.
std::size_t insert_utf8(std::string& out, std::size_t pos, char32_t code_point);

// The byte offset of the code point before / after `pos` (0 / size at the ends).
std::size_t previous_code_point(std::string_view text, std::size_t pos);
std::size_t next_code_point(std::string_view text, std::size_t pos);

bool is_valid_utf8(std::string_view text);
// Every invalid byte replaced by U+FFFD; valid text comes back unchanged.
std::string valid_utf8(std::string_view text);

}  // namespace relaymon::text

namespace relaymon::text {

// Text from tor made safe to print to a terminal outside curses (errors,
// --snapshot, --check, --watch text): C0 and C1 control characters, DEL,
// bidirectional overrides and invalid bytes become visible escapes
// ("\x1b", "\u202e"), so a reply carrying ESC ] 0; ... BEL cannot retitle
// or rewrite the operator's terminal. With keep_newlines, "\n" and "\t"
// pass (multi-line reports).
std::string printable(std::string_view text, bool keep_newlines = false);

// The same for a JSON document already serialised: control characters
// outside ASCII (C1, U+0080-U+009F), DEL and bidirectional overrides become
// \uXXXX escapes, which mean the same to a JSON reader (nlohmann escapes
// C0 itself; these can only occur inside strings). Invalid bytes are
// replaced by U+FFFD.
std::string json_printable(std::string_view json);

}  // namespace relaymon::text
