// Issue 12, item 6: relaymon reads tor's SafeLogging (GETCONF) and says when
// tor logs addresses unscrubbed: the safe-logging-off alert in every output
// (here --snapshot --json), against a real tor (DisableNetwork 1) with
// SafeLogging 0, and nothing with tor's default (1).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/tor_process.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

json alerts_of(const TorProcess& tor) {
  auto result = run_command({RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(tor.control_port())});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  return json::parse(result.out)["relays"][0]["alerts"];
}

const json* find_alert(const json& alerts, const std::string& id) {
  for (const auto& a : alerts) {
    if (a["id"] == id) return &a;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("real tor: SafeLogging 0 raises safe-logging-off, the default does not") {
  TorConfig unsafe;
  unsafe.extra_torrc = "SafeLogging 0\n";
  TorProcess tor(unsafe);
  json alerts = alerts_of(tor);
  INFO(alerts.dump(1));
  const json* a = find_alert(alerts, "safe-logging-off");
  REQUIRE(a);
  CHECK((*a)["severity"] == "warning");
  CHECK((*a)["subject"] == "SafeLogging 0");
  CHECK((*a)["evidence"]["SafeLogging"] == "0");

  TorProcess safe;
  json quiet = alerts_of(safe);
  INFO(quiet.dump(1));
  CHECK(find_alert(quiet, "safe-logging-off") == nullptr);
}
