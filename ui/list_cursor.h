// The one list cursor of every list page (issue 10): the selected item,
// the first row on screen and how many rows the list has on screen. The
// screen's layout step (panels::layout_screen) tells it the real height
// before keys are handled and the page is drawn, so Page Up/Down move by a
// screenful and the list scrolls only when the selection would leave it:
// Up inside the screen moves the highlight, not the list.
//
// Lists without a selection (the log, the torrc, a transcript) only scroll:
// scroll() moves `top`.
#pragma once

namespace relaymon::ui {

struct ListCursor {
  int selected = 0;
  int top = 0;    // the first item on screen
  int rows = 10;  // rows the list has on screen (set by the layout step)

  // Up, Down, Page Up, Page Down, Home, End move the selection (and the
  // window with it). False for any other key.
  bool move(int key, int count);
  // The same keys move the window only (no selection).
  bool scroll(int key, int count);
  // Keeps the selection among `count` items and inside the window of
  // `rows` rows (which shifts as little as it must).
  void fit(int count, int rows);
  // The first item to draw: `top`, corrected as fit() would (pure, for draw
  // functions that get the cursor read-only).
  int first(int count, int rows) const;
  // The selection within [0, count), or 0 for an empty list.
  int clamped(int count) const;
  // For lists that only scroll: keeps `top` within the list at this height.
  void fit_window(int count, int rows);
  // The first item to draw of a scrolling list (pure).
  int first_line(int count, int rows) const;
};

}  // namespace relaymon::ui
