// relaymon's JSON output from the real program against a real tor
// (DisableNetwork 1), validated against the schemas relaymon publishes
// (share/schema/): --snapshot --json, and --watch --json --events while a
// second controller makes tor send events (CONF_CHANGED, ADDRMAP, SIGNAL,
// NOTICE; BW comes every second by itself).
#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/controller_harness.h"
#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/tor_process.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

std::string endpoint(const TorProcess& tor) {
  return "127.0.0.1:" + std::to_string(tor.control_port());
}

}  // namespace

TEST_CASE("real tor: --snapshot --json validates against the published snapshot schema") {
  TorConfig config;
  config.extra_torrc = "ORPort 127.0.0.1:auto\nNickname relaymonSchema\nAssumeReachable 1\n";
  TorProcess tor(config);
  auto result = run_command(
      {RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "--json", "-i", endpoint(tor)});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  json doc = json::parse(result.out);
  CHECK(doc["relays"][0]["relay"]["nickname"] == "relaymonSchema");
}

TEST_CASE("real tor: --watch --json --events prints typed, schema-valid, scrubbed lines") {
  TorProcess tor;
  std::atomic<bool> stop{false};
  // A second controller makes tor send events every half second, so they
  // arrive whenever relaymon has subscribed.
  std::thread trigger([&] {
    ControllerHarness h(tcp_options(tor.control_port()));
    h.controller->start();
    if (!h.wait_ready()) return;
    for (int i = 0; !stop; ++i) {
      h.call("SETCONF ContactInfo=\"relaymon schema test " + std::to_string(i) + "\"");
      h.call("MAPADDRESS 10.40.40.40=www.example.invalid");
      h.call("SIGNAL CLEARDNSCACHE");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  auto watch = run_command({RELAYMON_BINARY, "-c", "/dev/null", "--watch", "--json", "--events",
                            "BW,CIRC,STREAM,ORCONN,CONF_CHANGED,ADDRMAP,SIGNAL,NOTICE,"
                            "STATUS_GENERAL,STATUS_CLIENT,NETWORK_LIVENESS",
                            "-i", endpoint(tor)},
                           {}, 10);
  stop = true;
  trigger.join();
  INFO(watch.out << watch.err);
  REQUIRE_FALSE(watch.out.empty());
  CHECK(watch_schema_errors(watch.out) == "");
  std::map<std::string, json> first;
  std::istringstream in(watch.out);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    CHECK(j["schema"] == 2);
    if (j["type"] == "event") first.emplace(j["event"].get<std::string>(), j);
  }
  REQUIRE(first.count("BW"));
  CHECK(first["BW"]["read"].is_number_unsigned());
  CHECK(first["BW"]["written"].is_number_unsigned());
  REQUIRE(first.count("CONF_CHANGED"));
  CHECK(first["CONF_CHANGED"]["changes"][0]["option"] == "ContactInfo");
  REQUIRE(first.count("SIGNAL"));
  CHECK(first["SIGNAL"]["signal"] == "CLEARDNSCACHE");
  REQUIRE(first.count("ADDRMAP"));
  CHECK(first["ADDRMAP"]["expiry"] == "NEVER");
  CHECK(first["ADDRMAP"]["cached"] == true);
  // The mapped addresses are a user's destination: never printed.
  CHECK(watch.out.find("www.example.invalid") == std::string::npos);
  CHECK(watch.out.find("10.40.40.40") == std::string::npos);
}

TEST_CASE(
    "real tor: --watch says when it connects, when tor goes away and comes back, and when a tor "
    "cannot be reached") {
  std::uint16_t dead = 0;
  {
    TorProcess gone;
    dead = gone.control_port();
  }
  TorProcess tor;
  std::atomic<bool> done{false};
  std::thread bounce([&] {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    tor.stop();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    tor.restart();
    done = true;
  });
  auto watch = run_command({RELAYMON_BINARY, "-c", "/dev/null", "--watch", "--json", "-i",
                            endpoint(tor), "-i", "127.0.0.1:" + std::to_string(dead)},
                           {}, 20);
  bounce.join();
  INFO(watch.out << watch.err);
  CHECK(watch_schema_errors(watch.out) == "");
  std::vector<std::string> live, unreachable;
  std::istringstream in(watch.out);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["type"] != "connection") continue;
    if (j["endpoint"] == endpoint(tor)) live.push_back(j["state"]);
    if (j["endpoint"] == "127.0.0.1:" + std::to_string(dead)) {
      unreachable.push_back(j["state"]);
      CHECK_THAT(j["error"].get<std::string>(), Catch::Contains("nothing is listening"));
    }
  }
  // Connected, lost, connected again; the dead port once (same reason each retry).
  REQUIRE(live.size() >= 3);
  CHECK(live[0] == "connected");
  CHECK(live[1] == "disconnected");
  CHECK(live[2] == "connected");
  CHECK(unreachable == std::vector<std::string>{"unreachable"});
}
