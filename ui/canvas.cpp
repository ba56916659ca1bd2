#include "ui/canvas.h"

#include <algorithm>

#include "ui/text.h"

namespace relaymon::ui {

int Canvas::put(int x, int y, std::string_view text, Role role) {
  if (text.empty()) return x;
  if (y < 0 || y >= height() || x < 0 || x > width()) {
    note_outside();
    return std::clamp(x, 0, std::max(0, width()));
  }
  int last_x = -1;  // the cell a zero-width mark attaches to
  for (std::size_t pos = 0; pos < text.size();) {
    Decoded d = decode_utf8(text, pos);
    std::string_view piece = text.substr(pos, static_cast<std::size_t>(d.length));
    pos += static_cast<std::size_t>(d.length);
    int cells = d.valid ? char_width(d.code_point) : -1;
    if (cells < 0) {  // never pass control bytes to a terminal
      piece = "?";
      cells = 1;
    }
    if (cells == 0) {
      if (last_x >= 0) append_to_cell(last_x, y, piece);
      continue;
    }
    if (x + cells > width()) return width();
    set_cell(x, y, piece, cells, role);
    last_x = x;
    x += cells;
  }
  return x;
}

void Canvas::glyph(int x, int y, Glyph g, Role role) {
  if (y < 0 || y >= height() || x < 0 || x >= width()) {
    note_outside();
    return;
  }
  set_glyph(x, y, g, role);
}

void Canvas::hline(int x, int y, int length, Role role) {
  for (int i = 0; i < length && x + i < width(); ++i) glyph(x + i, y, Glyph::kHLine, role);
}

void Canvas::vline(int x, int y, int length, Role role) {
  for (int i = 0; i < length && y + i < height(); ++i) glyph(x, y + i, Glyph::kVLine, role);
}

void Canvas::box(int x, int y, int w, int h, Role role) {
  if (w < 2 || h < 2) return;
  glyph(x, y, Glyph::kTopLeft, role);
  glyph(x + w - 1, y, Glyph::kTopRight, role);
  glyph(x, y + h - 1, Glyph::kBottomLeft, role);
  glyph(x + w - 1, y + h - 1, Glyph::kBottomRight, role);
  hline(x + 1, y, w - 2, role);
  hline(x + 1, y + h - 1, w - 2, role);
  vline(x, y + 1, h - 2, role);
  vline(x + w - 1, y + 1, h - 2, role);
}

void Canvas::fill(int x, int y, int w, int h, Role role) {
  int x0 = std::max(0, x);
  int x1 = std::min(width(), x + w);
  for (int row = std::max(0, y); row < std::min(height(), y + h); ++row) {
    for (int col = x0; col < x1; ++col) set_cell(col, row, " ", 1, role);
  }
}

Region::Region(Canvas& parent, int x, int y, int w, int h) : parent_(parent) {
  // A region never reaches outside its parent, whatever it was asked for.
  x_ = std::clamp(x, 0, std::max(0, parent.width()));
  y_ = std::clamp(y, 0, std::max(0, parent.height()));
  w_ = std::clamp(w, 0, std::max(0, parent.width() - x_));
  h_ = std::clamp(h, 0, std::max(0, parent.height() - y_));
}

void Region::set_cell(int x, int y, std::string_view text, int cells, Role role) {
  parent_.set_cell(x_ + x, y_ + y, text, cells, role);
}

void Region::set_glyph(int x, int y, Glyph g, Role role) {
  parent_.set_glyph(x_ + x, y_ + y, g, role);
}

void Region::append_to_cell(int x, int y, std::string_view mark) {
  parent_.append_to_cell(x_ + x, y_ + y, mark);
}

CellGrid::CellGrid(int width, int height, bool ascii)
    : width_(std::max(0, width)), height_(std::max(0, height)), ascii_(ascii) {
  cells_.resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_));
}

void CellGrid::resize(int width, int height) {
  width_ = std::max(0, width);
  height_ = std::max(0, height);
  cells_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), Cell{});
}

// Overwriting one half of a wide character blanks the other half, so a row
// never holds half a character.
void CellGrid::break_wide(int x, int y) {
  Cell& c = cells_[index(x, y)];
  if (c.text.empty() && x > 0) {
    cells_[index(x - 1, y)] = Cell{" ", cells_[index(x - 1, y)].role};
  } else if (!c.is_glyph && x + 1 < width_ && cells_[index(x + 1, y)].text.empty()) {
    cells_[index(x + 1, y)] = Cell{" ", c.role};
  }
}

void CellGrid::set_cell(int x, int y, std::string_view text, int cells, Role role) {
  break_wide(x, y);
  if (cells == 2) break_wide(x + 1, y);
  cells_[index(x, y)] = Cell{text, role};
  if (cells == 2) cells_[index(x + 1, y)] = Cell{CellText(std::string_view()), role};
}

void CellGrid::set_glyph(int x, int y, Glyph g, Role role) {
  break_wide(x, y);
  cells_[index(x, y)] = Cell{glyph_text(g, ascii_), role, true, g};
}

void CellGrid::append_to_cell(int x, int y, std::string_view mark) {
  Cell& c = cells_[index(x, y)];
  if (!c.is_glyph && !c.text.empty()) c.text.append(mark);
}

std::string CellGrid::row(int y) const {
  std::string out;
  if (y < 0 || y >= height_) return out;
  for (int x = 0; x < width_; ++x) out += cells_[index(x, y)].text;
  out.erase(out.find_last_not_of(' ') + 1);
  return out;
}

std::vector<std::string> CellGrid::rows() const {
  std::vector<std::string> out;
  for (int y = 0; y < height_; ++y) out.push_back(row(y));
  return out;
}

}  // namespace relaymon::ui
