#include "ui/line_editor.h"

#include <algorithm>
#include "text/utf8.h"

#include "ui/keys.h"
#include "ui/text.h"

namespace relaymon::ui {

bool is_text_key(int key) {
  return key >= 0x20 && key < key::kSpecial && key != 0x7F && !(key >= 0x80 && key < 0xA0);
}

bool edit_line(std::string& text, std::size_t& cursor, int key, std::size_t limit) {
  if (cursor > text.size()) cursor = text.size();
  switch (key) {
    case key::kBackspace:
    case 8:  // ^H
      if (cursor > 0) {
        std::size_t start = text::previous_code_point(text, cursor);
        text.erase(start, cursor - start);
        cursor = start;
      }
      return true;
    case key::kDelete:
      text.erase(cursor, text::next_code_point(text, cursor) - cursor);
      return true;
    case key::kLeft:
      cursor = text::previous_code_point(text, cursor);
      return true;
    case key::kRight:
      cursor = text::next_code_point(text, cursor);
      return true;
    case key::kHome:
    case 1:  // ^A
      cursor = 0;
      return true;
    case key::kEnd:
    case 5:  // ^E
      cursor = text.size();
      return true;
    case 21:  // ^U
      text.clear();
      cursor = 0;
      return true;
    default:
      break;
  }
  if (!is_text_key(key)) return false;
  if (text.size() < limit) cursor += text::insert_utf8(text, cursor, static_cast<char32_t>(key));
  return true;
}

int draw_line(Canvas& canvas, int x, int y, const std::string& line, std::size_t cursor) {
  int w = canvas.width();
  cursor = std::min(cursor, line.size());
  std::size_t from = 0;
  while (from < cursor && x + display_width(sanitize(line.substr(from, cursor - from))) + 1 > w) {
    from = text::next_code_point(line, from);
  }
  if (x < w) x = canvas.put(x, y, sanitize(line.substr(from, cursor - from)), Role::kValue);
  if (x >= w) return x;
  if (cursor < line.size()) {
    std::size_t next = text::next_code_point(line, cursor);
    x = canvas.put(x, y, sanitize(line.substr(cursor, next - cursor)), Role::kSelection);
    if (x < w) x = canvas.put(x, y, sanitize(line.substr(next)), Role::kValue);
    return x;
  }
  return canvas.put(x, y, "_", Role::kSelection);
}

}  // namespace relaymon::ui
