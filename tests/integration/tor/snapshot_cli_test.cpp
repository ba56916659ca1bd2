// `relaymon --snapshot --json` as a user runs it, against a real tor.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/tor_process.h"

using namespace relaymon::testing;
using nlohmann::json;

TEST_CASE("relaymon --snapshot --json against a real tor prints schema 2 with real values") {
  TorProcess tor;
  auto result = run_command({RELAYMON_BINARY, "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(tor.control_port())});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  json doc = json::parse(result.out);
  CHECK(doc["schema"] == 2);
  REQUIRE(doc["relays"].size() == 1);
  const json& relay = doc["relays"][0];
  CHECK(relay["tor"]["version"].get<std::string>().rfind("0.4.", 0) == 0);
  CHECK(relay["tor"]["version_status"].is_string());
  CHECK(relay["tor"]["uptime"].is_number());
  CHECK(relay["tor"]["traffic"]["read"].is_number());
  CHECK(relay["process"]["pid"] == tor.pid());
  CHECK(relay["process"]["user"] == "root");
  CHECK(relay["process"]["descriptors"]["limit"].get<long>() > 0);
  CHECK(relay["process"]["descriptors"]["used"].get<long>() > 0);
  CHECK(relay["control"]["auth"] == "safecookie");
  CHECK(relay["tor"]["bootstrap"]["phase"].get<std::string>().find("PROGRESS=") !=
        std::string::npos);
  bool control_listener = false;
  for (const auto& l : relay["listeners"]) {
    if (l["kind"] == "control" && l["port"] == tor.control_port()) control_listener = true;
  }
  CHECK(control_listener);
  // Not a relay: no fingerprint, and the JSON says so rather than inventing one.
  CHECK(relay["relay"]["fingerprint"] == "");
  CHECK(relay["relay"]["flags"].empty());
}

TEST_CASE("relaymon --snapshot against a relay-configured tor: identity, and what tor refused") {
  TorConfig config;
  // An ORPort makes it a relay; DisableNetwork keeps it from publishing.
  config.extra_torrc =
      "ORPort 127.0.0.1:auto\nNickname relaymonTest\nExitRelay 0\nAssumeReachable 1\n";
  TorProcess tor(config);
  auto result = run_command({RELAYMON_BINARY, "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(tor.control_port())});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  const json relay = json::parse(result.out)["relays"][0];
  CHECK(relay["relay"]["nickname"] == "relaymonTest");
  CHECK(relay["relay"]["fingerprint"].get<std::string>().size() == 40);
  // With DisableNetwork tor opens no ORPort listener and builds no
  // descriptor, so it refuses exit-policy/full; the JSON says so.
  CHECK(relay["relay"]["exit_policy"].empty());
  bool refused = false;
  for (const auto& u : relay["unanswered"]) {
    if (u.get<std::string>().rfind("exit-policy/full: 551", 0) == 0) refused = true;
  }
  CHECK(refused);
}

TEST_CASE("relaymon --snapshot with nothing listening exits 1 and says why on stderr") {
  std::uint16_t port = 0;
  {
    TorProcess tor;
    port = tor.control_port();
  }
  auto result = run_command(
      {RELAYMON_BINARY, "--snapshot", "--json", "-i", "127.0.0.1:" + std::to_string(port)});
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK_THAT(result.err,
             Catch::Contains("nothing is listening at 127.0.0.1:" + std::to_string(port)));
}

TEST_CASE("relaymon --snapshot with a wrong password exits 1 quoting tor") {
  TorProcess tor(TorConfig::Auth::kPassword);
  auto result = run_command(
      {RELAYMON_BINARY, "--snapshot", "-i", "127.0.0.1:" + std::to_string(tor.control_port())},
      {"RELAYMON_PASSWORD=wrong"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::Contains("refused password authentication"));
  auto right = run_command(
      {RELAYMON_BINARY, "--snapshot", "-i", "127.0.0.1:" + std::to_string(tor.control_port())},
      {"RELAYMON_PASSWORD=" + tor.config().password});
  INFO(right.err);
  CHECK(right.exit_code == 0);
  CHECK_THAT(right.out, Catch::Contains("password auth"));
}

TEST_CASE(
    "relaymon --snapshot --json with one dead and one live control port prints the live relay, an "
    "error entry for the dead one, and exits 1") {
  std::uint16_t dead = 0;
  {
    TorProcess gone;
    dead = gone.control_port();
  }
  TorProcess tor;
  std::string live = "127.0.0.1:" + std::to_string(tor.control_port());
  // The dead one first: order on the command line must not matter.
  auto result = run_command({RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(dead), "-i", live});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);
  CHECK(snapshot_schema_errors(result.out) == "");
  auto doc = nlohmann::json::parse(result.out);
  REQUIRE(doc["relays"].size() == 1);
  CHECK(doc["relays"][0]["control"]["endpoint"] == live);
  REQUIRE(doc["errors"].size() == 1);
  CHECK(doc["errors"][0]["endpoint"] == "127.0.0.1:" + std::to_string(dead));
  CHECK_THAT(doc["errors"][0]["error"].get<std::string>(), Catch::Contains("nothing is listening"));
  CHECK_THAT(result.err, Catch::Contains("nothing is listening"));
}
