// Issue 11's truth scenarios on the loopback network, asserted on the real
// binary's output (--watch --json, --snapshot --json, the truth report):
//  - healthy relays under three minutes of bulk traffic both ways: no alert;
//  - a relay that joins late, extended to and accepted before the others'
//    consensus lists it: no private-address, non-relay-outbound or
//    crosscheck-mismatch, and its sockets are relay connections;
//  - seed 001's exit (exit2: ORPort on 127.0.0.4; its outbound binds to
//    .5/.6 do not apply to loopback destinations, see below) and the IPv6
//    ORPorts on [::1]: every socket right (scripts/truth);
//  - the client's onion service: its streams to the web server are
//    hidden-service.
// Only 127.0.0.0/8 and ::1 are ever contacted.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "support/controller_harness.h"
#include "support/json_schema.h"
#include "support/run_command.h"
#include "support/testnet.h"

using namespace relaymon::testing;
using nlohmann::json;

namespace {

std::vector<std::string> relaymon_args(const TestnetInstance& i) {
  return {RELAYMON_BINARY, "-i", "127.0.0.1:" + std::to_string(i.control_port)};
}

std::vector<std::string> env_of(const TestnetInstance& i) {
  if (i.password.empty()) return {};
  return {"RELAYMON_PASSWORD=" + i.password};
}

// relaymon --snapshot --json of one tor, schema-checked; its one relay object.
json snapshot_of(const TestnetInstance& i) {
  auto args = relaymon_args(i);
  args.insert(args.begin() + 1, {"-c", "/dev/null", "--snapshot", "--json"});
  auto result = run_command(args, env_of(i), 90);
  INFO(i.nickname << ": " << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(snapshot_schema_errors(result.out) == "");
  return json::parse(result.out)["relays"][0];
}

struct Watch {
  std::string nickname;
  CommandResult result;
};

// relaymon --watch --json on each tor for `seconds`, all at once, with the
// config file's `config` (empty: the defaults).
std::vector<Watch> watch_all(const std::vector<TestnetInstance>& tors, int seconds,
                             const std::string& config_text) {
  std::string config = "/tmp/relaymon-truth-" + std::to_string(::getpid()) + ".conf";
  std::ofstream(config) << config_text;
  std::vector<Watch> watches(tors.size());
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < tors.size(); ++k) {
    threads.emplace_back([&, k] {
      auto args = relaymon_args(tors[k]);
      args.insert(args.begin() + 1, {"-c", config, "--watch", "--json"});
      watches[k] = {tors[k].nickname, run_command(args, env_of(tors[k]), seconds)};
    });
  }
  for (auto& t : threads) t.join();
  ::unlink(config.c_str());
  return watches;
}

std::vector<json> lines_of(const std::string& out) {
  if (!out.empty()) CHECK(watch_schema_errors(out) == "");
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

// A failed REQUIRE while a helper thread runs still waits for it (a
// joinable std::thread's destructor would call terminate()).
struct JoinOnExit {
  std::thread& thread;
  ~JoinOnExit() {
    if (thread.joinable()) thread.join();
  }
};

std::string fingerprint_of_ns(ControllerHarness& h, const std::string& fp) {
  auto [error, reply] = h.call("GETINFO ns/id/" + fp);
  return !error && reply.ok() ? "listed" : "";
}

// scripts/truth: every socket of every tor as the network knows it, no alert.
void check_truth_report(Testnet& net) {
  auto report = run_command({std::string(RELAYMON_SOURCE_DIR) + "/scripts/truth", net.dir(),
                             "--relaymon", RELAYMON_BINARY, "--json"},
                            {}, 240);
  INFO(report.out << report.err);
  REQUIRE(!report.out.empty());
  auto rows = json::parse(report.out);
  long checked = 0;
  for (const auto& row : rows) {
    INFO(row.dump());
    CHECK(row["right"] == row["checked"]);
    CHECK(row["alerts"].empty());
    checked += row["checked"].get<long>();
  }
  CHECK(checked > 50);  // every tor's sockets, not a vacuous pass
  CHECK(report.exit_code == 0);
}

// Seed 001's exit as far as loopback allows: exit2's ORPort is bound to
// 127.0.0.4 and its OutboundBindAddressOR/Exit name 127.0.0.5 and .6, but
// tor never binds outbound sockets whose destination is loopback
// (connection.c), so they leave from 127.0.0.1. The bound outbound half is
// covered by a fixture test ("fake bound addresses (seed 001)").
void check_exit2_bound_orport(Testnet& net) {
  auto exit2 = net.instance("exit2");
  // An exit rarely opens relay connections itself (circuits end there, and
  // its peers may all have connected to it first): a one-hop circuit to
  // every relay it has no connection with makes the outbound half certain.
  bool already_out = false;
  int asked = 0;
  {
    json first = snapshot_of(exit2);  // named: a range-for over a temporary's member dangles
    for (const auto& c : first["connections"]) {
      if (c["category"] == "outbound-relay") already_out = true;
    }
    ControllerHarness exit2_ctl(net.controller_options(exit2));
    exit2_ctl.controller->start();
    REQUIRE(exit2_ctl.wait_ready());
    // Tor's own list of its OR connections, either direction: "$FP~nick STATE".
    auto [oe, orconns] = exit2_ctl.call("GETINFO orconn-status");
    REQUIRE((!oe && orconns.ok()));
    std::string listed;
    for (const auto& line : orconns.lines) listed += line.text + "\n" + line.data + "\n";
    for (const auto& peer : net.all()) {
      if (peer.role == "client" || peer.fingerprint.empty() || peer.nickname == "exit2" ||
          listed.find("$" + peer.fingerprint) != std::string::npos) {
        continue;
      }
      auto [e, r] = exit2_ctl.call("EXTENDCIRCUIT 0 " + peer.fingerprint);
      if (!e && r.ok()) ++asked;
    }
  }
  INFO("relays exit2 had no OR connection with, now asked for a one-hop circuit: " << asked);
  bool or_out = false, exit_out = false, or_in = false;
  for (int attempt = 0; attempt < 20 && !(or_out && exit_out && or_in); ++attempt) {
    json s = snapshot_of(exit2);
    for (const auto& c : s["connections"]) {
      std::string local = c["local"]["address"];
      std::string cat = c["category"];
      if (cat == "outbound-relay") or_out = true;
      if (cat == "exit") exit_out = true;
      if (cat == "inbound-relay" && local == "127.0.0.4") or_in = true;
      CHECK(cat != "unexpected");
      // Every inbound socket is the ORPort's (127.0.0.4) or the control port's.
      if (c["direction"] == "inbound") {
        CHECK((local == "127.0.0.4" || cat == "control"));
      }
    }
    CHECK(s["alerts"].size() == 0);
    if (!(or_out && exit_out && or_in)) std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  // With an OR connection to every relay already (all of them inbound),
  // nothing can make exit2 open one: the outbound half cannot be judged
  // there, and the classification of what it has is checked above.
  if (already_out || asked > 0) CHECK(or_out);
  CHECK(exit_out);
  CHECK(or_in);
}

// The client prefers IPv6 to its guards, which middle1 and exit1 offer on
// [::1]: named relay connections over IPv6, and middle1's IPv6 ORPort.
void check_ipv6(Testnet& net) {
  // Its guards are chosen at random: a one-hop circuit to each IPv6 relay
  // makes sure it has an OR connection to them (over IPv6, preferred).
  {
    ControllerHarness client_ctl(net.controller_options(net.first("client")));
    client_ctl.controller->start();
    REQUIRE(client_ctl.wait_ready());
    for (const char* nick : {"middle1", "exit1"}) {
      auto [e, r] = client_ctl.call("EXTENDCIRCUIT 0 " + net.instance(nick).fingerprint);
      CHECK((!e && r.ok()));
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  json c = snapshot_of(net.first("client"));
  bool named_v6 = false;
  for (const auto& conn : c["connections"]) {
    if (conn["remote"]["address"] == "::1" && conn["category"] == "outbound-relay") {
      CHECK(!conn["relay_nickname"].get<std::string>().empty());
      named_v6 = true;
    }
  }
  json m = snapshot_of(net.instance("middle1"));
  bool listens_v6 = false;
  for (const auto& conn : m["connections"]) {
    if (conn["category"] == "listener" && conn["local"]["address"] == "::1") listens_v6 = true;
    if (conn["local"]["address"] == "::1" && conn["direction"] == "inbound") {
      // An IPv6 peer of the ORPort: a client (hidden) or a relay (named).
      CHECK((conn["category"] == "inbound-client" || conn["category"] == "inbound-relay"));
      if (conn["category"] == "inbound-client") CHECK(conn["remote"]["address"] != "::1");
      if (conn["category"] == "inbound-relay") CHECK(!conn["relay_nickname"].empty());
    }
  }
  CHECK(listens_v6);
  INFO(c.dump(1));
  CHECK(named_v6);
}

// The client's onion service (HiddenServicePort 80 -> the web server): its
// socket to the web server is hidden-service while a stream is open.
void check_onion_service(Testnet& net) {
  auto client = net.first("client");
  std::ifstream in(net.dir() + "/client1/hs/hostname");
  std::string onion;
  in >> onion;
  REQUIRE(onion.size() > 6);
  std::string socks;
  for (const auto& i : net.state()["instances"]) {
    if (i["role"] == "client")
      socks = "127.0.0.1:" + std::to_string(i["ports"]["socks"].get<int>());
  }
  std::atomic<bool> done{false};
  CommandResult fetched;
  std::thread download([&] {
    // Slow at the source (tn_httpd.py's /trickle/), so the service's socket
    // stays open while relaymon looks.
    fetched = run_command({"curl", "-sS", "-o", "/dev/null", "--max-time", "60", "-w",
                           "%{http_code} %{size_download}", "--socks5-hostname", socks,
                           "http://" + onion + "/trickle/20"},
                          {}, 70);
    done = true;
  });
  JoinOnExit joiner{download};
  bool seen = false;
  std::string last;
  for (int attempt = 0; attempt < 30 && !seen && !done; ++attempt) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    json s = snapshot_of(client);
    last = s["connections"].dump();
    for (const auto& conn : s["connections"]) {
      if (conn["category"] == "hidden-service") {
        CHECK(conn["remote"]["port"] == net.state()["http"]["port"]);
        seen = true;
      }
    }
  }
  download.join();
  INFO(last);
  INFO("curl: " << fetched.exit_code << " " << fetched.out << fetched.err);
  CHECK(seen);
}

}  // namespace

// One network, one three-minute wait: while relaymon watches the four
// relays under load, the other scenarios run against the same network.
TEST_CASE(
    "truth: 3 minutes of bulk traffic both ways raise no alert on a healthy middle or exit, and "
    "meanwhile every socket is right, exit2's bound ORPort, IPv6 peers and the onion service") {
  Testnet net;
  // Downloads and uploads through both exits (tn_traffic: three of each in
  // turn), from the network's first minutes on.
  net.start_traffic(200);
  std::vector<TestnetInstance> tors = {net.instance("middle1"), net.instance("middle2"),
                                       net.instance("exit1"), net.instance("exit2")};
  std::vector<Watch> watches;
  std::thread watching([&] { watches = watch_all(tors, 180, ""); });
  JoinOnExit joiner{watching};
  std::this_thread::sleep_for(std::chrono::seconds(5));  // streams through both exits
  check_truth_report(net);
  check_exit2_bound_orport(net);
  check_ipv6(net);
  check_onion_service(net);
  watching.join();
  for (const auto& w : watches) {
    INFO(w.nickname << ":\n" << w.result.out << w.result.err);
    // Still watching when the three minutes ended (killed then: -1), not
    // gone early with an error.
    CHECK(w.result.exit_code == -1);
    for (const auto& line : lines_of(w.result.out)) CHECK(line["type"] != "alert");
  }
  // The traffic did flow both ways through the exits.
  std::ifstream log(net.dir() + "/traffic.log");
  std::stringstream text;
  text << log.rdbuf();
  CHECK(text.str().find(" GET ") != std::string::npos);
  CHECK(text.str().find(" PUT ") != std::string::npos);
  CHECK(text.str().find("http=201") != std::string::npos);
}

TEST_CASE(
    "truth: a relay that joins late is a relay connection to those that extend to it or accept "
    "it before their consensus lists it, and raises nothing") {
  Testnet net;
  auto middle1 = net.instance("middle1");
  auto auth1 = net.instance("auth1");
  std::vector<TestnetInstance> watched = {middle1, net.instance("middle2"), net.instance("exit1"),
                                          net.instance("exit2")};
  // relaymon watches the relays (one-second polls) through the whole join.
  std::vector<Watch> watches;
  std::thread watching([&] { watches = watch_all(watched, 75, "poll_interval 1\n"); });
  JoinOnExit joiner{watching};
  std::this_thread::sleep_for(std::chrono::seconds(3));

  std::string nick = "late" + std::to_string(::getpid() % 100000);
  auto added = run_command({net.script(), "add-relay", net.dir(), nick}, {}, 60);
  INFO(added.out << added.err);
  REQUIRE(added.exit_code == 0);
  json late = json::parse(added.out);
  std::string fp = late["fingerprint"];

  // Accepted: the newcomer opens a one-hop circuit to middle1 at once.
  ControllerHarness late_ctl(Testnet().controller_options(Testnet().instance(nick)));
  late_ctl.controller->start();
  REQUIRE(late_ctl.wait_ready());
  ControllerHarness middle_ctl(net.controller_options(middle1));
  middle_ctl.controller->start();
  REQUIRE(middle_ctl.wait_ready());
  bool accepted = false;
  for (int i = 0; i < 30 && !accepted; ++i) {
    auto [e, r] = late_ctl.call("EXTENDCIRCUIT 0 " + middle1.fingerprint);
    accepted = !e && r.ok();
    if (!accepted) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  REQUIRE(accepted);
  bool middle_knew_at_accept = !fingerprint_of_ns(middle_ctl, fp).empty();

  // Extended to: an authority knows the newcomer before any relay does
  // (it makes the consensus); it builds middle1 -> newcomer.
  ControllerHarness auth_ctl(net.controller_options(auth1));
  auth_ctl.controller->start();
  REQUIRE(auth_ctl.wait_ready());
  bool extended = false;
  bool middle_knew_at_extend = true;
  for (int i = 0; i < 60 && !extended; ++i) {
    auto [e, r] = auth_ctl.call("EXTENDCIRCUIT 0 " + middle1.fingerprint + "," + fp);
    extended = !e && r.ok();
    if (extended) middle_knew_at_extend = !fingerprint_of_ns(middle_ctl, fp).empty();
    if (!extended) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  REQUIRE(extended);
  // While middle1's consensus still lacks the newcomer, relaymon shows both
  // sockets as relay connections (tor names the peer), never unexpected.
  json m = snapshot_of(middle1);
  bool middle_knows_now = !fingerprint_of_ns(middle_ctl, fp).empty();
  long unlisted = 0;
  for (const auto& conn : m["connections"]) {
    CHECK(conn["category"] != "unexpected");
    if (conn.value("relay_unlisted", false)) ++unlisted;
  }
  if (!middle_knows_now) CHECK(unlisted >= 1);
  watching.join();
  for (const auto& w : watches) {
    INFO(w.nickname << ":\n" << w.result.out << w.result.err);
    for (const auto& line : lines_of(w.result.out)) {
      if (line["type"] != "alert") continue;
      std::string id = line["id"];
      CHECK(id != "private-address");
      CHECK(id != "non-relay-outbound");
      CHECK(id != "crosscheck-mismatch");
    }
  }
  // The situation was the one asked for: middle1 did not list the newcomer
  // when it accepted it (the one-hop circuit comes seconds after the
  // newcomer's bootstrap, well before the next 20 s vote). Whether it still
  // lacked it when it extended depends on when the authority's circuit got
  // through (the next consensus may already be out): recorded, not required.
  CHECK_FALSE(middle_knew_at_accept);
  INFO("middle1 listed the newcomer when it extended to it: " << middle_knew_at_extend);
  CHECK(extended);
}
