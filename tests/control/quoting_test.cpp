// Quoted strings and argument lists (control-spec 2.1, 2.1.1, 4.1), from
// real tor 0.4.9.11 lines and from the spec's escape rules.
#include <catch2/catch.hpp>

#include <string>

#include "control/quoting.h"

using relaymon::control::ArgList;
using relaymon::control::kMaxArgs;
using relaymon::control::ParseError;
using relaymon::control::quote;
using relaymon::control::quoted_length;
using relaymon::control::tokenize_args;
using relaymon::control::unquote;

namespace {

ArgList tokens_of(std::string_view text) {
  auto parsed = tokenize_args(text);
  if (auto* err = std::get_if<ParseError>(&parsed)) FAIL("tokenize failed: " << err->message);
  return std::get<ArgList>(parsed);
}

std::string error_of(std::string_view text) {
  auto parsed = tokenize_args(text);
  const auto* err = std::get_if<ParseError>(&parsed);
  REQUIRE(err != nullptr);
  return err->message;
}

}  // namespace

TEST_CASE("unquote: plain strings from real replies", "[quoting]") {
  // PROTOCOLINFO and STREAM values as tor 0.4.9.11 sent them.
  CHECK(unquote(R"("/var/lib/testnet/nodes/labexit4/control_auth_cookie")") ==
        "/var/lib/testnet/nodes/labexit4/control_auth_cookie");
  CHECK(unquote(R"("0.4.9.11")") == "0.4.9.11");
  CHECK(unquote(R"("w1r14")") == "w1r14");
  CHECK(unquote(R"("")") == "");
}

TEST_CASE("unquote: named escapes", "[quoting]") {
  CHECK(unquote(R"("a\\b")") == "a\\b");
  CHECK(unquote(R"("say \"hi\"")") == "say \"hi\"");
  CHECK(unquote(R"("l1\nl2\r\tx")") == "l1\nl2\r\tx");
  // Any other backslashed character is that character (control-spec 2.1.1).
  CHECK(unquote(R"("\x\q\ ")") == "xq ");
}

TEST_CASE("unquote: octal escapes of one to three digits", "[quoting]") {
  CHECK(unquote(R"("\0")") == std::string(1, '\0'));
  CHECK(unquote(R"("\12")") == "\n");
  CHECK(unquote(R"("\101BC")") == "ABC");
  CHECK(unquote(R"("\377")") == std::string(1, '\xff'));
  // Only three digits belong to the escape; the fourth is a character.
  CHECK(unquote(R"("\1011")") == "A1");
  CHECK(unquote(R"("\7x")") == "\a" + std::string("x"));
}

