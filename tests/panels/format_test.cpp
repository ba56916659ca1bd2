#include <catch2/catch.hpp>

#include "model/bandwidth_history.h"
#include "panels/format.h"
#include "panels/graph.h"
#include "panels/header.h"
#include "sample.h"

using namespace relaymon;
using namespace std::chrono_literals;

TEST_CASE("sizes, rates and durations", "[panels][format]") {
  CHECK(panels::format_bytes(0) == "0 B");
  CHECK(panels::format_bytes(1023) == "1023 B");
  CHECK(panels::format_bytes(1536) == "1.5 KiB");
  CHECK(panels::format_bytes(125829120) == "120 MiB");
  CHECK(panels::format_bytes(5ULL << 40) == "5.0 TiB");
  CHECK(panels::format_rate(2048) == "2.0 KiB/s");
  CHECK(panels::format_rate(-5) == "0 B/s");
  CHECK(panels::format_rate(125000, true) == "1.0 Mb/s");
  CHECK(panels::format_rate(100, true) == "800 b/s");
  CHECK(panels::format_duration(42) == "42s");
  CHECK(panels::format_duration(125) == "2m 05s");
  CHECK(panels::format_duration(7300) == "2h 01m");
  CHECK(panels::format_duration(90000) == "1d 01h");
  CHECK(panels::format_duration(-3) == "0s");
  CHECK(panels::format_percent(3.25) == "3.2%");
  CHECK(panels::format_percent(34.4) == "34%");
  CHECK(panels::upper("warning") == "WARNING");
}

TEST_CASE("bandwidth is averaged per interval, newest on the right", "[panels][graph]") {
  auto t = panels::test::t0();  // a multiple of 5 seconds
  std::vector<model::BandwidthSample> samples;
  for (int i = 0; i < 10; ++i) {
    samples.push_back({t + std::chrono::seconds(i), static_cast<std::uint64_t>(100 * (i + 1)),
                       static_cast<std::uint64_t>(10 * (i + 1))});
  }
  auto each = panels::bucket_bandwidth(samples, 1, 4);
  CHECK(each.read == std::vector<double>{700, 800, 900, 1000});
  CHECK(each.written == std::vector<double>{70, 80, 90, 100});
  CHECK(each.read_global_max == 1000);
  auto five = panels::bucket_bandwidth(samples, 5, 3);
  CHECK(five.read == std::vector<double>{0, 300, 800});  // (100..500)/5, (600..1000)/5
  CHECK(five.present == std::vector<bool>{false, true, true});
  // A gap (tor was disconnected) stays empty rather than being squeezed out.
  samples.push_back({t + 20s, 5000, 500});
  auto gap = panels::bucket_bandwidth(samples, 1, 12);
  CHECK(gap.present.back());
  CHECK_FALSE(gap.present[10]);
  CHECK(gap.read.back() == 5000);
  CHECK(panels::bucket_bandwidth({}, 1, 5).present == std::vector<bool>(5, false));
}

TEST_CASE("graph bounds: local max, tight, global max", "[panels][graph]") {
  model::Snapshot s;
  s.taken = panels::test::t0();
  // 10 seconds of 1000 B/s, then 10 seconds of 2000..2009 B/s: all on screen.
  for (int i = 0; i < 20; ++i) {
    auto v = static_cast<std::uint64_t>(i < 10 ? 1000 : 2000 + (i - 10));
    s.bandwidth.edit().push_back({s.taken - std::chrono::seconds(19 - i), v, v});
  }
  s.bandwidth_history = model::history_of(s.bandwidth);
  panels::GraphView view;
  auto axis = [&](panels::GraphBounds bounds) {
    view.bounds = bounds;
    ui::TextCanvas c(60, 6);  // bars on rows 2-4, what the average covers on row 5
    panels::draw_graph(s, view, c);
    return std::pair{c.row(2).substr(0, 9), c.row(4).substr(0, 9)};
  };
  CHECK(axis(panels::GraphBounds::kLocalMax) ==
        std::pair<std::string, std::string>{"2.0 KiB/s", "    0 B/s"});
  CHECK(axis(panels::GraphBounds::kTight) ==
        std::pair<std::string, std::string>{"2.0 KiB/s", " 1000 B/s"});
  view.interval = 3;  // minutely
  ui::TextCanvas c(60, 6);
  view.bounds = panels::GraphBounds::kGlobalMax;
  panels::draw_graph(s, view, c);
  CHECK(c.row(0) == "Bandwidth, minutely, global max:");
  view.bits = true;
  view.interval = 0;
  ui::TextCanvas bits(60, 6);
  panels::draw_graph(s, view, bits);
  CHECK(bits.row(1).substr(0, 19) == "Download: 16.1 Kb/s");
}

