// No page ever writes outside the canvas, at any size from 0x0 to 130x50,
// with long (and wide-character) nicknames, many connections, long log
// lines and every overlay open.
#include <catch2/catch.hpp>

#include "model/torrc.h"

#include <fmt/format.h>

#include "panels/screen.h"
#include "sample.h"

using namespace relaymon;

namespace {

model::Snapshot crowded() {
  model::Snapshot s = panels::test::sample();
  s.host = std::string(150, 'h') + " (Linux)";
  s.relay.nickname = "\xe4\xb8\xad\xe6\x96\x87" + std::string(60, 'N');
  s.relay.address = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff";
  s.relay.flags = {"Authority", "BadExit",    "Exit",          "Fast",    "Guard",
                   "HSDir",     "MiddleOnly", "NoEdConsensus", "Running", "Stable",
                   "StaleDesc", "Sybil",      "V2Dir",         "Valid"};
  s.relay.exit_policy_summary = "accept " + std::string(200, '1');
  s.tor.accounting_enabled = true;
  s.tor.accounting_state = "hibernating";
  s.control.auth = model::AuthMethod::kNone;
  for (int i = 0; i < 300; ++i) {
    auto category = static_cast<model::Category>(i % 12);
    auto c = panels::test::connection(
        category, model::Direction::kOutbound, fmt::format("198.51.{}.{}", i / 250, i % 250),
        static_cast<std::uint16_t>(1000 + i), "SE", std::chrono::seconds(i * 37));
    c.relay_nickname = std::string(40, 'r') + "\xf0\x9f\x8c\x8d";
    c.relay_fingerprint = std::string(40, 'F');
    c.state = i % 7 == 0 ? "SYN-SENT" : "ESTAB";
    c.bytes_in = static_cast<std::uint64_t>(i) * 123456789ULL;
    c.rate_out = i * 1000.0;
    s.connections.edit().push_back(c);
  }
  for (int i = 0; i < 40; ++i) {
    model::Circuit circ;
    circ.id = std::to_string(i);
    circ.status = "BUILT";
    circ.purpose = std::string(30, 'P');
    circ.path = {{std::string(40, 'A'), std::string(19, 'x')}, {std::string(40, 'B'), ""}};
    s.circuits.edit().push_back(circ);
  }
  for (int i = 0; i < 60; ++i) {
    model::LogEntry e;
    e.time = panels::test::t0() - std::chrono::seconds(60 - i);
    e.severity = i % 2 ? "WARN" : "NOTICE";
    e.message = fmt::format("message {} ", i) + std::string(static_cast<std::size_t>(i * 9), 'm') +
                "\x1b[2J";
    e.source = static_cast<model::LogSource>(i % 3);
    s.log.edit().push_back(e);
  }
  for (int i = 0; i < 12; ++i) {
    model::Alert a = s.alerts[0];
    a.id = fmt::format("rule-{}-", i) + std::string(30, 'i');
    a.subject = std::string(70, 's');
    a.severity = static_cast<model::Severity>(i % 3);
    a.active = i % 4 != 0;
    a.explanation = std::string(300, 'e');
    a.evidence = {{"k", std::string(90, 'v')}};
    s.alerts.push_back(a);
  }
  for (int i = 0; i < 80; ++i) {
    s.config.edit().torrc_lines.push_back(fmt::format("Option{} ", i % 9) + std::string(90, 'v') +
                                          " # \x1b[1m" + std::string(30, 'c'));
    s.config.edit().options.push_back({fmt::format("Option{}", i),
                                       i % 2 ? "String" : "LineList",
                                       {std::string(100, 'x'), "y"},
                                       i % 3 != 0});
  }
  model::analyze_torrc_into(s.config.edit());
  return s;
}

std::vector<panels::ScreenState> states() {
  std::vector<panels::ScreenState> out;
  for (const auto& info : panels::pages()) {
    panels::ScreenState st;
    st.page = info.page;
    st.header.relay_count = 3;
    out.push_back(st);
    st.help = true;
    out.push_back(st);
  }
  panels::ScreenState details;
  details.page = panels::Page::kConnections;
  details.connections.details = true;
  details.connections.cursor.selected = 299;
  out.push_back(details);
  details.connections.details = false;
  details.connections.mode = panels::ConnMode::kCircuits;
  details.connections.cursor.selected = 39;
  out.push_back(details);
  details.connections.mode = panels::ConnMode::kSummary;
  out.push_back(details);
  panels::ScreenState prompt;
  prompt.page = panels::Page::kLog;
  prompt.prompt =
      panels::Prompt{panels::Prompt::Purpose::kLogRegex, "regex filter: ", std::string(200, 'x')};
  prompt.log.scroll.top = 30;
  out.push_back(prompt);
  panels::ScreenState scrolled;
  scrolled.page = panels::Page::kTorrc;
  scrolled.torrc.scroll.top = 80;
  out.push_back(scrolled);
  scrolled.page = panels::Page::kConfig;
  scrolled.config.cursor.selected = 60;
  scrolled.config.show_all = true;
  out.push_back(scrolled);
  panels::ScreenState confirm;
  confirm.confirm = panels::Confirm{"Quit relaymon? (y/n)", std::nullopt, true};
  confirm.page = panels::Page::kAlerts;
  confirm.alerts.cursor.selected = 11;
  confirm.paused = true;
  out.push_back(confirm);
  return out;
}

}  // namespace

TEST_CASE("no page writes outside the canvas at any size", "[panels][bounds]") {
  panels::test::use_utc();
  const model::Snapshot s = crowded();
  model::Snapshot offline = panels::test::disconnected();
  offline.relay = s.relay;
  auto all = states();
  long draws = 0;
  for (int w = 0; w <= 130; ++w) {
    for (int h = 0; h <= 50; ++h) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        // Every page at every size; overlays and other views at a spread
        // of sizes (all of them would only make the test slow).
        bool page = i < 2 * panels::pages().size() && i % 2 == 0;
        if (!page && (w + h + static_cast<int>(i)) % 3 != 0 && w % 10 != 0 && h % 10 != 0) {
          continue;
        }
        ui::TextCanvas c(w, h, false);
        panels::draw_screen(i % 2 ? offline : s, all[i], c);
        ++draws;
        if (c.outside_calls() != 0) {
          FAIL(fmt::format("state {} at {}x{}: {} calls outside", i, w, h, c.outside_calls()));
        }
      }
    }
  }
  CHECK(draws > 40000);
}
