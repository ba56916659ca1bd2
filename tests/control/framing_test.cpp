// Reply framing from tor's real bytes, and the malformed input it must reject.
#include <catch2/catch.hpp>

#include "control/framing.h"
#include "fixture_replies.h"

using namespace relaymon::control;
using namespace relaymon::control::testing;

namespace {

std::size_t count_lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

std::optional<FramingError> feed_all(std::string_view bytes, std::vector<Reply>& out,
                                     FramingLimits limits = {}) {
  ReplyFramer framer(limits);
  return framer.feed(bytes, out);
}

}  // namespace

TEST_CASE("a whole real session frames into one reply per command, plus its events") {
  std::string recv = read_fixture(std::string(kExit) + "session-recv.txt");
  std::string sent = read_fixture(std::string(kExit) + "session-sent.txt");
  auto replies = frame(recv);
  std::size_t answers = 0, events = 0;
  for (const auto& r : replies) (r.is_event() ? events : answers)++;
  CHECK(answers == count_lines(sent));
  CHECK(events > 0);
}

TEST_CASE("feeding a real session byte by byte gives the same replies as all at once") {
  std::string recv = read_fixture(std::string(kExit) + "session-recv.txt");
  auto whole = frame(recv);
  ReplyFramer framer;
  std::vector<Reply> pieces;
  for (char c : recv) REQUIRE_FALSE(framer.feed(std::string_view(&c, 1), pieces));
  REQUIRE(framer.idle());
  REQUIRE(pieces.size() == whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    REQUIRE(pieces[i].lines.size() == whole[i].lines.size());
    CHECK(pieces[i].lines.back().text == whole[i].lines.back().text);
  }
}

TEST_CASE("a real ns/all data block is unstuffed and ends before the lone dot") {
  Reply reply = single_reply(std::string(kExit) + "18-getinfo-ns_all.txt");
  REQUIRE(reply.lines.size() == 2);
  CHECK(reply.lines[0].separator == '+');
  CHECK(reply.lines[0].text == "ns/all=");
  CHECK(reply.lines[0].data.rfind("r ", 0) == 0);
  CHECK(reply.lines[0].data.find("\r") == std::string::npos);
  CHECK(reply.lines[0].data.find("\n.\n") == std::string::npos);
  CHECK(reply.lines[1].text == "OK");
  CHECK(reply.ok());
}

TEST_CASE("data block dot-unstuffing (spec sample)") {
  std::vector<Reply> out;
  REQUIRE_FALSE(feed_all("250+k=\r\n..leading dot\r\nplain\r\n.\r\n250 OK\r\n", out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].lines[0].data == ".leading dot\nplain\n");
}

TEST_CASE("events interleaved inside a multi-line reply come out separately (hand-written)") {
  std::vector<Reply> out;
  REQUIRE_FALSE(
      feed_all("250-version=0.4.9.11\r\n"
               "650 BW 10 20\r\n"
               "650-CONF_CHANGED\r\n"
               "250-uptime=5\r\n"
               "650-ContactInfo=x\r\n"
               "650 OK\r\n"
               "250 OK\r\n",
               out));
  REQUIRE(out.size() == 3);
  CHECK(out[0].is_event());
  CHECK(out[0].lines[0].text == "BW 10 20");
  CHECK(out[1].is_event());
  REQUIRE(out[1].lines.size() == 3);
  CHECK(out[1].lines[1].text == "ContactInfo=x");
  CHECK_FALSE(out[2].is_event());
  REQUIRE(out[2].lines.size() == 3);
  CHECK(out[2].lines[1].text == "uptime=5");
}

TEST_CASE("a 650+ event with a data block (spec sample)") {
  std::vector<Reply> out;
  REQUIRE_FALSE(feed_all(
      "650+NS\r\nr nick AAAA 2026-01-01 00:00:00 127.0.0.1 5000 0\r\n.\r\n650 OK\r\n", out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].is_event());
  CHECK(out[0].lines[0].data == "r nick AAAA 2026-01-01 00:00:00 127.0.0.1 5000 0\n");
}

TEST_CASE("malformed input is rejected with a reason") {
  std::vector<Reply> out;
  SECTION("LF-only lines") {
    auto error = feed_all("250 OK\n", out);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("CRLF"));
  }
  SECTION("bad status code") {
    auto error = feed_all("2x0 OK\r\n", out);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("malformed"));
  }
  SECTION("code out of range") {
    CHECK(feed_all("950 OK\r\n", out));
  }
  SECTION("missing separator") {
    CHECK(feed_all("250\r\n", out));
  }
  SECTION("wrong separator") {
    CHECK(feed_all("250*OK\r\n", out));
  }
  SECTION("over-long line without CRLF") {
    FramingLimits limits;
    limits.max_line = 1024;
    auto error = feed_all(std::string(2000, 'a'), out, limits);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("longer than 1024"));
  }
  SECTION("over-long line with CRLF") {
    FramingLimits limits;
    limits.max_line = 100;
    CHECK(feed_all("250 " + std::string(200, 'a') + "\r\n", out, limits));
  }
  SECTION("a reply larger than the reply limit") {
    FramingLimits limits;
    limits.max_reply = 1000;
    std::string big = "250+ns/all=\r\n";
    for (int i = 0; i < 100; ++i) big += "r some relay line\r\n";
    auto error = feed_all(big, out, limits);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("larger than 1000"));
  }
  CHECK(out.empty());
}

TEST_CASE("after an error the framer stays failed") {
  ReplyFramer framer;
  std::vector<Reply> out;
  REQUIRE(framer.feed("oops\r\n", out));
  CHECK(framer.feed("250 OK\r\n", out));
  CHECK(out.empty());
}

TEST_CASE("a missing terminator leaves the reply pending, not emitted") {
  ReplyFramer framer;
  std::vector<Reply> out;
  REQUIRE_FALSE(framer.feed("250-version=1\r\n250+x=\r\nabc\r\n", out));
  CHECK(out.empty());
  CHECK_FALSE(framer.idle());
}
