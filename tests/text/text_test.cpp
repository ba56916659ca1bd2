// The shared text helpers (src/text): splitting, case, numbers, UTF-8.
#include <catch2/catch.hpp>

#include <chrono>

#include "text/text.h"
#include "text/time.h"
#include "text/utf8.h"

using namespace relaymon;

TEST_CASE("split_words and split_lines", "[text]") {
  CHECK(text::split_words("  NOTICE WARN\tERR\r\n") ==
        std::vector<std::string>{"NOTICE", "WARN", "ERR"});
  CHECK(text::split_words("").empty());
  CHECK(text::split_lines("a\r\n\nb\n") == std::vector<std::string>{"a", "b"});
  CHECK(text::split_lines("a\r\n\nb\n", false) == std::vector<std::string>{"a", "", "b"});
  int seen = 0;
  text::for_each_line("1\n2\n3", [&](std::string_view) { return ++seen < 2; });
  CHECK(seen == 2);  // stopped by returning false
}

TEST_CASE("case-insensitive comparisons are ASCII", "[text]") {
  CHECK(text::lower("ExitPolicy") == "exitpolicy");
  CHECK(text::upper("setevents circ") == "SETEVENTS CIRC");
  CHECK(text::iequals("ORPort", "orport"));
  CHECK_FALSE(text::iequals("ORPort", "orports"));
  CHECK(text::istarts_with("GETINFO version", "getinfo"));
  CHECK(text::trim(" \t x y \r\n") == "x y");
}

TEST_CASE("numbers and ports", "[text]") {
  CHECK(text::to_number<int>("42") == 42);
  CHECK_FALSE(text::to_number<int>("42x"));
  CHECK_FALSE(text::to_number<int>(""));
  CHECK(text::to_port("9001") == 9001);
  CHECK_FALSE(text::to_port("0"));
  CHECK(text::to_port("0", true) == 0);
  CHECK_FALSE(text::to_port("65536"));
}

TEST_CASE("UTF-8: encode, step, repair", "[text][utf8]") {
  std::string s;
  text::append_utf8(s, U'\u20ac');
  CHECK(s == "\xe2\x82\xac");
  text::append_utf8(s, 0xD800);  // a surrogate is not encoded
  CHECK(s.size() == 3);
  CHECK(text::insert_utf8(s, 0, U'a') == 1);
  CHECK(s == "a\xe2\x82\xac");
  CHECK(text::next_code_point(s, 1) == 4);
  CHECK(text::previous_code_point(s, 4) == 1);
  CHECK(text::is_valid_utf8(s));
  CHECK_FALSE(text::is_valid_utf8("nick\xff"));
  CHECK(text::valid_utf8("nick\xff!") == "nick\xef\xbf\xbd!");
  CHECK(text::valid_utf8("\xc3") == "\xef\xbf\xbd");  // truncated
  CHECK(text::valid_utf8("ok \xc3\xa9") == "ok \xc3\xa9");
}

TEST_CASE("iso8601 is UTC with whole seconds", "[text]") {
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) +
           std::chrono::milliseconds(900);
  CHECK(text::iso8601(t) == "2023-11-14T22:13:20Z");
}

TEST_CASE("parse_iso8601 reads tor's times as UTC and refuses what is no date", "[text]") {
  auto t = text::parse_iso8601("2023-11-14T22:13:20.5");
  REQUIRE(t);
  CHECK(text::iso8601(*t) == "2023-11-14T22:13:20Z");
  CHECK(text::parse_iso8601("2023-11-14 22:13:20"));
  CHECK_FALSE(text::parse_iso8601("2023-02-31T00:00:00"));
  CHECK_FALSE(text::parse_iso8601("4052-01-01T00:00:00"));  // beyond the clock
  CHECK_FALSE(text::parse_iso8601("2023-11-14T22:13"));
  CHECK_FALSE(text::parse_iso8601("2023-11-14T22:13:20x"));
}

TEST_CASE("printable: control characters, C1, bidi overrides and bad bytes are escaped") {
  using relaymon::text::printable;
  CHECK(printable("a\x1b]0;t\x07z") == "a\\x1b]0;t\\x07z");
  CHECK(printable("\xc2\x9b"
                  "2J") == "\\x9b2J");                // C1 CSI as UTF-8
  CHECK(printable("x\xe2\x80\xaey") == "x\\u202ey");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(printable("\xff") == "\\xff");
  CHECK(printable("caf\xc3\xa9 \xe2\x96\x88") == "caf\xc3\xa9 \xe2\x96\x88");  // text stays
  CHECK(printable("a\nb\tc") == "a\\x0ab\\x09c");
  CHECK(printable("a\nb\tc", true) == "a\nb\tc");
}

TEST_CASE("json_printable: C1, DEL and bidi overrides as JSON escapes, the rest untouched") {
  using relaymon::text::json_printable;
  CHECK(json_printable("{\"a\":\"\xc2\x9b\"}") == "{\"a\":\"\\u009b\"}");
  CHECK(json_printable("{\"a\":\"\x7f\xe2\x80\xae\"}") == "{\"a\":\"\\u007f\\u202e\"}");
  CHECK(json_printable("{\"a\":\"caf\xc3\xa9\"}") == "{\"a\":\"caf\xc3\xa9\"}");
  CHECK(json_printable("\xff") == "\xef\xbf\xbd");
}
