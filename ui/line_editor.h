// The one line editor of every text input (issue 10): the interpreter's
// command line and the bottom-line prompts (log filter, save path, config
// value). Text is UTF-8; the cursor is a byte offset on a code point
// boundary (a cursor past the end means the end).
#pragma once

#include <cstddef>
#include <string>

#include "ui/canvas.h"

namespace relaymon::ui {

// Printable keys insert at the cursor (up to `limit` bytes), Backspace
// (also ^H) and Delete erase one code point, Left/Right move by one, Home
// (^A) and End (^E) go to the ends, ^U clears. Returns false for any other
// key: Enter, Esc, Tab, Up/Down and the rest are the caller's.
bool edit_line(std::string& text, std::size_t& cursor, int key, std::size_t limit = 4096);

// Whether a key is text (a printable code point, not a control character).
bool is_text_key(int key);

// Draws the line from x to the canvas's right edge with the cursor cell
// reversed ("_" at the end); a long line scrolls so the cursor stays
// visible. Text is sanitised. Returns the x after the last cell drawn.
int draw_line(Canvas& canvas, int x, int y, const std::string& text, std::size_t cursor);

}  // namespace relaymon::ui
