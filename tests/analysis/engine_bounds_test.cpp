// The alert engine's memory is bounded whatever tor logs: found by the soak
// test (tests/soak/soak.py), where a tor logging a new WARN message every
// few milliseconds grew relaymon by ~1.5 MB/s, each distinct message being
// an alert kept for tor-warnings' 600 s clear time.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "analysis/alerts.h"
#include "synthetic.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("synthetic: thousands of distinct tor warnings keep a bounded number of alerts",
          "[engine]") {
  analysis::Engine engine;
  model::RelayState state;
  long sent = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 200; ++i) {
      state.apply_event(log_event("WARN", fmt::format("unique warning {}", sent++)), at(round));
    }
    engine.evaluate(with_state(healthy_relay(), state, at(round)), at(round));
  }
  auto alerts = engine.alerts();
  // 10,000 distinct messages within the clear time: 64 tracked ones plus
  // one overflow alert that counts the rest (and no cleared ones yet).
  CHECK(alerts.size() <= 65);
  auto overflow = std::find_if(alerts.begin(), alerts.end(), [](const model::Alert& a) {
    return a.subject == "(further subjects)";
  });
  REQUIRE(overflow != alerts.end());
  CHECK(overflow->id == "tor-warnings");
  CHECK(overflow->count > 0);
  // The first subjects are still the real messages.
  CHECK(std::count_if(alerts.begin(), alerts.end(), [](const model::Alert& a) {
          return a.subject.rfind("unique warning ", 0) == 0;
        }) == 64);
}
