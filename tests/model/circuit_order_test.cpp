// The circuits page and JSON list circuits by their numeric id (tor's ids
// are numbers; ordered as text "106" came before "42").
#include <catch2/catch.hpp>

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
