// The canvas: clipping by display width, wide characters, regions, boxes.
#include <catch2/catch.hpp>

#include "ui/canvas.h"
#include "ui/flow.h"
#include "ui/table.h"

using namespace relaymon::ui;

TEST_CASE("put returns the next column and clips at the right edge", "[ui][canvas]") {
  TextCanvas c(10, 2);
  CHECK(c.put(0, 0, "abc", Role::kNormal) == 3);
  CHECK(c.put(3, 0, "defghijklmn", Role::kValue) == 10);
  CHECK(c.row(0) == "abcdefghij");
  CHECK(c.role_at(0, 0) == Role::kNormal);
  CHECK(c.role_at(9, 0) == Role::kValue);
  CHECK(c.row(1) == "");
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("wide characters take two cells and are never cut in half", "[ui][canvas]") {
  TextCanvas c(5, 1);
  // Two CJK characters (4 cells), then a third that would need cells 4-5.
  CHECK(c.put(0, 0, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", Role::kNormal) == 5);
  CHECK(c.row(0) == "\xe4\xb8\xad\xe6\x96\x87");
  // Overwriting the right half of the first one blanks its left half.
  c.put(1, 0, "x", Role::kNormal);
  CHECK(c.row(0) == " x\xe6\x96\x87");
}

TEST_CASE("combining marks stay with their character", "[ui][canvas]") {
  TextCanvas c(6, 1);
  CHECK(c.put(0, 0, "cafe\xcc\x81!", Role::kNormal) == 5);
  CHECK(c.row(0) == "cafe\xcc\x81!");
}

TEST_CASE("a cell holds a character and its marks and drops whole a mark that does not fit",
          "[ui][canvas]") {
  TextCanvas c(2, 1);
  // e plus twenty combining acutes (2 bytes each): the cell keeps what fits
  // (30 bytes) in whole marks, and the next cell is untouched.
  std::string text = "e";
  for (int i = 0; i < 20; ++i) text += "\xcc\x81";
  text += "!";
  CHECK(c.put(0, 0, text, Role::kNormal) == 2);
  std::string row = c.row(0);
  REQUIRE(row.size() == 1 + 14 * 2 + 1);  // e, 14 whole marks, '!'
  CHECK(row.substr(row.size() - 3) == "\xcc\x81!");
  // A cell's text is cut at a character boundary, never inside one.
  CellText cut(std::string(29, 'a') + "\xe4\xb8\xad");
  CHECK(cut.size() == 29);
  c.clear();
  CHECK(c.row(0) == "");
  CHECK(c.cell(1, 0) == Cell{});
}

TEST_CASE("control bytes that reach the canvas are drawn as '?'", "[ui][canvas]") {
  TextCanvas c(10, 1);
  c.put(0, 0, "a\x1b[2Jb\xff", Role::kNormal);
  CHECK(c.row(0) == "a?[2Jb?");
}

TEST_CASE("calls outside the canvas write nothing and are counted", "[ui][canvas]") {
  TextCanvas c(4, 2);
  c.put(0, 2, "x", Role::kNormal);
  c.put(0, -1, "x", Role::kNormal);
  c.put(-1, 0, "x", Role::kNormal);
  c.put(5, 0, "x", Role::kNormal);
  c.glyph(4, 0, Glyph::kBar, Role::kNormal);
  CHECK(c.outside_calls() == 5);
  c.put(4, 0, "x", Role::kNormal);  // at the edge: clipped, not outside
  c.put(0, 0, "", Role::kNormal);
  CHECK(c.outside_calls() == 5);
  CHECK(c.rows() == std::vector<std::string>{"", ""});
}

TEST_CASE("a zero-sized canvas accepts nothing and does not crash", "[ui][canvas]") {
  TextCanvas c(0, 0);
  c.clear();
  c.box(0, 0, 5, 5, Role::kNormal);
  c.put(0, 0, "x", Role::kNormal);
  CHECK(c.outside_calls() == 5);  // four corners of the box and the put
  CHECK(c.rows().empty());
}

TEST_CASE("regions offset and clip to themselves", "[ui][canvas]") {
  TextCanvas c(10, 4);
  Region r(c, 2, 1, 5, 2);
  CHECK(r.width() == 5);
  CHECK(r.height() == 2);
  CHECK(r.put(0, 0, "hello world", Role::kNormal) == 5);
  r.put(1, 1, "xy", Role::kNormal);
  r.put(0, 2, "no", Role::kNormal);  // below the region
  CHECK(c.rows() == std::vector<std::string>{"", "  hello", "   xy", ""});
  CHECK(c.outside_calls() == 1);
  Region beyond(c, 8, 3, 10, 10);  // asked for more than the parent has
  CHECK(beyond.width() == 2);
  CHECK(beyond.height() == 1);
}

TEST_CASE("boxes and lines in ASCII and UTF-8", "[ui][canvas]") {
  TextCanvas ascii(5, 3);
  ascii.box(0, 0, 5, 3, Role::kDim);
  CHECK(ascii.rows() == std::vector<std::string>{"+---+", "|   |", "+---+"});
  TextCanvas utf8(4, 2, false);
  utf8.box(0, 0, 4, 2, Role::kDim);
  CHECK(utf8.row(0) == "\u250c\u2500\u2500\u2510");
  CHECK(utf8.row(1) == "\u2514\u2500\u2500\u2518");
  TextCanvas bars(3, 1);
  bars.glyph(1, 0, Glyph::kBar, Role::kGraphRead);
  CHECK(bars.row(0) == " #");
  CHECK(bars.role_at(1, 0) == Role::kGraphRead);
}

TEST_CASE("flow moves whole groups to the next row", "[ui][flow]") {
  std::vector<std::vector<Segments>> lines{{{{"pid: ", Role::kLabel}, {"1234", Role::kValue}},
                                            {{"uptime: ", Role::kLabel}, {"3d 04h", Role::kValue}}},
                                           {{{"flags: none", Role::kNormal}}}};
  auto wide = flow(lines, 40);
  REQUIRE(wide.size() == 2);
  CHECK(segments_width(wide[0]) == 25);
  auto narrow = flow(lines, 12);
  REQUIRE(narrow.size() == 3);
  TextCanvas c(12, 3);
  for (int y = 0; y < 3; ++y) draw_segments(c, 0, y, narrow[static_cast<std::size_t>(y)]);
  CHECK(c.rows() == std::vector<std::string>{"pid: 1234", "uptime: 3d 0", "flags: none"});
}

TEST_CASE("columns are dropped by priority and the flexible one grows", "[ui][table]") {
  std::vector<Column> cols{
      {"a", 4, 0}, {"name", 6, 0, false, true}, {"num", 5, 1, true}, {"extra", 8, 2}};
  CHECK(layout_columns(cols, 40) == std::vector<int>{4, 20, 5, 8});
  CHECK(layout_columns(cols, 20) == std::vector<int>{4, 9, 5, 0});
  CHECK(layout_columns(cols, 8) == std::vector<int>{4, 3, 0, 0});
  TextCanvas c(20, 2);
  auto widths = layout_columns(cols, 20);
  draw_header_row(c, 0, cols, widths, Role::kLabel);
  draw_row(c, 1, cols, widths, {{"in"}, {"a very long name"}, {"42"}, {"x"}});
  CHECK(c.rows() == std::vector<std::string>{"a    name        num", "in   a very...    42"});
}
