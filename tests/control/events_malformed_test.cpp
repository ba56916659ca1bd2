// Malformed events must give a ParseError naming the event and never throw.
#include <catch2/catch.hpp>

#include <map>

#include "control/events.h"
#include "event_helpers.h"

using namespace relaymon::control;
using namespace relaymon::control::testing;

TEST_CASE("malformed: not an event, empty, bad type", "[events][malformed]") {
  CHECK_THAT(error_of(Reply{}), Catch::Contains("empty"));
  CHECK_THAT(error_of(line_reply(250, ' ', "OK")), Catch::Contains("code 250"));
  CHECK_THAT(error_of(line_reply(650, ' ', "")), Catch::Contains("bad event type"));
  CHECK_THAT(error_of(line_reply(650, ' ', " BW 1 2")), Catch::Contains("bad event type"));
  CHECK_THAT(error_of(line_reply(650, ' ', "B$W 1 2")), Catch::Contains("bad event type"));
  Reply mixed = line_reply(650, '-', "CIRC 1 BUILT");
  mixed.lines.push_back(ReplyLine{250, ' ', "OK", ""});
  CHECK_THAT(error_of(mixed), Catch::Contains("code 250"));
}

TEST_CASE("malformed: missing fields and bad numbers", "[events][malformed]") {
  const std::pair<const char*, const char*> cases[] = {
      {"650 BW\r\n", "missing bytes read"},
      {"650 BW 12\r\n", "missing bytes written"},
      {"650 BW -1 2\r\n", "not a number"},
      {"650 BW 1 2x\r\n", "not a number"},
      {"650 BW 99999999999999999999999 2\r\n", "not a number"},  // overflows 64 bits
      {"650 CIRC\r\n", "missing circuit id"},
      {"650 CIRC 12\r\n", "missing circuit status"},
      {"650 CIRC 12345678901234567 BUILT\r\n", "bad circuit id"},  // more than 16
      {"650 CIRC 1 BUILT $ABC~short\r\n", "bad path"},
      {"650 CIRC 1 BUILT $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~\r\n", "bad path"},
      {"650 CIRC 1 BUILT $2AB6D6690E4C7C39B56B344E076D05AF95F79CBZ~x\r\n", "bad path"},
      {"650 CIRC 1 BUILT a,,b\r\n", "bad path"},
      {"650 CIRC 1 BUILT SOCKS_USERNAME=\"open\r\n", "unterminated"},
      {"650 STREAM 1 NEW 0\r\n", "missing target"},
      {"650 STREAM 1 NEW 0 example.com\r\n", "no port"},
      {"650 STREAM 1 NEW 0 example.com:99999\r\n", "bad port"},
      {"650 STREAM 1 NEW 0 :80\r\n", "no address"},
      {"650 STREAM 1 NEW 0 [::1:80\r\n", "bracketed"},
      {"650 STREAM 1 NEW 0 a:80 SOURCE_ADDR=nowhere\r\n", "SOURCE_ADDR"},
      {"650 ORCONN\r\n", "missing connection target"},
      {"650 ORCONN 127.0.0.1:5000\r\n", "missing connection status"},
      {"650 ORCONN $XYZ CONNECTED\r\n", "bad target"},
      {"650 ORCONN a:1 CLOSED NCIRCS=many\r\n", "NCIRCS"},
      {"650 ORCONN a:1 CLOSED ID=bad-id\r\n", "bad connection ID"},
      {"650 CIRC_BW READ=1 WRITTEN=2\r\n", "missing ID"},
      {"650 CIRC_BW ID=1 WRITTEN=2\r\n", "missing READ"},
      {"650 CIRC_BW ID=1 READ=1 WRITTEN=2 CWND=x\r\n", "CWND"},
      {"650 STREAM_BW 1 2\r\n", "missing bytes read"},
      {"650 CONN_BW ID=1 READ=1 WRITTEN=2\r\n", "missing TYPE"},
      {"650 CONN_BW ID=1 TYPE=OR READ=abc WRITTEN=2\r\n", "READ"},
      {"650 STATUS_CLIENT NOTICE\r\n", "missing action"},
      {"650 STATUS_SERVER\r\n", "missing severity"},
      {"650 STATUS_GENERAL WARN X ARG=\"open\r\n", "unterminated"},
      {"650 NEWDESC\r\n", "no relays"},
      {"650 NEWDESC $1234\r\n", "short fingerprint"},
      {"650 SIGNAL\r\n", "missing signal"},
      {"650 GUARD ENTRY $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7\r\n", "missing guard status"},
      {"650 NETWORK_LIVENESS\r\n", "missing status"},
      {"650 ADDRMAP a.example b.example\r\n", "missing expiry"},
      {"650 HS_DESC REQUESTED abc NO_AUTH\r\n", "missing HSDir"},
      {"650 NS\r\n", "no data block"},
      {"650 CONF_CHANGED extra\r\n", "unexpected text"},
  };
  for (const auto& [wire, expect] : cases) {
    INFO(wire);
    const std::string msg = wire_error(wire);
    CHECK_THAT(msg, Catch::Contains(expect));
    // Every message names the event type it came from.
    const std::string_view type = std::string_view(wire).substr(4);
    CHECK_THAT(msg, Catch::StartsWith(std::string(type.substr(0, type.find_first_of(" \r")))));
  }
}

