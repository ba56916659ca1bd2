// --check's verdict and line (monitoring-plugins guidelines) from
// hand-built ("synthetic") collections: relaymon's alerts, -w/-c threshold
// ranges, perfdata with units and warn;crit;min;max.
#include <catch2/catch.hpp>

#include "export/check_line.h"

using namespace relaymon;
using namespace relaymon::exporter;

namespace {

CheckRelay relay(const std::string& label, std::vector<model::Severity> alerts = {}) {
  CheckRelay r;
  r.label = label;
  model::Snapshot s;
  s.tor.traffic_read = 1000;
  s.tor.traffic_written = 2000;
  s.tor.uptime_seconds = 7200;
  s.process.descriptors_used = 20;
  s.process.descriptor_limit = 1000;
  model::Connection c;
  c.category = model::Category::kOutboundRelay;
  model::Connection client;
  client.category = model::Category::kInboundClient;
  model::Connection listener;
  listener.category = model::Category::kListener;
  s.connections = {c, c, client, listener};
  for (auto severity : alerts) {
    model::Alert a;
    a.id = "tor-version";
    a.subject = "tor 0.4.1.1";
    a.severity = severity;
    s.alerts.push_back(a);
  }
  r.snapshot = std::make_shared<const model::Snapshot>(s);
  return r;
}

Threshold threshold(const std::string& text) {
  auto parsed = parse_threshold(text);
  INFO(text);
  REQUIRE(std::holds_alternative<Threshold>(parsed));
  return std::get<Threshold>(parsed);
}

}  // namespace

TEST_CASE("check ranges: the guidelines' examples", "[check]") {
  struct Case {
    const char* range;
    double value;
    bool alerts;
  };
  // Table "Example ranges" of the monitoring-plugins guidelines.
  const Case cases[] = {
      {"10", -1, true},     {"10", 0, false},     {"10", 10, false},    {"10", 10.5, true},
      {"10:", 9.9, true},   {"10:", 10, false},   {"10:", 1e12, false}, {"~:10", -1e9, false},
      {"~:10", 11, true},   {"10:20", 9, true},   {"10:20", 15, false}, {"10:20", 21, true},
      {"@10:20", 10, true}, {"@10:20", 20, true}, {"@10:20", 9, false}, {"@10:20", 21, false},
      {":5", -1, true},     {":5", 5, false},     {"-5:-1", -3, false}, {"1.5:2.5", 2.6, true},
  };
  for (const auto& c : cases) {
    auto r = parse_range(c.range);
    INFO(c.range << " " << c.value);
    REQUIRE(r);
    CHECK(r->alerts(c.value) == c.alerts);
    CHECK(r->text == c.range);
  }
  for (const char* bad : {"", "@", "abc", "10:5", "1e3", "inf", "nan", "1..2", "1:2:3", "~", "-"}) {
    INFO(bad);
    CHECK_FALSE(parse_range(bad));
  }
}

TEST_CASE("check thresholds: METRIC=RANGE on figures that have them", "[check]") {
  CHECK(threshold("descriptors_pct=80").metric == "descriptors_pct");
  CHECK(threshold("uptime=600:").range.start == 600);
  auto unknown = parse_threshold("bandwidth=10");
  REQUIRE(std::holds_alternative<std::string>(unknown));
  CHECK_THAT(std::get<std::string>(unknown), Catch::Contains("no such figure"));
  CHECK_THAT(std::get<std::string>(unknown), Catch::Contains("descriptors_pct"));
  auto counter = parse_threshold("bw_read=10");
  REQUIRE(std::holds_alternative<std::string>(counter));
  CHECK_THAT(std::get<std::string>(counter), Catch::Contains("counter"));
  CHECK(std::holds_alternative<std::string>(parse_threshold("conns")));
  CHECK(std::holds_alternative<std::string>(parse_threshold("conns=x")));
}

TEST_CASE("check: no alerts is OK with perfdata in units and min and max", "[check]") {
  auto result = evaluate_check({relay("exit1")});
  CHECK(result.status == CheckStatus::kOk);
  CHECK(result.line ==
        "RELAYMON OK - 1 relay(s) without alerts (exit1) | conns=3;;;0 clients=1;;;0 "
        "exits=0;;;0 descriptors=20;;;0;1000 descriptors_pct=2%;;;0;100 uptime=7200s;;;0 "
        "alerts_warning=0;;;0 alerts_critical=0;;;0 bw_read=1000c bw_written=2000c");
}

