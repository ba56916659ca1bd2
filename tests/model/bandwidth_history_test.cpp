// The graph's history per interval (model/bandwidth_history.h): each
// interval fills from its own buckets, and tor's start-up spike is flagged.
#include <catch2/catch.hpp>

#include "model/assemble.h"
#include "model/bandwidth_history.h"
#include "model/relay_state.h"

using namespace relaymon;
using namespace std::chrono_literals;

namespace {
model::TimePoint t0() {
  return model::TimePoint(std::chrono::seconds(20833L * 86400));  // midnight UTC
}
}  // namespace

TEST_CASE("each interval keeps its own buckets: a day of samples fills 'daily'",
          "[bandwidth_history]") {
  model::BandwidthHistory history(600);
  // Two days of one sample per second: 1000 B/s the first day, 3000 the second.
  for (long s = 0; s < 2 * 86400; ++s) {
    std::uint64_t v = s < 86400 ? 1000 : 3000;
    history.add({t0() + std::chrono::seconds(s), v, v / 2});
  }
  auto series = history.series();
  REQUIRE(series.size() == model::BandwidthHistory::intervals().size());
  const auto& daily = series.back();
  CHECK(daily.seconds == 86400);
  REQUIRE(daily.samples.size() == 2);
  CHECK(daily.samples[0].read == 1000);
  CHECK(daily.samples[1].read == 3000);
  CHECK(daily.samples[1].written == 1500);
  const auto& half_hour = series[5];
  CHECK(half_hour.seconds == 1800);
  CHECK(half_hour.samples.size() == 96);  // two days of 30-minute buckets
  CHECK(series[0].samples.size() == 600);  // the 1 s ring keeps its bound
}

TEST_CASE("tor's start-up spike in bw-event-cache is flagged and kept off the buckets",
          "[bandwidth_history]") {
  std::vector<model::BandwidthSample> cache;
  cache.push_back({t0(), 4'000'000'000ULL, 3'000'000'000ULL});  // the whole start-up at once
  for (int i = 1; i < 60; ++i) cache.push_back({t0() + std::chrono::seconds(i), 20'000, 30'000});
  model::flag_startup_spikes(cache);
  CHECK(cache[0].spike);
  CHECK_FALSE(cache[1].spike);
  auto series = model::history_of(cache);
  CHECK(series[0].samples.front().read == 20'000);  // the spike is not traffic
  // A busy relay's first seconds are no spike.
  std::vector<model::BandwidthSample> busy;
  for (int i = 0; i < 60; ++i) {
    busy.push_back({t0() + std::chrono::seconds(i), 50'000'000, 50'000'000});
  }
  model::flag_startup_spikes(busy);
  CHECK_FALSE(busy[0].spike);
  // Over twice the burst limit is a spike even when the rest is busy too.
  busy[0].read = 500'000'000;
  model::flag_startup_spikes(busy, 100'000'000);
  CHECK(busy[0].spike);
}

TEST_CASE("the relay state fills the history from bw-event-cache and BW events",
          "[bandwidth_history]") {
  model::RelayState state;
  state.apply_info("bw-event-cache", "9999999999,9999999999 100,200 300,400", t0());
  control::Event bw;
  bw.type = "BW";
  bw.payload = control::BwEvent{500, 600};
  state.apply_event(bw, t0() + 1s);
  auto s = model::assemble_state(state, t0() + 1s);
  REQUIRE(s.bandwidth.size() == 4);
  CHECK(s.bandwidth[0].spike);
  REQUIRE(s.bandwidth_history.size() == 8);
  std::uint64_t total = 0;
  for (const auto& b : s.bandwidth_history[0].samples) total += b.read;
  CHECK(total == 100 + 300 + 500);
}
