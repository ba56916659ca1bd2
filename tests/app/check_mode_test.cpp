// --check: the verdict and line from hand-built ("synthetic") collections,
// and the program's exit status when tor cannot be reached.
#include <catch2/catch.hpp>

#include "app/check_mode.h"
#include "export/check_line.h"
#include "support/run_command.h"

using namespace relaymon;
using namespace relaymon::app;
using namespace relaymon::exporter;

namespace {

CheckRelay relay(const std::string& label, std::vector<model::Severity> alerts) {
  CheckRelay r;
  r.label = label;
  model::Snapshot s;
  s.tor.traffic_read = 1000;
  s.tor.traffic_written = 2000;
  s.process.descriptors_used = 20;
  s.process.descriptor_limit = 1000;
  model::Connection c;
  c.category = model::Category::kOutboundRelay;
  s.connections = {c, c};
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

}  // namespace

TEST_CASE("synthetic check: no alerts is OK with perfdata", "[check]") {
  auto result = evaluate_check({relay("exit1", {})});
  CHECK(result.status == CheckStatus::kOk);
  CHECK(result.line ==
        "RELAYMON OK - 1 relay(s) without alerts (exit1) | conns=2 bw_read=1000c "
        "bw_written=2000c descriptors=20;;;0;1000 alerts_warning=0 alerts_critical=0");
}

TEST_CASE("synthetic check: warnings give 1, criticals 2, info alerts stay OK", "[check]") {
  CHECK(evaluate_check({relay("a", {model::Severity::kInfo})}).status == CheckStatus::kOk);
  auto warning = evaluate_check({relay("a", {model::Severity::kWarning})});
  CHECK(warning.status == CheckStatus::kWarning);
  CHECK(warning.line.rfind("RELAYMON WARNING - a: tor-version tor 0.4.1.1 (warning) | ", 0) == 0);
  CHECK(evaluate_check({relay("a", {model::Severity::kWarning, model::Severity::kCritical})})
            .status == CheckStatus::kCritical);
}

TEST_CASE("synthetic check: several relays are labelled and the worst status wins", "[check]") {
  CheckRelay down;
  down.label = "127.0.0.1:9";
  down.error = "connection refused";
  auto result = evaluate_check({relay("exit1", {}), down});
  CHECK(result.status == CheckStatus::kUnknown);
  CHECK(result.line.find("exit1_conns=2") != std::string::npos);
  CHECK(result.line.find("127.0.0.1:9: connection refused") != std::string::npos);
  // A known critical outranks an unknown relay.
  CHECK(evaluate_check({relay("exit1", {model::Severity::kCritical}), down}).status ==
        CheckStatus::kCritical);
}

TEST_CASE("relaymon --check exits 3 (UNKNOWN) with one line when tor cannot be reached",
          "[check]") {
  auto result = testing::run_command(
      {RELAYMON_BINARY, "-c", "/dev/null", "--check", "--timeout", "2", "-i", "127.0.0.1:9"});
  CHECK(result.exit_code == 3);
  CHECK(result.out.rfind("RELAYMON UNKNOWN - ", 0) == 0);
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 1);
}

TEST_CASE("relaymon rejects two headless modes at once and --events without --watch", "[check]") {
  CHECK(
      testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--check", "--watch"}).exit_code ==
      2);
  CHECK(testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--check", "--events", "CIRC"})
            .exit_code == 2);
  CHECK(testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--check", "--json"}).exit_code ==
        2);
}
