// One TUI frame as the program makes it: take the relay's newest snapshot
// from the monitor's state (model::assemble, which shares the big parts
// with the previous snapshot instead of copying them), lay the screen out
// and draw the page. Issue 10 measured this before and after: taking the
// snapshot used to copy it whole (every connection, the torrc, the rings).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "model/assemble.h"
#include "model/relay_state.h"
#include "panels/screen.h"
#include "ui/canvas.h"

namespace {

using namespace relaymon;

std::vector<model::Connection> connections(int sockets) {
  std::vector<model::Connection> out;
  for (int i = 0; i < sockets; ++i) {
    model::Connection c;
    c.category = static_cast<model::Category>(i % 12);
    c.state = "ESTAB";
    c.local = {"203.0.113.5", 9001};
    c.remote = {fmt::format("198.{}.{}.{}", i / 65536 % 256, i / 256 % 256, i % 256),
                static_cast<std::uint16_t>(1024 + i % 60000)};
    c.country = "DE";
    c.relay_nickname = fmt::format("relay{}", i % 7000);
    c.relay_fingerprint = fmt::format("{:040X}", i);
    c.bytes_in = static_cast<std::uint64_t>(i) * 1000;
    out.push_back(std::move(c));
  }
  return out;
}

// range(0): the page; range(1): 1 for a 100,000-line torrc.
void BM_FrameFromState(benchmark::State& state) {
  model::RelayState relay;
  relay.connected("127.0.0.1:9051", model::AuthMethod::kSafeCookie, model::Clock::now());
  model::PollResult poll;
  poll.connections = connections(30'000);
  model::TorConfig config;
  for (int i = 0; i < 100'000 * state.range(1); ++i) {
    config.torrc_lines.push_back(fmt::format("ExitPolicy accept 10.{}.{}.0/24:443 # line {}",
                                             i / 256 % 256, i % 256, i));
  }
  relay.set_config(std::move(config));
  panels::ScreenState screen;
  screen.page = static_cast<panels::Page>(state.range(0));
  ui::TextCanvas canvas(120, 40, false);
  for (auto _ : state) {
    model::SnapshotPtr shown = std::make_shared<const model::Snapshot>(
        model::assemble(relay, poll, model::Clock::now(), "bench"));
    panels::layout_screen(screen, *shown, canvas.width(), canvas.height());
    panels::draw_screen(*shown, screen, canvas);
    benchmark::DoNotOptimize(canvas.cell(0, 0));
  }
}
// Connections page with 30,000 connections; torrc page with a 100,000-line torrc.
BENCHMARK(BM_FrameFromState)
    ->Args({static_cast<int>(panels::Page::kConnections), 0})
    ->Args({static_cast<int>(panels::Page::kTorrc), 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
