// The circuits page and JSON list circuits by their numeric id (tor's ids
// are numbers; ordered as text "106" came before "42"), and keep what
// relaymon counted of each across polls.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "control/events.h"
#include "control/framing.h"
#include "model/assemble.h"
#include "model/relay_state.h"

using namespace relaymon::model;

TEST_CASE("circuits come in the order of their numeric ids", "[model][circuits]") {
  RelayState state;
  for (const char* id : {"106", "42", "7", "1000"}) {
    relaymon::control::Event circ;
    circ.type = "CIRC";
    circ.payload =
        relaymon::control::CircEvent{id, "BUILT", {}, {}, "GENERAL", "", "", "", "", "", {}, {}};
    state.apply_event(circ, Clock::now());
  }
  Snapshot s = assemble_state(state, Clock::now());
  REQUIRE(s.circuits.size() == 4);
  CHECK(s.circuits[0].id == "7");
  CHECK(s.circuits[1].id == "42");
  CHECK(s.circuits[2].id == "106");
  CHECK(s.circuits[3].id == "1000");
}

namespace {

relaymon::control::Event recorded_event(const std::string& line) {
  relaymon::control::ReplyFramer framer;
  std::vector<relaymon::control::Reply> replies;
  REQUIRE_FALSE(framer.feed(line + "\r\n", replies).has_value());
  REQUIRE(replies.size() == 1);
  auto parsed = relaymon::control::parse_event(replies[0]);
  REQUIRE(std::holds_alternative<relaymon::control::Event>(parsed));
  return std::get<relaymon::control::Event>(parsed);
}

}  // namespace

// The poll asks GETINFO circuit-status every few seconds; it used to
// rebuild the circuit list and so reset every circuit's CIRC_BW bytes to
// zero (seen in CI: a busy client's circuits page showed "0 B" on every
// row between events). Lines as tor 0.4.9.11 sends them on the loopback network.
TEST_CASE("a polled circuit-status keeps the bytes CIRC_BW counted and drops closed circuits",
          "[model][circuits]") {
  const std::string path =
      "$990D7A357D9BE3DA34DD8C7A6FFDF090B5FA2924~middle2,"
      "$2DA2279C6CB7844D180C3C33F3D9F5089061A3FA~middle1,"
      "$CB1CAC4E24E55D464AEF2A380AD3DAD3F13FD0FB~exit2";
  auto circuit_line = [&](const std::string& id) {
    return id + " BUILT " + path +
           " BUILD_FLAGS=NEED_CAPACITY,NEED_UPTIME PURPOSE=GENERAL"
           " TIME_CREATED=2026-11-22T00:54:20.595600";
  };
  auto bytes = [](const std::string& id, int read, int written) {
    return "650 CIRC_BW ID=" + id + " READ=" + std::to_string(read) +
           " WRITTEN=" + std::to_string(written) +
           " TIME=2026-11-22T00:55:39.836595 DELIVERED_READ=137 OVERHEAD_READ=859"
           " DELIVERED_WRITTEN=334 OVERHEAD_WRITTEN=662 SS=1 CWND=124 RTT=0 MIN_RTT=0";
  };
  RelayState state;
  const TimePoint start = Clock::now();
  state.apply_info("circuit-status", circuit_line("20") + "\n" + circuit_line("21"), start);
  state.apply_event(recorded_event(bytes("20", 1018, 509)), start);
  state.apply_event(recorded_event(bytes("20", 2036, 1018)), start);
  state.apply_event(recorded_event(bytes("21", 509, 0)), start);

  // The next poll: circuit 21 closed meanwhile (its CLOSED event missed).
  const TimePoint later = start + std::chrono::seconds(5);
  state.apply_info("circuit-status", circuit_line("20"), later);
  state.apply_event(recorded_event(bytes("20", 509, 509)), later);

  Snapshot s = assemble_state(state, later);
  REQUIRE(s.circuits.size() == 1);
  CHECK(s.circuits[0].id == "20");
  CHECK(s.circuits[0].bytes_read == 1018 + 2036 + 509);
  CHECK(s.circuits[0].bytes_written == 509 + 1018 + 509);
  CHECK(s.circuits[0].first_seen == start);
  CHECK(s.circuits[0].path.size() == 3);
}