TEST_CASE("unquote: invalid input yields nullopt", "[quoting][malformed]") {
  CHECK_FALSE(unquote(""));
  CHECK_FALSE(unquote("\""));
  CHECK_FALSE(unquote("abc"));        // no quotes at all
  CHECK_FALSE(unquote("abc\""));      // no opening quote
  CHECK_FALSE(unquote("\"abc"));      // unterminated
  CHECK_FALSE(unquote(R"("abc\")"));  // the closing quote is escaped
  CHECK_FALSE(unquote(R"("abc\)"));   // backslash cut off at the end
  CHECK_FALSE(unquote(R"("\400")"));  // octal above \377
  CHECK_FALSE(unquote(R"("\777")"));
  CHECK_FALSE(unquote(R"("abc"x)"));       // text after the closing quote
  CHECK_FALSE(unquote(R"("abc" "def")"));  // two strings
}

TEST_CASE("quote: escapes what unquote reads back", "[quoting]") {
  CHECK(quote("") == R"("")");
  CHECK(quote("labpass") == R"("labpass")");
  CHECK(quote("a\"b\\c") == R"("a\"b\\c")");
  CHECK(quote("x\ny\rz\t") == R"("x\ny\rz\t")");
  CHECK(quote(std::string(1, '\x01')) == R"("\001")");
  CHECK(quote("\x7f") == R"("\177")");
  // Bytes >= 0x80 (UTF-8) are sent as they are.
  CHECK(quote("\xc3\xa9") == "\"\xc3\xa9\"");
}

TEST_CASE("quote then unquote returns every byte string unchanged", "[quoting]") {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  CHECK(unquote(quote(all)) == all);
  // Digits right after an octal escape must not be swallowed by it.
  const std::string tricky = std::string("\x01") + "234\x02" + "7";
  CHECK(unquote(quote(tricky)) == tricky);
}

TEST_CASE("quoted_length finds the closing quote past escapes", "[quoting]") {
  CHECK(quoted_length(R"("abc" rest)") == 5u);
  CHECK(quoted_length(R"("a\"b" rest)") == 6u);
  CHECK(quoted_length(R"("a\\" rest)") == 5u);
  CHECK_FALSE(quoted_length(R"("a\")"));
  CHECK_FALSE(quoted_length("abc"));
  CHECK_FALSE(quoted_length(""));
}

TEST_CASE("tokenize_args: a real STREAM event body", "[quoting]") {
  const auto args = tokens_of(
      "322 NEW 0 127.0.0.1:18080 SOURCE_ADDR=127.0.0.1:52184 PURPOSE=USER "
      "SOCKS_USERNAME=\"w1r15\" SOCKS_PASSWORD=\"x\" CLIENT_PROTOCOL=SOCKS5 NYM_EPOCH=0 "
      "SESSION_GROUP=-4 ISO_FIELDS=SOCKS_USERNAME,SOCKS_PASSWORD,CLIENTADDR,SESSION_GROUP,"
      "NYM_EPOCH");
  REQUIRE(args.positional == std::vector<std::string>{"322", "NEW", "0", "127.0.0.1:18080"});
  REQUIRE(args.keywords.size() == 8);
  CHECK(args.keywords[0].key == "SOURCE_ADDR");
  CHECK(args.keywords[0].value == "127.0.0.1:52184");
  CHECK(args.keywords[2].key == "SOCKS_USERNAME");
  CHECK(args.keywords[2].value == "w1r15");  // unquoted
  CHECK(*args.find("SESSION_GROUP") == "-4");
  CHECK(*args.find("ISO_FIELDS") ==
        "SOCKS_USERNAME,SOCKS_PASSWORD,CLIENTADDR,SESSION_GROUP,NYM_EPOCH");
}

TEST_CASE("tokenize_args: keyword case is kept, lookup ignores it", "[quoting]") {
  const auto args = tokens_of("VERSION Tor=\"0.4.9.11\"");
  REQUIRE(args.keywords.size() == 1);
  CHECK(args.keywords[0].key == "Tor");
  REQUIRE(args.find("TOR") != nullptr);
  CHECK(*args.find("tor") == "0.4.9.11");
  CHECK(args.find("Missing") == nullptr);
  CHECK_FALSE(args.has("VERSION"));  // a positional word is not a keyword
}

TEST_CASE("tokenize_args: relay names with '=' stay positional", "[quoting]") {
  // "$FP=nick" is the older LongName form; '$' is not a keyword character.
  const auto args = tokens_of(
      "12 EXTENDED $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=moria1,"
      "$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB~moria2 PURPOSE=GENERAL");
  REQUIRE(args.positional.size() == 3);
  CHECK(args.positional[2].find("=moria1,") != std::string::npos);
  REQUIRE(args.keywords.size() == 1);
}

TEST_CASE("tokenize_args: quoted positional, empty values, repeated spaces", "[quoting]") {
  const auto args =
      tokens_of("www.example.com 192.0.2.1  \"2024-01-01 00:00:00\" error= EXPIRES=\"x y\"");
  REQUIRE(args.positional.size() == 3);
  CHECK(args.positional[2] == "2024-01-01 00:00:00");
  REQUIRE(args.keywords.size() == 2);
  CHECK(args.keywords[0].key == "error");
  CHECK(args.keywords[0].value.empty());
  CHECK(args.keywords[1].value == "x y");
  const auto empty = tokens_of("");
  CHECK(empty.positional.empty());
  CHECK(empty.keywords.empty());
  CHECK(tokens_of("   ").positional.empty());
}

TEST_CASE("tokenize_args: malformed input is an error", "[quoting][malformed]") {
  CHECK_THAT(error_of("KEY=\"unterminated"), Catch::Contains("unterminated"));
  CHECK_THAT(error_of("\"unterminated positional"), Catch::Contains("unterminated"));
  CHECK_THAT(error_of("KEY=\"a\"b"), Catch::Contains("after a closing quote"));
  CHECK_THAT(error_of("KEY=\"\\400\""), Catch::Contains("bad escape"));
  CHECK_THAT(error_of("KEY=\"ends in backslash\\\""), Catch::Contains("unterminated"));
}

TEST_CASE("tokenize_args: more than kMaxArgs tokens is refused", "[quoting][malformed]") {
  std::string many;
  for (std::size_t i = 0; i <= kMaxArgs; ++i) many += "x ";
  CHECK_THAT(error_of(many), Catch::Contains("more than"));
  std::string enough;
  for (std::size_t i = 0; i < kMaxArgs; ++i) enough += "K=v ";
  CHECK(tokens_of(enough).keywords.size() == kMaxArgs);
}
