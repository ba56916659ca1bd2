// Where panels draw. A Canvas is a width x height grid of cells; put()
// writes UTF-8 text with a semantic role, clips at the right edge and counts
// display cells (wide characters take two). Panels draw into a Canvas only:
// TextCanvas for tests, CursesCanvas for the terminal, Region for a part of
// either (STYLE.md point 7).
#pragma once

#include <algorithm>
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
  virtual void clear() { fill(0, 0, width(), height(), Role::kNormal); }

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

// One cell's text, kept inline: a frame clears, fills, copies and compares
// every cell (4,800 at 120x40), and as std::string each of those was a
// string operation. Holds one character plus its combining marks; a mark
// that would not fit is dropped whole (a cell never holds half of one).
class CellText {
 public:
  CellText() = default;
  CellText(std::string_view text) { assign(text); }                 // NOLINT: implicit by design
  CellText(const char* text) : CellText(std::string_view(text)) {}  // NOLINT

  void assign(std::string_view text) {
    if (text.size() > kCapacity) {
      // Cut at a character boundary, never inside a UTF-8 sequence.
      std::size_t n = kCapacity;
      while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
      text = text.substr(0, n);
    }
    size_ = static_cast<unsigned char>(text.size());
    text.copy(data_, text.size());
    data_[size_] = '\0';
  }
  void append(std::string_view mark) {
    if (size_ + mark.size() > kCapacity) return;
    mark.copy(data_ + size_, mark.size());
    size_ = static_cast<unsigned char>(size_ + mark.size());
    data_[size_] = '\0';
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  const char* c_str() const { return data_; }
  char operator[](std::size_t i) const { return data_[i]; }
  std::string_view view() const { return {data_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT

  friend bool operator==(const CellText& a, const CellText& b) { return a.view() == b.view(); }
  friend bool operator==(const CellText& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const CellText& a, const char* b) { return a.view() == b; }

 private:
  static constexpr std::size_t kCapacity = 30;
  unsigned char size_ = 1;
  char data_[kCapacity + 1] = {' ', '\0'};
};

// One cell of a CellGrid.
struct Cell {
  CellText text = " ";  // one character (plus marks); empty = continuation
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
  void resize(int width, int height);                                         // clears
  void clear() override { std::fill(cells_.begin(), cells_.end(), Cell{}); }  // every frame
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
