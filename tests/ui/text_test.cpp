// sanitize, UTF-8 width and wrapping: what stands between tor's text and
// the terminal.
#include <catch2/catch.hpp>

#include "ui/text.h"

using namespace relaymon::ui;

TEST_CASE("sanitize shows escape sequences escaped", "[ui][sanitize]") {
  CHECK(sanitize("\x1b[2J\x1b]0;owned\x07nick") == "\\x1b[2J\\x1b]0;owned\\x07nick");
  CHECK(sanitize("line\r\nnext\ttab") == "line\\x0d\\x0anext\\x09tab");
  CHECK(sanitize(std::string_view("nul\0byte", 8)) == "nul\\x00byte");
}

TEST_CASE("sanitize escapes DEL and C1 controls, raw or UTF-8 encoded", "[ui][sanitize]") {
  CHECK(sanitize("a\x7f"
                 "b") == "a\\x7fb");
  // U+009B (CSI) encoded in UTF-8 is a valid character and a control.
  CHECK(sanitize("a\xc2\x9b"
                 "31m") == "a\\x9b31m");
  CHECK(sanitize("\xc2\x85") == "\\x85");
  // A raw 0x9b byte is invalid UTF-8: escaped as a byte.
  CHECK(sanitize("a\x9b"
                 "31m") == "a\\x9b31m");
}

TEST_CASE("sanitize escapes invalid UTF-8 byte by byte", "[ui][sanitize]") {
  CHECK(sanitize("\xff\xfe") == "\\xff\\xfe");
  CHECK(sanitize("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
  CHECK(sanitize("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // a surrogate
  CHECK(sanitize("\xe2\x82") == "\\xe2\\x82");                    // truncated
  CHECK(sanitize("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST_CASE("sanitize escapes bidirectional overrides", "[ui][sanitize]") {
  CHECK(sanitize("abc\xe2\x80\xae"
                 "fed") == "abc\\u202efed");
  CHECK(sanitize("\xe2\x81\xa6x") == "\\u2066x");
}

TEST_CASE("sanitize keeps printable text and UTF-8", "[ui][sanitize]") {
  CHECK(sanitize("Bootstrapped 100% (done): Done") == "Bootstrapped 100% (done): Done");
  CHECK(sanitize("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8c\x8d") ==
        "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x8c\x8d");
  CHECK(sanitize("back\\slash") == "back\\slash");
  CHECK(sanitize("") == "");
}

TEST_CASE("display width counts cells, not bytes", "[ui][width]") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("caf\xc3\xa9") == 4);               // precomposed
  CHECK(display_width("cafe\xcc\x81") == 4);              // combining acute
  CHECK(display_width("\xe4\xb8\xad\xe6\x96\x87") == 4);  // two CJK, wide
  CHECK(display_width("\xf0\x9f\x8c\x8d") == 2);          // emoji
  CHECK(display_width("\x1b") == 1);                      // drawn as '?'
  CHECK(display_width("\xff") == 1);
  CHECK(char_width(0x1b) == -1);
  CHECK(char_width(0x9b) == -1);
  CHECK(char_width(0x7f) == -1);
}

TEST_CASE("fit and ellipsize never split a character", "[ui][width]") {
  CHECK(fit("hello", 3) == "hel");
  CHECK(fit("\xe4\xb8\xad\xe6\x96\x87", 3) == "\xe4\xb8\xad");
  CHECK(fit("\xe4\xb8\xad", 1) == "");
  CHECK(fit("caf\xc3\xa9!", 4) == "caf\xc3\xa9");
  CHECK(ellipsize("a long nickname", 8) == "a lon...");
  CHECK(ellipsize("short", 8) == "short");
  CHECK(ellipsize("abcdef", 3) == "abc");
  CHECK(pad_right("ab", 4) == "ab  ");
  CHECK(pad_left("ab", 4) == "  ab");
  CHECK(pad_left("abcdef", 4) == "abcd");
  CHECK(pad_right("\xe4\xb8\xad", 3) == "\xe4\xb8\xad ");
}

TEST_CASE("wrap breaks at spaces and splits long words", "[ui][wrap]") {
  CHECK(wrap("the quick brown fox", 10) == std::vector<std::string>{"the quick", "brown fox"});
  CHECK(wrap("abcdefghij", 4) == std::vector<std::string>{"abcd", "efgh", "ij"});
  CHECK(wrap("", 10) == std::vector<std::string>{""});
  CHECK(wrap("a  b", 10) == std::vector<std::string>{"a b"});
  CHECK(wrap("\xe4\xb8\xad\xe6\x96\x87", 1).size() == 2);  // no endless loop
  CHECK(wrap("abc", 0) == std::vector<std::string>{""});
}

TEST_CASE("decode_utf8 reports lengths and validity", "[ui][utf8]") {
  auto d = decode_utf8("\xe2\x82\xac", 0);
  CHECK(d.valid);
  CHECK(d.code_point == 0x20AC);
  CHECK(d.length == 3);
  auto bad = decode_utf8("\x80", 0);
  CHECK_FALSE(bad.valid);
  CHECK(bad.length == 1);
}

TEST_CASE("ellipsize_middle keeps both ends and never splits a character", "[ui][width]") {
  CHECK(ellipsize_middle("inbound-relay 127.0.0.1:33102", 20) == "inbound-r....1:33102");
  CHECK(ellipsize_middle("inbound-relay 127.0.0.1:33140", 20) == "inbound-r....1:33140");
  CHECK(display_width(ellipsize_middle("inbound-relay 127.0.0.1:33102", 20)) == 20);
  CHECK(ellipsize_middle("short", 8) == "short");
  CHECK(ellipsize_middle("abcdefgh", 5) == "ab...");  // too narrow: cut at the end
  std::string wide = ellipsize_middle(
      "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6"
      "end",
      8);
  CHECK(display_width(wide) <= 8);
  CHECK(wide.size() >= 3);
}
