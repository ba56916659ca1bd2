// The one list cursor (ui/list_cursor.h) and the one line editor
// (ui/line_editor.h) of every page.
#include <catch2/catch.hpp>

#include "ui/keys.h"
#include "ui/line_editor.h"
#include "ui/list_cursor.h"

using namespace relaymon::ui;

TEST_CASE("list cursor: past the first screen, Up moves the highlight, not the list",
          "[ui][cursor]") {
  ListCursor c;
  c.fit(100, 10);
  for (int i = 0; i < 15; ++i) c.move(key::kDown, 100);
  CHECK(c.selected == 15);
  CHECK(c.top == 6);  // the selection is the last row on screen
  c.move(key::kUp, 100);
  CHECK(c.selected == 14);
  CHECK(c.top == 6);  // unchanged: still on screen
  for (int i = 0; i < 8; ++i) c.move(key::kUp, 100);
  CHECK(c.selected == 6);
  CHECK(c.top == 6);
  c.move(key::kUp, 100);
  CHECK(c.top == 5);  // now the list follows
}

TEST_CASE("list cursor: pages are the real height, Home/End, clamping", "[ui][cursor]") {
  ListCursor c;
  c.fit(100, 20);
  c.move(key::kPageDown, 100);
  CHECK(c.selected == 19);  // a page less one row of context
  c.move(key::kEnd, 100);
  CHECK(c.selected == 99);
  CHECK(c.top == 80);
  c.move(key::kHome, 100);
  CHECK(c.selected == 0);
  CHECK(c.top == 0);
  c.selected = 50;
  c.fit(10, 20);  // the list shrank
  CHECK(c.selected == 9);
  CHECK(c.top == 0);
  CHECK_FALSE(c.move('x', 10));
  ListCursor empty;
  empty.move(key::kDown, 0);
  CHECK(empty.selected == 0);
}

TEST_CASE("list cursor: scrolling lists move the window only", "[ui][cursor]") {
  ListCursor c;
  c.fit_window(50, 10);
  c.scroll(key::kPageDown, 50);
  CHECK(c.top == 9);
  c.scroll(key::kEnd, 50);
  CHECK(c.top == 40);
  c.scroll(key::kDown, 50);
  CHECK(c.top == 40);  // the last screenful
  c.scroll(key::kHome, 50);
  CHECK(c.top == 0);
  CHECK(c.first_line(5, 10) == 0);
}

TEST_CASE("line editor: UTF-8 insert and erase anywhere, cursor keys, limits", "[ui][editor]") {
  std::string text;
  std::size_t cursor = 0;
  for (int k : {int{'a'}, 0xE9, 0x4E2D, int{'b'}}) CHECK(edit_line(text, cursor, k));
  CHECK(text == "a\xc3\xa9\xe4\xb8\xad" "b");
  CHECK(cursor == text.size());
  edit_line(text, cursor, key::kLeft);
  edit_line(text, cursor, key::kLeft);
  edit_line(text, cursor, key::kBackspace);  // erases the two-byte e-acute
  CHECK(text == "a\xe4\xb8\xad" "b");
  edit_line(text, cursor, key::kDelete);  // erases the three-byte CJK
  CHECK(text == "ab");
  edit_line(text, cursor, 'X');
  CHECK(text == "aXb");
  edit_line(text, cursor, key::kHome);
  CHECK(cursor == 0);
  edit_line(text, cursor, 21);  // ^U
  CHECK(text.empty());
  CHECK_FALSE(edit_line(text, cursor, key::kEnter));
  CHECK_FALSE(edit_line(text, cursor, 0x1b));  // escape is the caller's
  std::string full(8, 'x');
  std::size_t at = std::string::npos;  // past the end means the end
  edit_line(full, at, 'y', 8);
  CHECK(full == std::string(8, 'x'));
  CHECK(at == 8);
}
