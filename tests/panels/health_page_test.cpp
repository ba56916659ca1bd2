// The health page from a hand-built Health (the loopback network's tmux
// test shows it filled by the real program: tests/integration/net).
#include <catch2/catch.hpp>

#include <string>

#include "panels/health.h"
#include "panels/screen.h"
#include "sample.h"
#include "ui/text.h"

using namespace relaymon;
using relaymon::panels::test::sample;
using relaymon::panels::test::t0;

namespace {

std::string joined(const std::vector<ui::Segments>& lines) {
  std::string out;
  for (const auto& line : lines) {
    for (const auto& segment : line) out += segment.text;
    out += "\n";
  }
  return out;
}

model::Snapshot with_health() {
  model::Snapshot s = sample();
  s.relay.fingerprint = "1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B";
  s.relay.nickname = "labrelay3";
  model::Health& h = s.health;
  h.updated = t0();
  h.metrics_port = true;
  h.overload.state = {model::HealthLevel::kOk, "", "", t0(), "descriptor, MetricsPort"};
  h.overload.sockets_open = 45;
  h.overload.sockets_limit = 1024;
  h.overload.bandwidth_observed = 524288;
  h.dos.state = {model::HealthLevel::kWarning, "dos-rising", "DoS defenses rejected 43 in 60 min",
                 t0(), "MetricsPort"};
  h.dos.counters = {{"concurrent_conn_rejected", 62}};
  for (int i = 0; i < 5; ++i) h.dos.total.add(t0() + std::chrono::seconds(10 * i), i < 3 ? 19 : 62);
  h.memory.rss_bytes = 100u << 20;
  h.memory.max_in_queues = 1000u << 20;
  h.changes.push_back({t0() - std::chrono::seconds(60), "reachability",
                       model::HealthLevel::kUnknown, model::HealthLevel::kOk, ""});
  h.changes.push_back({t0(), "DoS/onionskins", model::HealthLevel::kOk,
                       model::HealthLevel::kWarning, "DoS defenses rejected 43 in 60 min"});
  return s;
}

}  // namespace

TEST_CASE("sparkline: one character per rise, scaled to the largest", "[health_page]") {
  model::CounterHistory h;
  CHECK(panels::sparkline(h, 10).empty());
  h.add(t0(), 0);
  CHECK(panels::sparkline(h, 10).empty());
  h.add(t0() + std::chrono::seconds(10), 0);
  h.add(t0() + std::chrono::seconds(20), 1);
  h.add(t0() + std::chrono::seconds(30), 100);
  CHECK(panels::sparkline(h, 10) == "_.#");
  CHECK(panels::sparkline(h, 2) == ".#");  // the newest rises
}

TEST_CASE("the health page: figures under each concern, the session's changes newest first",
          "[health_page]") {
  auto s = with_health();
  std::string page = joined(panels::health_lines(s, 120));
  INFO(page);
  CHECK(page.find("overload        ok") != std::string::npos);
  CHECK(page.find("sockets open: 45 of 1024") != std::string::npos);
  CHECK(page.find("concurrent_conn_rejected 62") != std::string::npos);
  CHECK(page.find("rejected in the last hour: 43") != std::string::npos);
  CHECK(page.find("[__#_] last 1 min") != std::string::npos);
  CHECK(page.find("tor's resident memory: 100 MiB (10% of MaxMemInQueues)") != std::string::npos);
  auto newest = page.find("10:00:00 DoS/onionskins: ok -> warning, DoS defenses rejected 43");
  auto older = page.find("09:59:00 reachability: unknown -> ok");
  CHECK(newest != std::string::npos);
  CHECK(older != std::string::npos);
  CHECK(newest < older);
}

TEST_CASE("the health page of a client, and before the first update, says why it is empty",
          "[health_page]") {
  auto s = sample();
  s.relay.fingerprint.clear();
  CHECK(joined(panels::health_lines(s, 80)).find("not a relay") != std::string::npos);
  s.relay.fingerprint = "1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B";
  CHECK(joined(panels::health_lines(s, 80)).find("no health figures yet") != std::string::npos);
}

TEST_CASE("the health page is page 8, scrolls, and fits 40 columns", "[health_page]") {
  auto s = with_health();
  panels::ScreenState state;
  panels::handle_key(state, '8', s);
  CHECK(state.page == panels::Page::kHealth);
  ui::TextCanvas canvas(40, 12);
  panels::layout_screen(state, s, 40, 12);
  panels::draw_screen(s, state, canvas);
  std::string screen;
  for (const auto& row : canvas.rows()) {
    CHECK(ui::display_width(row) <= 40);
    screen += row + "\n";
  }
  INFO(screen);
  CHECK(screen.find("Health of labrelay3") != std::string::npos);
  int top = state.health.scroll.top;
  panels::handle_key(state, ui::key::kDown, s);
  CHECK(state.health.scroll.top == top + 1);
}
