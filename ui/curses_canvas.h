// The terminal backend. This header does not include curses: only
// curses_canvas.cpp does (tests/layering.sh checks it), so nothing else in
// the program can call curses behind the canvas's back.
//
// The app owns one Terminal for the life of the screen:
//
//   Terminal term({.color = ui::want_color(no_color, getenv("NO_COLOR")),
//                  .ascii = ascii});
//   panels::draw_screen(snapshot, state, term.canvas(), term.theme());
//   term.present();                       // writes only the changed rows
//   for (int k; (k = term.read_key()) != ui::key::kNone;) ...  // non-blocking
//   on SIGWINCH (asio signal_set) or key::kResize: term.resize(); redraw
//
// The destructor always calls endwin(); Terminal::restore() does the same
// from an exception or signal path and is safe to call twice.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ui/canvas.h"
#include "ui/theme.h"

namespace relaymon::ui {

// A CellGrid that remembers the last frame sent to the terminal and
// rewrites only the rows that changed since.
class CursesCanvas final : public CellGrid {
 public:
  // ascii_glyphs: '-', '|', '+' instead of the terminal's line drawing;
  // utf8_text: the locale can show UTF-8 (otherwise non-ASCII shows '?').
  CursesCanvas(int width, int height, bool ascii_glyphs, bool utf8_text, const Theme& theme);
  // Sends the rows that differ from the previous frame; the next
  // terminal refresh shows them. Returns how many rows were written.
  int present();
  void invalidate() { previous_.clear(); }  // the next present() rewrites all
  long rows_written() const { return rows_written_; }

 private:
  void write_row(int y);
  bool ascii_glyphs_;
  bool utf8_text_;
  const Theme& theme_;
  std::vector<Cell> previous_;
  int previous_width_ = -1;
  long rows_written_ = 0;
};

class Terminal {
 public:
  struct Options {
    bool color = true;  // already decided with want_color()
    bool ascii = false;
    // Defaults use the controlling terminal (stdin/stdout and $TERM);
    // tests pass a pseudo-terminal and a terminal type.
    int in_fd = -1;
    int out_fd = -1;
    std::string term;
  };

  explicit Terminal(Options options);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  CursesCanvas& canvas() { return *canvas_; }
  const Theme& theme() const { return theme_; }
  bool utf8() const { return utf8_; }

  // Next key without waiting, key::kNone when there is none. Returns
  // key::kResize after the terminal changed size (the canvas is resized).
  int read_key();
  // Re-reads the terminal size (after SIGWINCH) and resizes the canvas;
  // true when the size changed.
  bool resize();
  // Tells curses the size when no real terminal can (tests, fixed layouts).
  void resize_to(int width, int height);
  // Writes the changed rows and refreshes the screen.
  void present();
  // The file descriptor keys arrive on, for an asio stream_descriptor.
  int input_fd() const { return in_fd_; }

  // Puts the terminal back (endwin) if a Terminal is active; idempotent.
  static void restore() noexcept;

 private:
  struct Screen;
  std::unique_ptr<Screen> screen_;
  Theme theme_;
  bool utf8_ = false;
  int in_fd_ = 0;
  std::unique_ptr<CursesCanvas> canvas_;
};

// True when the process locale (after setlocale(LC_CTYPE, "")) is UTF-8.
bool locale_is_utf8();

}  // namespace relaymon::ui
