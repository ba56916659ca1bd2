// `relaymon --snapshot --json` on relays of the loopback network.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/testnet.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

json snapshot_of(const TestnetInstance& instance) {
  auto result = run_command({RELAYMON_BINARY, "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(instance.control_port)},
                            {"RELAYMON_PASSWORD=" + instance.password});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  json doc = json::parse(result.out);
  REQUIRE(doc["relays"].size() == 1);
  return doc["relays"][0];
}

bool has(const json& array, const std::string& value) {
  for (const auto& v : array) {
    if (v == value) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("loopback network: snapshot of an exit shows its identity, flags and policy") {
  Testnet net;
  auto exit = net.first("exit");
  json relay = snapshot_of(exit);
  CHECK(relay["relay"]["nickname"] == exit.nickname);
  CHECK(relay["relay"]["fingerprint"] == exit.fingerprint);
  CHECK(relay["relay"]["in_consensus"] == true);
  CHECK(has(relay["relay"]["flags"], "Exit"));
  CHECK(has(relay["relay"]["flags"], "Running"));
  CHECK(relay["relay"]["is_exit"] == true);
  CHECK(has(relay["relay"]["exit_policy"], "accept 127.0.0.1:*"));
  CHECK(relay["relay"]["or_port"] == exit.or_port);
  CHECK(relay["process"]["pid"] == exit.pid);
  CHECK(relay["tor"]["bootstrap"]["progress"] == 100);
  CHECK(relay["unanswered"].empty());
}

TEST_CASE("loopback network: snapshot of a middle relay (password auth) says it is no exit") {
  Testnet net;
  for (const auto& instance : net.all()) {
    if (instance.role != "middle") continue;
    json relay = snapshot_of(instance);
    CHECK(relay["relay"]["fingerprint"] == instance.fingerprint);
    CHECK(relay["relay"]["is_exit"] == false);
    CHECK_FALSE(has(relay["relay"]["flags"], "Exit"));
    CHECK(relay["control"]["auth"] == (instance.auth == "password" ? "password" : "safecookie"));
  }
}

TEST_CASE("loopback network: snapshot of the client has no relay identity") {
  Testnet net;
  json relay = snapshot_of(net.first("client"));
  CHECK(relay["relay"]["fingerprint"] == "");
  CHECK(relay["relay"]["in_consensus"] == false);
  CHECK(relay["tor"]["bootstrap"]["progress"] == 100);
}
