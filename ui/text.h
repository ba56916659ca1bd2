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

#include "text/utf8.h"

namespace relaymon::ui {

// UTF-8 decoding lives in text/utf8.h (one decoder for the project).
using text::decode_utf8;
using text::Decoded;

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
// Cut in the middle ("inbound-relay 12...0.1:5004"): the start and the end
// both show, so rows that share a long prefix stay told apart.
std::string ellipsize_middle(std::string_view text, int width);
// Pads with spaces (or cuts) to exactly width cells.
std::string pad_right(std::string_view text, int width);
std::string pad_left(std::string_view text, int width);

// Word-wraps text to lines of at most width cells; words longer than a line
// are split. Always returns at least one line.
std::vector<std::string> wrap(std::string_view text, int width);

}  // namespace relaymon::ui
