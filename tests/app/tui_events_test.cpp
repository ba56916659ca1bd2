// Events chosen for the log page become scrubbed log lines: recorded CIRC
// and STREAM events from the loopback network, plus hand-written ORCONN and
// ADDRMAP lines for what the recording lacks (an unauthenticated client
// named by its address; a user's address mapping).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "app/tui_events.h"
#include "control/framing.h"
#include "text/text.h"
#include "ui/text.h"

using namespace relaymon;

namespace {

std::string first_event(const std::string& prefix) {
  std::ifstream in(std::string(RELAYMON_FIXTURES) +
                   "/tor-0.4.9.11-testnet/control/client-labclient7/events-raw.txt");
  REQUIRE(in.good());
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(prefix, 0) == 0) return line;
  }
  FAIL("no recorded event starting with " << prefix);
  return {};
}

control::Event parse(const std::string& line) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(line + "\r\n", replies).has_value());
  REQUIRE(replies.size() == 1);
  auto parsed = control::parse_event(replies[0]);
  REQUIRE(std::holds_alternative<control::Event>(parsed));
  return std::get<control::Event>(parsed);
}

}  // namespace

TEST_CASE("a recorded CIRC event becomes a log line named CIRC, unchanged", "[tui_events]") {
  std::string line = first_event("650 CIRC ");
  auto entry = app::event_log_entry(parse(line), model::TimePoint{});
  CHECK(entry.severity == "CIRC");
  CHECK(entry.source == model::LogSource::kTor);
  CHECK(entry.message == line.substr(9));  // no addresses in it: nothing scrubbed
}

TEST_CASE("a recorded STREAM event loses its target and SOCKS credentials", "[tui_events]") {
  std::string line = first_event("650 STREAM ");
  INFO(line);
  auto entry = app::event_log_entry(parse(line), model::TimePoint{});
  CHECK(entry.severity == "STREAM");
  CHECK(entry.message.find("127.0.0.1") == std::string::npos);
  CHECK(entry.message.find(".exit") == std::string::npos);
  auto words = text::split_words(entry.message);
  REQUIRE(words.size() > 4);
  CHECK(words[3].rfind("[scrubbed]:", 0) == 0);
  if (line.find("SOCKS_USERNAME=") != std::string::npos) {
    CHECK(entry.message.find("SOCKS_USERNAME=[scrubbed]") != std::string::npos);
    CHECK(entry.message.find("SOCKS_PASSWORD=\"x\"") == std::string::npos);
  }
}

TEST_CASE("split_words", "[tui_events]") {
  CHECK(text::split_words("  NOTICE WARN\tERR ") ==
        std::vector<std::string>{"NOTICE", "WARN", "ERR"});
  CHECK(text::split_words("").empty());
}