TEST_CASE("check: warnings give 1, criticals 2, info alerts stay OK", "[check]") {
  CHECK(evaluate_check({relay("a", {model::Severity::kInfo})}).status == CheckStatus::kOk);
  auto warning = evaluate_check({relay("a", {model::Severity::kWarning})});
  CHECK(warning.status == CheckStatus::kWarning);
  CHECK(warning.line.rfind("RELAYMON WARNING - a: tor-version tor 0.4.1.1 (warning) | ", 0) == 0);
  CHECK(evaluate_check({relay("a", {model::Severity::kWarning, model::Severity::kCritical})})
            .status == CheckStatus::kCritical);
}

TEST_CASE("check: -w/-c thresholds set the status and appear in the perfdata", "[check]") {
  CheckThresholds t;
  t.warning = {threshold("descriptors_pct=1"), threshold("conns=100")};
  t.critical = {threshold("descriptors_pct=50"), threshold("uptime=3600:")};
  auto result = evaluate_check({relay("exit1")}, t);
  CHECK(result.status == CheckStatus::kWarning);
  CHECK_THAT(result.line,
             Catch::StartsWith("RELAYMON WARNING - exit1: descriptors_pct 2% (warning: 1) | "));
  CHECK_THAT(result.line, Catch::Contains(" conns=3;100;;0 "));
  CHECK_THAT(result.line, Catch::Contains(" descriptors_pct=2%;1;50;0;100 "));
  CHECK_THAT(result.line, Catch::Contains(" uptime=7200s;;3600:;0 "));
  // Critical wins over warning on the same figure.
  t.critical.push_back(threshold("descriptors_pct=1.5"));
  result = evaluate_check({relay("exit1")}, t);
  CHECK(result.status == CheckStatus::kCritical);
  CHECK_THAT(result.line, Catch::Contains("exit1: descriptors_pct 2% (critical: 1.5)"));
  // "@" inverts: critical while tor is younger than 10 minutes.
  CheckThresholds young;
  young.critical = {threshold("uptime=@0:600")};
  CHECK(evaluate_check({relay("exit1")}, young).status == CheckStatus::kOk);
  young.critical = {threshold("uptime=@0:7200")};
  CHECK(evaluate_check({relay("exit1")}, young).status == CheckStatus::kCritical);
}

TEST_CASE("check: a threshold on a figure relaymon could not learn is UNKNOWN", "[check]") {
  CheckRelay r = relay("exit1");
  model::Snapshot s = *r.snapshot;
  s.process.descriptors_used.reset();
  s.process.unavailable_reason = "cannot read /proc/42/fd: permission denied";
  r.snapshot = std::make_shared<const model::Snapshot>(s);
  CHECK(evaluate_check({r}).status == CheckStatus::kOk);  // no threshold: left out
  CHECK(evaluate_check({r}).line.find("descriptors") == std::string::npos);
  CheckThresholds t;
  t.warning = {threshold("descriptors_pct=80")};
  auto result = evaluate_check({r}, t);
  CHECK(result.status == CheckStatus::kUnknown);
  CHECK_THAT(result.line,
             Catch::Contains("exit1: descriptors_pct unknown (cannot read /proc/42/fd"));
}

TEST_CASE("check: several relays are labelled and the worst status wins", "[check]") {
  CheckRelay down;
  down.label = "127.0.0.1:9";
  down.error = "connection refused";
  auto result = evaluate_check({relay("exit1"), down});
  CHECK(result.status == CheckStatus::kUnknown);
  CHECK(result.line.find("exit1_conns=3;;;0") != std::string::npos);
  CHECK(result.line.find("127.0.0.1:9: connection refused") != std::string::npos);
  // A known critical outranks an unknown relay.
  CHECK(evaluate_check({relay("exit1", {model::Severity::kCritical}), down}).status ==
        CheckStatus::kCritical);
}

TEST_CASE("check: the line stays one line whatever tor's text holds", "[check]") {
  CheckRelay down;
  down.label = "r";
  down.error = "tor said:\nmore | and more\r";
  auto result = evaluate_check({down});
  CHECK(result.line == "RELAYMON UNKNOWN - r: tor said: more   and more ");
  CHECK(check_unknown_line("bad\noption") == "RELAYMON UNKNOWN - bad option");
}

TEST_CASE("check: a tor that does not answer is CRITICAL, a refusal UNKNOWN", "[check]") {
  exporter::CheckRelay down{"exit1", nullptr, "nothing is listening at 127.0.0.1:9051", true};
  auto result = exporter::evaluate_check({down});
  CHECK(result.status == exporter::CheckStatus::kCritical);
  CHECK(result.line.rfind("RELAYMON CRITICAL - exit1: nothing is listening", 0) == 0);
  exporter::CheckRelay refused{"exit1", nullptr, "tor refused password authentication", false};
  CHECK(exporter::evaluate_check({refused}).status == exporter::CheckStatus::kUnknown);
  // Down beats misconfigured elsewhere.
  CHECK(exporter::evaluate_check({refused, down}).status == exporter::CheckStatus::kCritical);
}
