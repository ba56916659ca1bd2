// What enters the model's log is scrubbed there, once: tor's log lines
// (SafeLogging may be off), STATUS lines, and the events chosen for the log
// page, from recorded CIRC and STREAM events of the loopback network.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "control/framing.h"
#include "model/assemble.h"
#include "model/relay_state.h"
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

// The entry a RelayState logs for one event chosen for the log.
model::LogEntry logged(const control::Event& event) {
  model::RelayState state;
  state.set_logged_events({event.type});
  state.apply_event(event, model::TimePoint{});
  auto log = model::assemble_state(state, model::TimePoint{}).log;
  REQUIRE(log.size() == 1);
  return log.back();
}

}  // namespace

TEST_CASE("a recorded CIRC event becomes a log line named CIRC, unchanged", "[logged_events]") {
  std::string line = first_event("650 CIRC ");
  auto entry = logged(parse(line));
  CHECK(entry.severity == "CIRC");
  CHECK(entry.source == model::LogSource::kTor);
  CHECK(entry.message == line.substr(9));  // no addresses in it: nothing scrubbed
}

TEST_CASE("a recorded STREAM event loses its target and SOCKS credentials", "[logged_events]") {
  std::string line = first_event("650 STREAM ");
  INFO(line);
  auto entry = logged(parse(line));
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

TEST_CASE("split_words", "[logged_events]") {
  CHECK(text::split_words("  NOTICE WARN\tERR ") ==
        std::vector<std::string>{"NOTICE", "WARN", "ERR"});
  CHECK(text::split_words("").empty());
}

TEST_CASE("events not chosen for the log are not logged", "[logged_events]") {
  model::RelayState state;
  state.apply_event(parse(first_event("650 CIRC ")), model::TimePoint{});
  CHECK(model::assemble_state(state, model::TimePoint{}).log.empty());
}

TEST_CASE("tor's log and STATUS text is scrubbed as it enters the model", "[logged_events]") {
  model::RelayState state;
  state.apply_event(parse("650 NOTICE Connection from 203.0.113.5:4444 refused"), {});
  state.apply_event(
      parse("650 STATUS_CLIENT WARN DANGEROUS_SOCKS PROTOCOL=SOCKS5 ADDRESS=198.51.100.2:443"), {});
  state.apply_event(parse("650 WARN Passing request for \"secret.example\" to exit"), {});
  auto log = model::assemble_state(state, model::TimePoint{}).log;
  REQUIRE(log.size() == 3);
  CHECK(log[0].message == "Connection from [scrubbed]:4444 refused");
  CHECK(log[1].message.find("198.51.100.2") == std::string::npos);
  CHECK(log[1].message.find("ADDRESS=[scrubbed]") != std::string::npos);
  CHECK(log[2].message == "Passing request for \"[scrubbed]\" to exit");
}
