#include "ui/list_cursor.h"

#include <algorithm>

#include "ui/keys.h"

namespace relaymon::ui {

namespace {

int clamp_to(int value, int count) {
  return std::clamp(value, 0, std::max(0, count - 1));
}

}  // namespace

int ListCursor::clamped(int count) const {
  return clamp_to(selected, count);
}

int ListCursor::first(int count, int visible) const {
  int r = std::max(1, visible);
  int s = clamped(count);
  int t = top;
  if (s < t) t = s;
  if (s >= t + r) t = s - r + 1;
  return std::clamp(t, 0, std::max(0, count - r));
}

void ListCursor::fit(int count, int visible) {
  rows = std::max(1, visible);
  selected = clamped(count);
  top = first(count, rows);
}

bool ListCursor::move(int key, int count) {
  int page = std::max(1, rows - 1);  // one row of context stays
  switch (key) {
    case key::kUp:
      selected = clamp_to(selected - 1, count);
      break;
    case key::kDown:
      selected = clamp_to(selected + 1, count);
      break;
    case key::kPageUp:
      selected = clamp_to(selected - page, count);
      top = std::max(0, top - page);
      break;
    case key::kPageDown:
      selected = clamp_to(selected + page, count);
      top += page;
      break;
    case key::kHome:
      selected = 0;
      break;
    case key::kEnd:
      selected = std::max(0, count - 1);
      break;
    default:
      return false;
  }
  top = first(count, rows);
  return true;
}

void ListCursor::fit_window(int count, int visible) {
  rows = std::max(1, visible);
  top = first_line(count, rows);
}

int ListCursor::first_line(int count, int visible) const {
  return std::clamp(top, 0, std::max(0, count - std::max(1, visible)));
}

bool ListCursor::scroll(int key, int count) {
  int page = std::max(1, rows - 1);
  int last = std::max(0, count - rows);
  switch (key) {
    case key::kUp:
      --top;
      break;
    case key::kDown:
      ++top;
      break;
    case key::kPageUp:
      top -= page;
      break;
    case key::kPageDown:
      top += page;
      break;
    case key::kHome:
      top = 0;
      break;
    case key::kEnd:
      top = last;
      break;
    default:
      return false;
  }
  top = std::clamp(top, 0, last);
  return true;
}

}  // namespace relaymon::ui
