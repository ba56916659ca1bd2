// Relay health (issue 13) on the loopback network started with --health
// (scripts/testnet.d/tn_health.py): middle1, middle2 and exit1 have a
// MetricsPort on 127.0.0.1 and a family key, reach1 a tight DoS connection
// limit and accounting. Everything here is real tor; what loopback
// cannot produce (overload lines, a hijacking resolver seen live, expiring
// offline keys) is covered by the recorded fixtures in tests/model and
// tests/analysis.
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/testnet.h"
#include "support/tmux.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

std::string endpoint(const TestnetInstance& instance) {
  return "127.0.0.1:" + std::to_string(instance.control_port);
}

// The CI network is started with --health; a network without it fails
// these tests (it does not skip them).
void require_health_network(const Testnet& net) {
  bool metrics = false;
  for (const auto& i : net.state()["instances"]) {
    if (i["nickname"] == "middle1") metrics = i["ports"].contains("metrics");
  }
  INFO("start the network with `scripts/testnet start DIR --health`");
  REQUIRE(metrics);
}

json snapshot_of(const TestnetInstance& instance) {
  auto result = run_command(
      {RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "--json", "-i", endpoint(instance)},
      {"RELAYMON_PASSWORD=" + instance.password});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  json doc = json::parse(result.out);
  REQUIRE(doc["schema"] == 2);
  REQUIRE(doc["relays"].size() == 1);
  return doc["relays"][0];
}

const json& concern(const json& health, const std::string& id) {
  for (const auto& c : health["concerns"]) {
    if (c["id"] == id) return c;
  }
  FAIL("no concern " << id);
  static const json none;
  return none;
}

}  // namespace

TEST_CASE(
    "health: middle1's MetricsPort, fresh descriptor, consensus entry and options fill every "
    "concern in --snapshot --json and --check") {
  Testnet net;
  require_health_network(net);
  auto middle1 = net.instance("middle1");
  json relay = snapshot_of(middle1);
  const json& h = relay["health"];
  INFO(h.dump(1));
  CHECK(h["metrics_port"] == true);
  CHECK(h["metrics_missing"] == "");
  REQUIRE(h["concerns"].size() == 9);
  // A healthy middle: nothing is wrong, and every concern has a source.
  for (const auto& c : h["concerns"]) {
    CHECK(c["level"] != "warning");
    CHECK(c["level"] != "critical");
    CHECK_FALSE(c["source"].get<std::string>().empty());
  }
  for (const char* id :
       {"overload", "dos_onionskins", "flags", "family", "memory", "signing_key"}) {
    INFO(id);
    CHECK(concern(h, id)["level"] == "ok");
  }
  // Real figures from each source.
  CHECK(h["overload"]["sockets_limit"].get<double>() > 0);       // MetricsPort
  CHECK(h["overload"]["bandwidth_observed"].get<double>() > 0);  // descriptor
  CHECK(h["family"]["certificates"].get<int>() >= 1);            // family-cert
  CHECK(h["family"]["members"].get<int>() >= 1);                 // family line
  CHECK(h["family"]["id_configured"] == true);                   // GETCONF FamilyId
  CHECK(h["memory"]["max_in_queues"].get<double>() > 0);         // limits/max-mem
  CHECK(h["dos"]["onionskins_processed"].get<double>() >= 0);    // MetricsPort
  CHECK(h["flags"]["in_consensus"] == true);                     // ns/id
  CHECK(h["signing_key"]["offline_master_key"] == false);        // GETCONF
  CHECK(concern(h, "signing_key")["code"] == "online");
  CHECK(concern(h, "exit_dns")["problem"] == "not an exit");
  bool running = false;
  for (const auto& f : h["flags"]["flags"]) running |= f == "Running";
  CHECK(running);
  // No health alert on a healthy middle.
  INFO("alerts: " << relay["alerts"].dump());
  CHECK(relay["alerts"].empty());

  auto check =
      run_command({RELAYMON_BINARY, "-c", "/dev/null", "--check", "-i", endpoint(middle1)}, {});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("health_warning=0;") != std::string::npos);
  CHECK(check.out.find("health_critical=0;") != std::string::npos);
}

