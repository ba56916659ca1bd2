// --watch alert and log formatters from synthetic alerts and log events;
// JSON lines are parsed back and validated against the published schemas
// (typed events: event_json_test.cpp).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "control/events.h"
#include "export/watch_lines.h"
#include "support/json_schema.h"

using namespace relaymon;
using namespace relaymon::exporter;
using nlohmann::json;

namespace {

analysis::AlertChange change() {
  analysis::AlertChange c{analysis::AlertChange::Kind::kRaised, {}};
  c.alert.id = "unestablished-exit";
  c.alert.subject = "port 8080";
  c.alert.severity = model::Severity::kWarning;
  c.alert.evidence = {{"syn_sent", "3"}};
  c.alert.explanation = "why";
  c.alert.action = "what";
  c.alert.count = 4;
  return c;
}

}  // namespace

TEST_CASE("watch: alert lines as text and as JSON parsed back", "[watch]") {
  auto now = model::TimePoint(std::chrono::seconds(1'800'000'000));
  CHECK(watch_alert_text("exit1", change(), now) ==
        "2027-01-15T08:00:00Z exit1 RAISED warning unestablished-exit: port 8080 syn_sent=3");
  json j = json::parse(watch_alert_json("exit1", change(), now).dump());
  CHECK(j["type"] == "alert");
  CHECK(j["change"] == "raised");
  CHECK(j["relay"] == "exit1");
  CHECK(j["id"] == "unestablished-exit");
  CHECK(j["severity"] == "warning");
  CHECK(j["evidence"]["syn_sent"] == "3");
  CHECK(j["count"] == 4);
  CHECK(j["schema"] == 2);
  CHECK(testing::watch_schema_errors(j.dump() + "\n") == "");
}

TEST_CASE("watch: tor log warnings are scrubbed", "[watch]") {
  control::LogEvent log{"WARN", "Could not connect to 203.0.113.8:443"};
  auto now = model::Clock::now();
  CHECK(watch_log_text("m", log, now).find("TOR warn: Could not connect to [scrubbed]:443") !=
        std::string::npos);
  auto j = watch_log_json("m", log, now);
  CHECK(j["message"] == "Could not connect to [scrubbed]:443");
  CHECK(testing::watch_schema_errors(j.dump() + "\n") == "");
}

TEST_CASE("watch lines: the control connection's state, in text and JSON", "[watch]") {
  auto now = relaymon::model::Clock::now();
  auto j = relaymon::exporter::watch_connection_json(
      "127.0.0.1:9051", "unreachable", "127.0.0.1:9051",
      "nothing is listening at 127.0.0.1:9051 (is tor running?)", now);
  CHECK(j["type"] == "connection");
  CHECK(j["state"] == "unreachable");
  CHECK(relaymon::testing::watch_schema_errors(j.dump()) == "");
  std::string text = relaymon::exporter::watch_connection_text("exit1", "disconnected",
                                                               "127.0.0.1:9051", "eof\nx", now);
  CHECK(text.find("exit1 CONTROL lost tor at 127.0.0.1:9051: eof x (reconnecting)") !=
        std::string::npos);
  CHECK(relaymon::exporter::watch_connection_text("exit1", "connected", "127.0.0.1:9051", "", now)
            .find("CONTROL connected to tor at 127.0.0.1:9051") != std::string::npos);
}