TEST_CASE("header colours: version status, descriptors, open control port, flags",
          "[panels][header]") {
  CHECK(panels::version_role("recommended") == ui::Role::kGood);
  CHECK(panels::version_role("obsolete") == ui::Role::kCritical);
  CHECK(panels::version_role("new") == ui::Role::kAccent);
  CHECK(panels::descriptor_role(59.9) == ui::Role::kGood);
  CHECK(panels::descriptor_role(60) == ui::Role::kAccent);
  CHECK(panels::descriptor_role(90) == ui::Role::kWarning);
  CHECK(panels::descriptor_role(95) == ui::Role::kCritical);

  auto s = panels::test::sample();
  s.control.auth = model::AuthMethod::kNone;
  s.process.descriptors_used = 980;
  s.tor.version_status = "obsolete";
  ui::TextCanvas c(120, 6);
  panels::draw_header(s, {}, c);
  auto find = [&](int row, const std::string& text) {
    auto pos = c.row(row).find(text);
    REQUIRE(pos != std::string::npos);
    return c.role_at(static_cast<int>(pos), row);
  };
  CHECK(find(1, "no auth") == ui::Role::kCritical);
  CHECK(find(0, "(obsolete)") == ui::Role::kCritical);
  CHECK(find(2, "980/1024 (96%)") == ui::Role::kCritical);
  CHECK(find(3, "Guard") == ui::Role::kFlagGuard);
  CHECK(find(3, "Stable") == ui::Role::kFlagStable);
  CHECK(find(1, "1 warning") == ui::Role::kWarning);
}

TEST_CASE("header: several relays, hostile nickname, missing process data", "[panels][header]") {
  auto s = panels::test::sample();
  s.relay.nickname = "bad\x1b]0;pwned\x07";
  s.process = {};
  panels::HeaderView view{1, 3};
  auto rows = panels::header_rows(s, view, 200);
  ui::TextCanvas c(200, 5);
  panels::draw_header(s, view, c);
  CHECK(c.row(0) == "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)  relay 2/3");
  CHECK(c.row(1).rfind("bad\\x1b]0;pwned\\x07 - 203.0.113.5:9001", 0) == 0);
  for (const char* figure : {"pid: n/a", "fds: n/a", "mem: n/a", "cpu: n/a tor, 0.4% relaymon"}) {
    CHECK(c.row(1).find(figure) != std::string::npos);
  }
}

TEST_CASE("header: the same tor reached twice says so beside the relay number",
          "[panels][header]") {
  auto s = panels::test::sample();
  panels::HeaderView view;
  view.relay_index = 2;
  view.relay_count = 3;
  view.same_tor_as = "127.0.0.1:9051";
  ui::TextCanvas c(120, 5);
  panels::draw_header(s, view, c);
  CHECK(c.row(0) ==
        "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)  relay 3/3  "
        "same tor as 127.0.0.1:9051");
  CHECK(c.role_at(static_cast<int>(c.row(0).find("same tor")), 0) == ui::Role::kWarning);
}
