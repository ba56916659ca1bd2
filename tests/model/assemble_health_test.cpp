// assemble(): the poll's health reaches the snapshot, and the header's
// "observed" bandwidth is the descriptor's, not the consensus weight.
#include <catch2/catch.hpp>

#include "model/assemble.h"
#include "model/relay_state.h"

using namespace relaymon;

TEST_CASE("assemble: health from the poll, observed bandwidth from the descriptor, weight apart",
          "[assemble]") {
  model::RelayState state;
  auto now = model::Clock::now();
  state.apply_info("fingerprint", "C1E4F4E422E94DE176CCC8FB8021D27C170851FE", now);
  state.apply_info("ns/id/C1E4F4E422E94DE176CCC8FB8021D27C170851FE",
                   "r middle1 weTk5CLpTeF2zMj7gCHSfBcIUf4 2026-12-06 18:35:34 127.0.0.1 5004 0\n"
                   "s Fast Guard Running Valid\n"
                   "w Bandwidth=1000 Unmeasured=1",
                   now);
  model::PollResult poll;
  poll.health.overload.bandwidth_observed = 5'300'000;
  poll.health.overload.state.level = model::HealthLevel::kOk;
  model::Snapshot s = model::assemble(state, poll, now, "host");
  CHECK(s.tor.bandwidth_observed == 5'300'000u);
  CHECK(s.tor.consensus_weight == 1000u);
  CHECK(s.tor.weight_unmeasured == true);
  CHECK(s.health.overload.state.level == model::HealthLevel::kOk);
  // Before the first health update nothing is made up.
  model::Snapshot fresh = model::assemble(state, model::PollResult{}, now, "host");
  CHECK_FALSE(fresh.tor.bandwidth_observed);
}
