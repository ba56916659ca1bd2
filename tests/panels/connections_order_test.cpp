// A frame sorts only the screenful it shows (visible_connections' `sorted`
// prefix): that prefix must be exactly the full sort's, for every sort key,
// both directions, with many ties (same category, country, state, age) and
// a filter.
#include <catch2/catch.hpp>

#include <random>

#include "panels/connections.h"
#include "sample.h"

using namespace relaymon;
using model::Category;
using model::Direction;

namespace {

model::Snapshot many_connections() {
  model::Snapshot s;
  std::mt19937 rng(7);
  const Category categories[] = {Category::kInboundRelay, Category::kOutboundRelay, Category::kExit,
                                 Category::kInboundClient};
  const char* countries[] = {"DE", "FR", "US", ""};
  for (int i = 0; i < 2000; ++i) {
    auto c = panels::test::connection(categories[rng() % 4], Direction::kInbound,
                                      "198.51.100." + std::to_string(rng() % 5),
                                      static_cast<std::uint16_t>(9000 + rng() % 3),
                                      countries[rng() % 4], std::chrono::seconds(rng() % 10));
    c.local.port = static_cast<std::uint16_t>(rng() % 4);  // ties down to the last key
    c.rate_in = rng() % 3;
    c.bytes_in = rng() % 2 ? std::optional<std::uint64_t>(rng() % 3) : std::nullopt;
    c.state = rng() % 2 ? "ESTAB" : "SYN-SENT";
    c.relay_nickname = rng() % 2 ? "near" : "";
    s.connections.edit().push_back(c);
  }
  return s;
}

}  // namespace

TEST_CASE("a sorted prefix is the full sort's prefix, ties included", "[panels][connections]") {
  const auto s = many_connections();
  for (int sort = 0; sort <= static_cast<int>(panels::ConnSort::kState); ++sort) {
    for (bool descending : {false, true}) {
      for (bool filtered : {false, true}) {
        panels::ConnectionsView view;
        view.sort = static_cast<panels::ConnSort>(sort);
        view.descending = descending;
        if (filtered) view.filter = Category::kExit;
        auto full = panels::visible_connections(s, view);
        auto prefix = panels::visible_connections(s, view, 60);
        INFO("sort " << sort << (descending ? " reversed" : "") << (filtered ? " exits" : ""));
        REQUIRE(full.size() == prefix.size());
        REQUIRE(full.size() > 60);
        CHECK(std::equal(full.begin(), full.begin() + 60, prefix.begin()));
        // The full sort keeps the snapshot's order among exact ties.
        CHECK(full == panels::visible_connections(s, view, full.size()));
      }
    }
  }
}
