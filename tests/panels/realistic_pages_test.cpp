// Every page at 80x24 and 120x40 with realistic data (issue 15, item 7):
// long nicknames, IPv6 addresses, GiB figures, hundreds of rows. Whatever
// a page cuts, it never cuts a number or its unit ("12.3 Gi...", "4...").
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <regex>

#include "panels/screen.h"
#include "sample.h"

using namespace relaymon;
using namespace relaymon::panels::test;

namespace {

model::Snapshot realistic() {
  model::Snapshot s = exit_sample();
  s.relay.nickname = "AVeryLongRelayNickname19";
  s.tor.traffic_read = 5ull * 1024 * 1024 * 1024 * 1024;
  s.tor.traffic_written = 4ull * 1024 * 1024 * 1024 * 1024;
  s.tor.bandwidth_rate = 1ull << 30;
  s.tor.bandwidth_burst = 2ull << 30;
  s.tor.bandwidth_observed = 987654321;
  s.process.rss_bytes = 3ull << 30;
  auto& conns = s.connections.edit();
  for (int i = 0; i < 400; ++i) {
    auto c = connection(i % 2 ? Category::kInboundRelay : Category::kOutboundRelay,
                        i % 2 ? Direction::kInbound : Direction::kOutbound,
                        fmt::format("2001:db8:{:x}::{:x}", i, i + 1),
                        static_cast<std::uint16_t>(9001 + i), "DE", std::chrono::seconds(60 * i));
    c.key = static_cast<std::uint64_t>(i + 1000);
    c.relay_nickname = fmt::format("SomeQuiteLongNickname{:02}", i % 100);
    c.relay_fingerprint = fmt::format("{:040X}", i);
    c.bytes_in = (static_cast<std::uint64_t>(i) + 1) * 3'000'000'000ull;
    c.bytes_out = (static_cast<std::uint64_t>(i) + 1) * 2'900'000'000ull;
    c.rate_in = 1.5e6 * (i % 7);
    c.rate_out = 1.4e6 * (i % 5);
    conns.push_back(c);
  }
  std::vector<model::BandwidthSample> bw;
  for (int i = 0; i < 3600; ++i) {
    bw.push_back({s.taken - std::chrono::seconds(3600 - i), 123'456'789ull + i, 120'000'000ull});
  }
  s.bandwidth = bw;
  s.bandwidth_history = model::history_of(bw);
  return s;
}

// A number or a unit cut short by an ellipsis.
const std::regex kCutNumber(R"(([0-9]|[0-9] [KMGTP]i?|[0-9] [KMGTP]?i?B/?)\.\.\.)");

}  // namespace

TEST_CASE("every page at 80x24 and 120x40 with realistic data cuts no number or unit",
          "[panels][pages]") {
  use_utc();
  const model::Snapshot s = realistic();
  auto [w, h] = GENERATE(table<int, int>({{80, 24}, {120, 40}}));
  for (const panels::PageInfo& info : panels::pages()) {
    for (panels::ConnSort sort :
         {panels::ConnSort::kCategory, panels::ConnSort::kRate, panels::ConnSort::kBytes}) {
      panels::ScreenState state;
      state.page = info.page;
      state.connections.sort = sort;
      panels::layout_screen(state, s, w, h);
      ui::TextCanvas c(w, h);
      panels::draw_screen(s, state, c);
      std::string screen;
      for (const auto& row : c.rows()) screen += row + "\n";
      INFO(w << "x" << h << " page " << static_cast<int>(info.page) << "\n" << screen);
      CHECK_FALSE(std::regex_search(screen, kCutNumber));
      CHECK(c.outside_calls() == 0);
      if (info.page == panels::Page::kConnections && sort != panels::ConnSort::kCategory) {
        // The sorted-by figures are shown whole (GiB totals, rates).
        CHECK(screen.find(sort == panels::ConnSort::kRate ? "MiB/s" : "GiB") != std::string::npos);
      }
    }
  }
}
