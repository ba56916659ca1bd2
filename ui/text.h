// Text measuring and sanitising for the terminal. Everything drawn goes
// through a Canvas, which counts display cells, not bytes; everything that
// came from tor (log lines, nicknames, contact info, config values) goes
// through sanitize() first so an escape sequence in a relay's nickname can
// never reach the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::ui {

// One step of UTF-8 decoding. Invalid, overlong, surrogate and truncated
// sequences come back as valid=false with length 1 (one bad byte).
struct Decoded {
  char32_t code_point = 0;
  int length = 1;
  bool valid = false;
};
Decoded decode_utf8(std::string_view text, std::size_t pos);

// Cells a code point takes: 0 for combining marks, 2 for East Asian wide and
// emoji, 1 otherwise; -1 for control characters (C0, DEL, C1). Independent
// of the process locale so tests and the terminal agree.
int char_width(char32_t code_point);

// Cells the text takes when drawn by a Canvas (bad bytes and control
// characters are drawn as one '?' cell each).
int display_width(std::string_view text);

// Control characters, escape sequences, bidirectional overrides and invalid
// UTF-8 bytes become visible escapes ("\x1b", "\xff", "\u202e"); printable
// text (UTF-8 included) passes unchanged.
std::string sanitize(std::string_view text);

// The longest prefix of text that fits in width cells (never splits a
// code point or a wide character).
std::string fit(std::string_view text, int width);
// Like fit(), but marks a cut with "..." when there is room for it.
std::string ellipsize(std::string_view text, int width);
// Pads with spaces (or cuts) to exactly width cells.
std::string pad_right(std::string_view text, int width);
std::string pad_left(std::string_view text, int width);

// Word-wraps text to lines of at most width cells; words longer than a line
// are split. Always returns at least one line.
std::vector<std::string> wrap(std::string_view text, int width);

// Splits on any whitespace: "NOTICE WARN\nERR" -> {"NOTICE", "WARN", "ERR"}.
std::vector<std::string> split_words(std::string_view text);

}  // namespace relaymon::ui
