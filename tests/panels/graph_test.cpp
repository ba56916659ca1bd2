// The overview graph: a time axis, what the average covers, tor's totals,
// labels never cut, and `s` cycling to the connection and resource graphs
// fed by the relay state's per-poll figures.
#include <catch2/catch.hpp>

#include "model/assemble.h"
#include "model/bandwidth_history.h"
#include "model/relay_state.h"
#include "panels/graph.h"
#include "sample.h"

using namespace relaymon;

namespace {

std::string screen_of(const model::Snapshot& s, const panels::GraphView& view, int w, int h) {
  ui::TextCanvas c(w, h);
  panels::draw_graph(s, view, c);
  std::string out;
  for (const auto& row : c.rows()) out += row + "\n";
  return out;
}

}  // namespace

TEST_CASE("graph: time axis, average with its span, tor's totals, whole labels",
          "[panels][graph]") {
  model::Snapshot s = panels::test::sample();
  s.bandwidth.edit().clear();
  for (int i = 0; i < 100; ++i) {
    s.bandwidth.edit().push_back({s.taken - std::chrono::seconds(99 - i), 10854, 5000});
  }
  s.bandwidth_history = model::history_of(s.bandwidth);
  s.tor.traffic_read = 2'147'483'648;
  s.tor.traffic_written = 1'073'741'824;
  s.tor.bandwidth_observed = 3'250'000;
  std::string wide = screen_of(s, {}, 120, 12);
  INFO(wide);
  CHECK(wide.find("10.6 KiB/s ") != std::string::npos);  // the axis label whole
  // The average covers the columns shown (48 seconds beside a 10-column axis).
  CHECK(wide.find("avg 10.6 KiB/s over 48s, total 2.0 GiB") != std::string::npos);
  CHECK(wide.find("total 1.0 GiB") != std::string::npos);
  CHECK(wide.find("10s") != std::string::npos);
  CHECK(wide.find("40s") != std::string::npos);
  CHECK(wide.find("...") == std::string::npos);

  // 80 columns: the title keeps the observed bandwidth whole and drops
  // what does not fit, never cutting a number.
  std::string narrow = screen_of(s, {}, 80, 8);
  INFO(narrow);
  CHECK(narrow.find("observed 3.1 MiB/s") != std::string::npos);
  CHECK(narrow.find("...") == std::string::npos);
  CHECK(narrow.find("avg 10.6 KiB/s over 28s, total 2.0 GiB") != std::string::npos);
}

TEST_CASE("graph: s shows the connections and tor's CPU and memory from each poll",
          "[panels][graph]") {
  model::RelayState state;
  auto t = panels::test::t0() - std::chrono::seconds(60);
  for (int i = 0; i < 12; ++i) {
    model::TorProcess p;
    p.pid = 42;
    p.cpu_percent = 3.0;
    p.rss_bytes = 125'829'120;  // 120 MiB
    state.set_process(p);
    state.add_poll_figures(t + std::chrono::seconds(5 * i), 12, 30);
  }
  model::Snapshot s = model::assemble_state(state, panels::test::t0());
  panels::GraphView view;
  REQUIRE(panels::handle_graph_key(view, 's').handled);
  std::string connections = screen_of(s, view, 80, 10);
  INFO(connections);
  CHECK(connections.rfind("Connections, each second, local max:", 0) == 0);
  CHECK(connections.find("Inbound: 12") != std::string::npos);
  CHECK(connections.find("Outbound: 30") != std::string::npos);
  CHECK(connections.find("avg 12 over") != std::string::npos);
  CHECK(connections.find("no data yet") == std::string::npos);

  panels::handle_graph_key(view, 's');
  std::string resources = screen_of(s, view, 80, 10);
  INFO(resources);
  CHECK(resources.rfind("tor's CPU and memory", 0) == 0);
  CHECK(resources.find("CPU: 3.0%") != std::string::npos);
  CHECK(resources.find("Memory: 120 MiB") != std::string::npos);

  panels::handle_graph_key(view, 's');
  CHECK(view.stat == panels::GraphStat::kBandwidth);
}
