// Every socket of a live relay is classified, relay peers are named, exit
// connections appear while traffic flows, and nothing private leaves the
// model: relaymon --snapshot --json on the loopback network.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/testnet.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

json relay_snapshot(const TestnetInstance& instance) {
  auto result = run_command({RELAYMON_BINARY, "--snapshot", "--json", "-i",
                             "127.0.0.1:" + std::to_string(instance.control_port)},
                            {"RELAYMON_PASSWORD=" + instance.password});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  return json::parse(result.out)["relays"][0];
}

int http_port(const Testnet& net) {
  std::ifstream in(net.dir() + "/state.json");
  json state = json::parse(in);
  REQUIRE(state["http"].is_object());
  return state["http"]["port"].get<int>();
}

}  // namespace

TEST_CASE("loopback network: an exit's sockets are all classified, relays named, exits scrubbed") {
  Testnet net;
  auto exit = net.first("exit");
  std::map<std::string, std::string> nick_of;
  for (const auto& i : net.all()) nick_of[i.fingerprint] = i.nickname;
  net.start_traffic(60);
  int port = http_port(net);

  json relay;
  bool saw_exit = false;
  for (int attempt = 0; attempt < 40 && !saw_exit; ++attempt) {
    relay = relay_snapshot(exit);
    for (const auto& c : relay["connections"]) saw_exit |= c["category"] == "exit";
    if (!saw_exit) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  INFO(relay["connections"].dump(1));
  CHECK(saw_exit);
  // The automatic choice: netlink sock_diag, the first resolver of the chain.
  REQUIRE(relay["resolver"]["name"] == "netlink");
  int relay_connections = 0;
  for (const auto& c : relay["connections"]) {
    CHECK(c["category"] != "unexpected");
    if (c["category"] == "inbound-relay") ++relay_connections;
    if (c["category"] == "outbound-relay") {
      ++relay_connections;
      // A relay the exit's consensus lacks is placed without a name.
      if (c["relay_unlisted"] == true && c["relay_fingerprint"] == "") continue;
      REQUIRE(nick_of.count(c["relay_fingerprint"]));
      CHECK(c["relay_nickname"] == nick_of[c["relay_fingerprint"]]);
    }
    if (c["category"] == "exit") {
      // The destination's address never leaves the model: its range and
      // port only.
      CHECK(c["scrubbed"] == true);
      CHECK(c["remote"]["address"] == "127.0.0.0/8");
      CHECK(c["remote"]["port"] == port);
    }
    if (c["category"] == "inbound-client") {
      CHECK(c["scrubbed"] == true);
      CHECK(c["remote"]["port"] == 0);
      CHECK(c["remote"]["address"].get<std::string>().rfind("client", 0) == 0);
    }
  }
  CHECK(relay_connections >= 3);
}

TEST_CASE("loopback network: the client's relay connections are named after the consensus") {
  Testnet net;
  auto client = net.first("client");
  std::map<std::string, std::string> nick_of;
  for (const auto& i : net.all()) nick_of[i.fingerprint] = i.nickname;
  json relay = relay_snapshot(client);
  int named = 0;
  for (const auto& c : relay["connections"]) {
    CHECK(c["category"] != "unexpected");
    if (c["category"] == "outbound-relay") {
      REQUIRE(nick_of.count(c["relay_fingerprint"]));
      CHECK(c["relay_nickname"] == nick_of[c["relay_fingerprint"]]);
      ++named;
    }
  }
  CHECK(named >= 1);
}

TEST_CASE("loopback network: a middle relay's sockets are all classified, none is an exit") {
  Testnet net;
  for (const auto& middle : net.all()) {
    if (middle.role != "middle") continue;
    json relay = relay_snapshot(middle);
    REQUIRE(relay["connections"].size() > 2);
    for (const auto& c : relay["connections"]) {
      CHECK(c["category"] != "unexpected");
      CHECK(c["category"] != "exit");
    }
  }
}
