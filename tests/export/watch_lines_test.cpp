// --watch formatters from real event bytes (parsed with the control
// parser) and synthetic alerts; JSON lines are parsed back.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "export/watch_lines.h"
#include "control/events.h"
#include "control/framing.h"

using namespace relaymon;
using namespace relaymon::exporter;
using nlohmann::json;

namespace {

control::Event parse(const std::string& bytes) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(bytes, replies));
  REQUIRE(replies.size() == 1);
  auto parsed = control::parse_event(replies[0]);
  REQUIRE(std::holds_alternative<control::Event>(parsed));
  return std::get<control::Event>(parsed);
}

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
}

TEST_CASE("watch: tor log warnings are scrubbed", "[watch]") {
  control::LogEvent log{"WARN", "Could not connect to 203.0.113.8:443"};
  auto now = model::Clock::now();
  CHECK(watch_log_text("m", log, now).find("TOR warn: Could not connect to [scrubbed]:443") !=
        std::string::npos);
  CHECK(watch_log_json("m", log, now)["message"] == "Could not connect to [scrubbed]:443");
}

TEST_CASE("watch --events: fields named as in the control-spec, in lower case", "[watch]") {
  auto now = model::Clock::now();
  auto circ = parse(
      "650 CIRC 5 BUILT $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~a BUILD_FLAGS=NEED_CAPACITY "
      "PURPOSE=GENERAL TIME_CREATED=2026-11-22T01:00:00.000000\r\n");
  json j = json::parse(watch_event_json("exit1", circ, now).dump());
  CHECK(j["event"] == "CIRC");
  CHECK(j["circid"] == "5");
  CHECK(j["status"] == "BUILT");
  CHECK(j["purpose"] == "GENERAL");
  CHECK(j["build_flags"] == "NEED_CAPACITY");
  auto bw = parse("650 BW 1024 2048\r\n");
  j = watch_event_json("exit1", bw, now);
  CHECK(j["bytesread"] == "1024");
  CHECK(j["byteswritten"] == "2048");
}

TEST_CASE("watch --events: client and destination addresses never appear", "[watch]") {
  auto now = model::Clock::now();
  auto orconn = parse("650 ORCONN 198.51.100.23:51234 CONNECTED ID=12\r\n");
  std::string text = watch_event_json("r", orconn, now).dump();
  CHECK(text.find("198.51.100.23") == std::string::npos);
  CHECK(json::parse(text)["target"] == "[scrubbed]:51234");
  auto stream =
      parse("650 STREAM 9 NEW 0 www.example.com:443 SOURCE_ADDR=127.0.0.1:40000 PURPOSE=USER\r\n");
  text = watch_event_json("r", stream, now).dump();
  CHECK(text.find("example.com") == std::string::npos);
  CHECK(text.find("127.0.0.1") == std::string::npos);
  CHECK(json::parse(text)["target"] == "[scrubbed]:443");
}