TEST_CASE("health: an exit without a MetricsPort says which figures that leaves out") {
  Testnet net;
  require_health_network(net);
  json h = snapshot_of(net.instance("exit2"))["health"];
  INFO(h.dump(1));
  CHECK(h["metrics_port"] == false);
  CHECK(h["metrics_missing"].get<std::string>().rfind("no MetricsPort configured", 0) == 0);
  CHECK(concern(h, "exit_dns")["level"] == "unknown");
  CHECK(concern(h, "overload")["level"] == "ok");  // the descriptor still tells
  CHECK(concern(h, "flags")["level"] == "ok");
}

TEST_CASE("health: reach1's accounting (AccountingMax 1 TBytes) is read from tor") {
  Testnet net;
  require_health_network(net);
  json h = snapshot_of(net.instance("reach1"))["health"];
  INFO(h.dump(1));
  CHECK(h["accounting"]["enabled"] == true);
  // tor's used + left, a few bytes under AccountingMax (its own rounding).
  const double tebibyte = 1024.0 * 1024 * 1024 * 1024;  // --health=ci's quota
  CHECK(h["accounting"]["max_bytes"].get<double>() > 0.99 * tebibyte);
  CHECK(h["accounting"]["max_bytes"].get<double>() <= tebibyte);
  CHECK(h["accounting"]["hibernating"] == "awake");
  CHECK(h["accounting"]["interval_end"].is_string());
  CHECK(concern(h, "accounting")["level"] == "ok");
}

TEST_CASE(
    "health: client connections from 127.0.0.2 over reach1's DoS limit raise dos-counters-rising "
    "in --watch") {
  Testnet net;
  require_health_network(net);
  auto reach1 = net.instance("reach1");
  CommandResult watch;
  std::thread watcher([&] {
    watch = run_command(
        {RELAYMON_BINARY, "-c", "/dev/null", "--watch", "--json", "-i", endpoint(reach1)}, {}, 45);
  });
  // The first health update sees the counters as they are; the rise comes after.
  std::this_thread::sleep_for(std::chrono::seconds(12));
  auto dos = run_command({net.script(), "dos", net.dir(), "reach1"}, {}, 60);
  watcher.join();
  INFO(dos.out << dos.err);
  CHECK(dos.exit_code == 0);
  CHECK(dos.out.find("closed by tor at once: 0") == std::string::npos);
  INFO(watch.out << watch.err);
  CHECK(watch_schema_errors(watch.out) == "");
  bool raised = false;
  std::istringstream lines(watch.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    json j = json::parse(line);
    if (j["type"] == "alert" && j["id"] == "dos-counters-rising" && j["change"] == "raised") {
      raised = true;
      CHECK(std::stod(j["evidence"]["concurrent_conn_rejected"].get<std::string>()) > 0);
      // tor's counters only: no address of who was refused.
      CHECK(line.find("127.0.0.2") == std::string::npos);
    }
  }
  CHECK(raised);
}

TEST_CASE("tmux: the overview lists middle1's health concerns") {
  Testnet net;
  require_health_network(net);
  auto middle1 = net.instance("middle1");
  TmuxSession tmux(std::string(RELAYMON_BINARY) + " -c /dev/null -i " + endpoint(middle1), 120, 40);
  REQUIRE(tmux.wait_for("Health (", std::chrono::seconds(20)));
  INFO(tmux.screen());
  for (const char* label : {"overload:", "DoS/onionskins:", "flags:", "reachability:", "exit DNS:",
                            "family:", "memory:", "accounting:", "signing key:"}) {
    CHECK(tmux.screen().find(label) != std::string::npos);
  }
  CHECK(tmux.screen().find("renewed by tor (online master key)") != std::string::npos);

  // Page 8 has the figures behind each line, read from tor by the program.
  tmux.keys("8");
  REQUIRE(tmux.wait_for("Health of middle1", std::chrono::seconds(5)));
  for (const char* figure :
       {"sockets open: ", "observed: ", "in the consensus: yes",
        "IPv4 ORPort: ", "family certificates: 1", "MaxMemInQueues: ", "OfflineMasterKey: 0"}) {
    INFO(figure << "\n" << tmux.screen());
    CHECK(tmux.wait_for(figure, std::chrono::seconds(5)));
  }
  // The DoS counters' history fills as updates arrive (every 10 s).
  CHECK(tmux.wait_for("each 10 s: [", std::chrono::seconds(25)));
  tmux.keys("End");
  CHECK(tmux.wait_for("Changes this session (", std::chrono::seconds(5)));
  tmux.keys("1");
  // At 80x24 the section folds into a count line and what is not ok.
  tmux.resize(80, 24);
  CHECK(tmux.wait_for("Health: ", std::chrono::seconds(5)));
}
