// Where panels draw. A Canvas is a width x height grid of cells; put()
// writes UTF-8 text with a semantic role, clips at the right edge and counts
// display cells (wide characters take two). Panels draw into a Canvas only:
// TextCanvas for tests, CursesCanvas for the terminal, Region for a part of
// either (STYLE.md point 7).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ui/role.h"

namespace relaymon::ui {

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual int width() const = 0;
  virtual int height() const = 0;

  // Writes text at (x, y) and returns the column after the last cell
  // written (width() when clipped). Control characters and invalid UTF-8
  // that escaped sanitize() are drawn as '?', never passed through. A call
  // outside the canvas (y out of range, x < 0 or x > width()) writes
  // nothing and is counted by outside_calls(): panels lay themselves out,
  // clipping only cuts lines short on the right.
  int put(int x, int y, std::string_view text, Role role);
  void glyph(int x, int y, Glyph glyph, Role role);
  void hline(int x, int y, int length, Role role);
  void vline(int x, int y, int length, Role role);
  void box(int x, int y, int w, int h, Role role);
  void fill(int x, int y, int w, int h, Role role);  // spaces
  void clear() { fill(0, 0, width(), height(), Role::kNormal); }

  // How many put/glyph calls were outside the canvas (tests assert 0).
  virtual long outside_calls() const { return outside_; }

 protected:
  // The backend's primitives, always called inside the canvas. A wide
  // character's cell is followed by a continuation cell (text empty).
  virtual void set_cell(int x, int y, std::string_view text, int cells, Role role) = 0;
  virtual void set_glyph(int x, int y, Glyph glyph, Role role) = 0;
  virtual void note_outside() { ++outside_; }
  // Appends a zero-width mark (combining accent) to the cell at (x, y).
  virtual void append_to_cell(int x, int y, std::string_view mark) = 0;

 private:
  long outside_ = 0;
  friend class Region;
};

// A rectangle of another canvas with its own origin; clips to itself.
class Region final : public Canvas {
 public:
  Region(Canvas& parent, int x, int y, int w, int h);
  int width() const override { return w_; }
  int height() const override { return h_; }
  long outside_calls() const override { return parent_.outside_calls(); }

 protected:
  void set_cell(int x, int y, std::string_view text, int cells, Role role) override;
  void set_glyph(int x, int y, Glyph glyph, Role role) override;
  void note_outside() override { parent_.note_outside(); }
  void append_to_cell(int x, int y, std::string_view mark) override;

 private:
  Canvas& parent_;
  int x_, y_, w_, h_;
};

// One cell of a CellGrid.
struct Cell {
  std::string text = " ";  // one character (plus marks); empty = continuation
  Role role = Role::kNormal;
  bool is_glyph = false;
  Glyph glyph = Glyph::kHLine;
  bool operator==(const Cell&) const = default;
};

// A canvas kept in memory: the base of TextCanvas and CursesCanvas.
class CellGrid : public Canvas {
 public:
  CellGrid(int width, int height, bool ascii);
  int width() const override { return width_; }
  int height() const override { return height_; }
  void resize(int width, int height);  // clears
  bool ascii() const { return ascii_; }
  const Cell& cell(int x, int y) const { return cells_[index(x, y)]; }
  // A row as UTF-8 text, trailing spaces trimmed.
  std::string row(int y) const;
  std::vector<std::string> rows() const;

 protected:
  void set_cell(int x, int y, std::string_view text, int cells, Role role) override;
  void set_glyph(int x, int y, Glyph glyph, Role role) override;
  void append_to_cell(int x, int y, std::string_view mark) override;
  std::size_t index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) +
           static_cast<std::size_t>(x);
  }
  const std::vector<Cell>& cells() const { return cells_; }

 private:
  void break_wide(int x, int y);
  int width_;
  int height_;
  bool ascii_;
  std::vector<Cell> cells_;
};

// The canvas tests render into; ASCII glyphs by default so expected rows
// in tests stay readable.
class TextCanvas final : public CellGrid {
 public:
  TextCanvas(int width, int height, bool ascii = true) : CellGrid(width, height, ascii) {}
  Role role_at(int x, int y) const { return cell(x, y).role; }
};

}  // namespace relaymon::ui