TEST_CASE("malformed: CONF_CHANGED with a bad option line", "[events][malformed]") {
  CHECK_THAT(wire_error("650-CONF_CHANGED\r\n650-=value\r\n650 OK\r\n"),
             Catch::Contains("bad option name"));
  CHECK_THAT(wire_error("650-CONF_CHANGED\r\n650-Bad Key=1\r\n650 OK\r\n"),
             Catch::Contains("bad option name"));
}

TEST_CASE("malformed: an extra line of a known event with a broken quote", "[events][malformed]") {
  CHECK_THAT(wire_error("650-CIRC 1 BUILT\r\n650-X=\"open\r\n650 OK\r\n"),
             Catch::Contains("unterminated"));
}

TEST_CASE("no input makes parse_event throw: truncations and byte flips of real events",
          "[events][malformed]") {
  // A cheap deterministic stand-in until the fuzzer runs: every prefix of
  // one event of each captured type, and each byte replaced by a few
  // troublesome values.
  const auto client = frame_fixture(std::string(kClient) + "events-raw.txt");
  std::map<std::string, std::string> samples;
  for (const auto& r : client) samples.emplace(std::string(event_type(r)), r.lines[0].text);
  samples.emplace("CONF_CHANGED", "CONF_CHANGED");
  samples.emplace("ORCONN", "ORCONN $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~a CLOSED NCIRCS=1");
  samples.emplace("ADDRMAP", "ADDRMAP a b \"2024-01-01 00:00:00\" EXPIRES=\"x\"");
  REQUIRE(samples.size() >= 9);
  std::size_t parsed = 0;
  std::size_t errors = 0;
  for (const auto& [type, text] : samples) {
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      for (char sep : {' ', '-', '+'}) {
        Reply r = line_reply(650, sep, text.substr(0, cut), sep == '+' ? "x\n" : "");
        REQUIRE_NOTHROW(parse_event(r));
      }
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
      for (char bad : {'"', '\\', '=', ' ', '$', '~', ',', ':', '\0', '\xff'}) {
        std::string mutated = text;
        mutated[i] = bad;
        EventResult result{ParseError{}};
        REQUIRE_NOTHROW(result = parse_event(line_reply(650, ' ', mutated)));
        (std::holds_alternative<Event>(result) ? parsed : errors) += 1;
      }
    }
  }
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  CHECK(parsed > 0);
  CHECK(errors > 0);
}

TEST_CASE("malformed: error messages never repeat addresses from the event",
          "[events][malformed]") {
  // A client's or an exit destination's address must not reach a log.
  const char* cases[] = {
      "650 STREAM 1 NEW 0 198.51.100.23:99999\r\n",
      "650 STREAM 1 NEW 0 198.51.100.23\r\n",
      "650 STREAM 1 NEW 0 [198.51.100.23:80\r\n",
      "650 STREAM 1 NEW 0 a:80 SOURCE_ADDR=198.51.100.23\r\n",
      "650 ORCONN 198.51.100.23 CONNECTED\r\n",
      "650 ORCONN 198.51.100.23:70000 CONNECTED\r\n",
      "650 ORCONN a:1 CLOSED ID=198.51.100.23\r\n",
      "650 CIRC 198.51.100.23 BUILT\r\n",
      "650 CIRC_BW ID=1 READ=198.51.100.23 WRITTEN=1\r\n",
      "650 BW 198.51.100.23 1\r\n",
      "650 NEWDESC 198.51.100.23\r\n",
      "650 198.51.100.23 x\r\n",
  };
  for (const char* wire : cases) {
    INFO(wire);
    CHECK_THAT(wire_error(wire), !Catch::Contains("198.51.100"));
  }
}

TEST_CASE("spec sample: STATUS_SEVER, the old spelling of STATUS_SERVER", "[events]") {
  const Event e = parse_wire("650 STATUS_SEVER NOTICE GOOD_SERVER_DESCRIPTOR\r\n");
  CHECK(e.type == "STATUS_SEVER");
  CHECK(payload<StatusEvent>(e).action == "GOOD_SERVER_DESCRIPTOR");
}
