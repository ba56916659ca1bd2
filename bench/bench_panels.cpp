// The UI at relay scale (issue 6, "Speed"): one frame of the connections
// page with 30,000 tor sockets, drawn into a 200x60 cell grid, and the
// frame diff the curses backend does before writing. At one frame per
// second, under 20 ms per frame keeps the UI under 2% of one core.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "model/bandwidth_history.h"
#include "panels/screen.h"
#include "ui/canvas.h"

namespace {

using namespace relaymon;

model::Snapshot busy_relay(int sockets) {
  model::Snapshot s;
  s.taken = model::Clock::now();
  s.control.connected = true;
  s.relay.nickname = "busyrelay";
  s.relay.or_port = 9001;
  s.relay.address = "203.0.113.5";
  for (int i = 0; i < sockets; ++i) {
    model::Connection c;
    c.category = static_cast<model::Category>(i % 12);
    c.direction = i % 2 ? model::Direction::kInbound : model::Direction::kOutbound;
    c.state = i % 50 ? "ESTAB" : "SYN-SENT";
    c.local = {"203.0.113.5", 9001};
    c.remote = {fmt::format("198.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256),
                static_cast<std::uint16_t>(1024 + i % 60000)};
    c.country = i % 3 ? "DE" : "US";
    c.relay_nickname = fmt::format("relay{}", i % 7000);
    c.relay_fingerprint = fmt::format("{:040X}", i);
    c.bytes_in = static_cast<std::uint64_t>(i) * 1000;
    c.rate_in = i % 1000;
    c.first_seen = s.taken - std::chrono::seconds(i);
    s.connections.edit().push_back(std::move(c));
  }
  for (int i = 0; i < 120; ++i) {
    s.bandwidth.edit().push_back({s.taken - std::chrono::seconds(120 - i), 1000u * i, 500u * i});
  }
  s.bandwidth_history = model::history_of(s.bandwidth);
  return s;
}

void BM_ConnectionsFrame(benchmark::State& state) {
  const model::Snapshot s = busy_relay(static_cast<int>(state.range(0)));
  panels::ScreenState screen;
  screen.page = panels::Page::kConnections;
  screen.connections.sort = static_cast<panels::ConnSort>(state.range(1));
  ui::TextCanvas canvas(200, 60, false);
  for (auto _ : state) {
    panels::draw_screen(s, screen, canvas);
    benchmark::DoNotOptimize(canvas.cell(0, 0));
  }
}
// Sorted by category (the default) and by rate (every frame reorders).
BENCHMARK(BM_ConnectionsFrame)->Args({30'000, 0})->Args({30'000, 2})->Unit(benchmark::kMillisecond);

void BM_OverviewFrame(benchmark::State& state) {
  const model::Snapshot s = busy_relay(30'000);
  panels::ScreenState screen;
  ui::TextCanvas canvas(200, 60, false);
  for (auto _ : state) {
    panels::draw_screen(s, screen, canvas);
    benchmark::DoNotOptimize(canvas.cell(0, 0));
  }
}
BENCHMARK(BM_OverviewFrame)->Unit(benchmark::kMillisecond);

}  // namespace
