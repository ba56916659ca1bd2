// orconn-status is asked every poll; an answer equal to the last one is
// not parsed again, and the list a classification holds is shared, not
// copied (issue 16). A different answer always replaces it.
#include <catch2/catch.hpp>
#include <string>

#include "model/assemble.h"
#include "model/relay_state.h"

using namespace relaymon::model;

TEST_CASE("an unchanged orconn-status is kept, a changed one replaces it", "[model][orconns]") {
  const std::string fp(40, 'A');
  const std::string first = "$" + fp + "~one CONNECTED\n192.0.2.9:4444 CONNECTED\n";
  RelayState state;
  auto now = Clock::now();
  state.apply_info("orconn-status", first, now);
  REQUIRE(state.orconns().size() == 2);
  auto version = state.orconns_version();
  auto held = state.orconns();  // what a classification in flight keeps

  state.apply_info("orconn-status", first, now);
  CHECK(state.orconns_version() == version);
  CHECK(state.orconns().same(held));

  // One more connection: a new list; the held one is untouched.
  state.apply_info("orconn-status", first + "192.0.2.10:5555 CONNECTED\n", now);
  CHECK(state.orconns_version() == version + 1);
  CHECK(state.orconns().size() == 3);
  CHECK(held.size() == 2);
  CHECK_FALSE(state.orconns().same(held));
  // The snapshot's view follows the new list.
  CHECK(assemble_state(state, now).orconns.size() == 3);

  // Same length, different text (another client): replaced too.
  const std::string other = "$" + fp + "~one CONNECTED\n192.0.2.8:4444 CONNECTED\n";
  REQUIRE(other.size() == first.size());
  state.apply_info("orconn-status", first, now);
  state.apply_info("orconn-status", other, now);
  REQUIRE(state.orconns()[1].address);
  CHECK(state.orconns()[1].address->ip.to_string() == "192.0.2.8");

  // Empty (no OR connections): an empty list.
  state.apply_info("orconn-status", "", now);
  CHECK(state.orconns().empty());
}
