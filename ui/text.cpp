#include "ui/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>

namespace relaymon::ui {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks and zero-width characters (the common blocks; a rarer
// mark drawn one cell wide only shifts the rest of a line by one).
constexpr std::array kZeroWidth{
    Range{0x0300, 0x036F},  Range{0x0483, 0x0489}, Range{0x0591, 0x05BD}, Range{0x05BF, 0x05BF},
    Range{0x05C1, 0x05C2},  Range{0x05C4, 0x05C5}, Range{0x05C7, 0x05C7}, Range{0x0610, 0x061A},
    Range{0x064B, 0x065F},  Range{0x0670, 0x0670}, Range{0x06D6, 0x06DC}, Range{0x06DF, 0x06E4},
    Range{0x0900, 0x0902},  Range{0x093C, 0x093C}, Range{0x0941, 0x0948}, Range{0x094D, 0x094D},
    Range{0x0E31, 0x0E31},  Range{0x0E34, 0x0E3A}, Range{0x0E47, 0x0E4E}, Range{0x1AB0, 0x1AFF},
    Range{0x1DC0, 0x1DFF},  Range{0x200B, 0x200F}, Range{0x2028, 0x202E}, Range{0x2060, 0x2064},
    Range{0x20D0, 0x20FF},  Range{0xFE00, 0xFE0F}, Range{0xFE20, 0xFE2F}, Range{0xFEFF, 0xFEFF},
    Range{0xE0100, 0xE01EF}};

constexpr std::array kWide{
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},
    Range{0x23E9, 0x23EC},   Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},
    Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},   Range{0x2648, 0x2653},
    Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},
    Range{0x26CE, 0x26CE},   Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},
    Range{0x26F2, 0x26F5},   Range{0x26FA, 0x26FD},   Range{0x2705, 0x2705},
    Range{0x270A, 0x270B},   Range{0x2728, 0x2728},   Range{0x274C, 0x274C},
    Range{0x2E80, 0x303E},   Range{0x3041, 0x33FF},   Range{0x3400, 0x4DBF},
    Range{0x4E00, 0x9FFF},   Range{0xA000, 0xA4CF},   Range{0xA960, 0xA97F},
    Range{0xAC00, 0xD7A3},   Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},
    Range{0xFE30, 0xFE6F},   Range{0xFF00, 0xFF60},   Range{0xFFE0, 0xFFE6},
    Range{0x1F004, 0x1F004}, Range{0x1F0CF, 0x1F0CF}, Range{0x1F18E, 0x1F18E},
    Range{0x1F191, 0x1F19A}, Range{0x1F200, 0x1F251}, Range{0x1F300, 0x1F64F},
    Range{0x1F680, 0x1F6FF}, Range{0x1F900, 0x1F9FF}, Range{0x1FA70, 0x1FAFF},
    Range{0x20000, 0x2FFFD}, Range{0x30000, 0x3FFFD}};

template <std::size_t N>
bool in(const std::array<Range, N>& table, char32_t cp) {
  auto it = std::upper_bound(table.begin(), table.end(), cp,
                             [](char32_t value, const Range& r) { return value < r.first; });
  return it != table.begin() && cp <= std::prev(it)->last;
}

}  // namespace

int char_width(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return -1;
  if (cp < 0x300) return 1;
  if (in(kZeroWidth, cp)) return 0;
  if (in(kWide, cp)) return 2;
  return 1;
}

int display_width(std::string_view text) {
  int width = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    Decoded d = decode_utf8(text, pos);
    pos += d.length;
    int w = d.valid ? char_width(d.code_point) : 1;
    width += w < 0 ? 1 : w;
  }
  return width;
}

// The one sanitiser (text::printable) serves the screen too.
std::string sanitize(std::string_view text) {
  return text::printable(text);
}

std::string fit(std::string_view text, int width) {
  int used = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    Decoded d = decode_utf8(text, pos);
    int w = d.valid ? char_width(d.code_point) : 1;
    if (w < 0) w = 1;
    if (used + w > width) break;
    used += w;
    pos += d.length;
  }
  return std::string(text.substr(0, pos));
}

std::string ellipsize(std::string_view text, int width) {
  if (display_width(text) <= width) return std::string(text);
  if (width < 4) return fit(text, width);
  return fit(text, width - 3) + "...";
}

std::string ellipsize_middle(std::string_view text, int width) {
  int total = display_width(text);
  if (total <= width) return std::string(text);
  if (width < 7) return ellipsize(text, width);
  int tail = (width - 3) / 2;
  int head = width - 3 - tail;
  // The tail starts at the first code point after which at most `tail`
  // cells remain.
  int used = 0;
  std::size_t pos = 0;
  while (pos < text.size() && total - used > tail) {
    Decoded d = decode_utf8(text, pos);
    int w = d.valid ? char_width(d.code_point) : 1;
    used += w < 0 ? 1 : w;
    pos += d.length;
  }
  return fit(text, head) + "..." + std::string(text.substr(pos));
}

std::string pad_right(std::string_view text, int width) {
  std::string out = fit(text, width);
  out.append(static_cast<std::size_t>(std::max(0, width - display_width(out))), ' ');
  return out;
}

std::string pad_left(std::string_view text, int width) {
  std::string cut = fit(text, width);
  std::string out(static_cast<std::size_t>(std::max(0, width - display_width(cut))), ' ');
  return out + cut;
}

std::vector<std::string> wrap(std::string_view text, int width) {
  std::vector<std::string> lines;
  if (width <= 0) return {std::string()};
  std::string line;
  int line_width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end;
    int word_width = display_width(word);
    if (line_width > 0 && line_width + 1 + word_width <= width) {
      line += ' ';
      line += word;
      line_width += 1 + word_width;
      continue;
    }
    if (line_width > 0) lines.push_back(std::exchange(line, {}));
    line_width = 0;
    while (word_width > width) {  // a word longer than a line is split
      std::string head = fit(word, width);
      if (head.empty()) head = std::string(word.substr(0, decode_utf8(word, 0).length));
      lines.push_back(head);
      word.remove_prefix(head.size());
      word_width = display_width(word);
    }
    line = std::string(word);
    line_width = word_width;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

}  // namespace relaymon::ui
