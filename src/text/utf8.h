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
