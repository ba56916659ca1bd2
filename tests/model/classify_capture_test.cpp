// Classification of the real sockets of the loopback test network's tors
// (os/ss-tnp.txt, os/ss-tlnp.txt), with the same instance's control-port
// captures as context.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <map>
#include <set>
#include <sstream>

#include "model/classify.h"
#include "model_fixtures.h"
#include "system/lsof_parser.h"
#include "system/netstat_parser.h"
#include "system/ss_parser.h"

using namespace relaymon;
using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;
using relaymon::model::testing::read_fixture;

namespace {

constexpr int kExit4Pid = 31103;
constexpr int kClient7Pid = 31148;

// nickname of each tor pid (os/tor-pids.txt).
std::map<int, std::string> tor_pids() {
  std::map<int, std::string> out;
  std::istringstream in(read_fixture(kTestnet + "os/tor-pids.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string nick;
    int pid = 0;
    f >> nick >> pid;
    out[pid] = nick;
  }
  return out;
}

system::Sockets all_sockets() {
  system::Sockets all = system::parse_ss(read_fixture(kTestnet + "os/ss-tnp.txt"));
  system::Sockets listening = system::parse_ss(read_fixture(kTestnet + "os/ss-tlnp.txt"));
  all.insert(all.end(), listening.begin(), listening.end());
  return all;
}

std::vector<Listener> listeners(const std::string& dir, const std::vector<std::string>& files) {
  std::vector<Listener> out;
  for (const std::string& f : files) {
    std::string key = f.substr(f.find("net_listeners_") + 14);
    key = key.substr(0, key.find('.'));
    auto l = parse_listeners(key, getinfo_value(kTestnet + dir + f));
    out.insert(out.end(), l.begin(), l.end());
  }
  return out;
}

std::size_t count(const std::vector<Connection>& cs, Category c) {
  return static_cast<std::size_t>(
      std::count_if(cs.begin(), cs.end(), [&](const Connection& x) { return x.category == c; }));
}

}  // namespace

TEST_CASE("every socket of the exit labexit4 (captured) is classified", "[classify]") {
  const std::string dir = "control/exit-labexit4/";
  RelayIndex index = RelayIndex::from_text(getinfo_value(kTestnet + dir + "18-getinfo-ns_all.txt"));
  auto policy =
      ExitPolicy::parse(getinfo_value(kTestnet + dir + "21-getinfo-exit-policy_full.txt"));
  REQUIRE(policy);

  ClassifyContext ctx;
  ctx.listeners =
      listeners(dir, {"19-getinfo-net_listeners_or.txt", "20-getinfo-net_listeners_control.txt"});
  REQUIRE(ctx.listeners.size() == 2);
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.orconns = parse_orconn_status(getinfo_value(kTestnet + dir + "14-getinfo-orconn-status.txt"));
  // The capturing controller's connection, as the client side saw it.
  ctx.own_control_local = system::Address{"127.0.0.1", 35506};
  ctx.own_control_remote = system::Address{"127.0.0.1", 8004};

  system::Sockets all = all_sockets();
  system::Sockets mine = system::filter_by_pid(all, kExit4Pid);
  REQUIRE(mine.size() == 11);
  std::vector<Connection> cs = classify(mine, ctx);
  REQUIRE(cs.size() == mine.size());

  CHECK(count(cs, Category::kUnexpected) == 0);
  CHECK(count(cs, Category::kListener) == 2);
  CHECK(count(cs, Category::kInboundRelay) == 4);
  CHECK(count(cs, Category::kInboundClient) == 1);
  CHECK(count(cs, Category::kOutboundRelay) == 2);
  CHECK(count(cs, Category::kExit) == 1);
  CHECK(count(cs, Category::kControl) == 1);

  // Who is really at the other end of each inbound socket: the tor whose
  // socket has the mirrored addresses (every relay-to-relay connection
  // appears once per pid).
  std::map<int, std::string> nick_of = tor_pids();
  auto peer_nick = [&](const system::Socket& s) -> std::string {
    for (const system::Socket& o : all) {
      if (o.pid && *o.pid != kExit4Pid && o.local == s.remote && o.remote == s.local) {
        return nick_of[*o.pid];
      }
    }
    return {};
  };

  for (std::size_t i = 0; i < cs.size(); ++i) {
    const Connection& c = cs[i];
    const system::Socket& s = mine[i];
    INFO(s.local.ip << ":" << s.local.port << " " << s.remote.ip << ":" << s.remote.port);
    switch (c.category) {
      case Category::kOutboundRelay: {
        CHECK(c.direction == Direction::kOutbound);
        const RelayEntry* r = index.by_fingerprint(c.relay_fingerprint);
        REQUIRE(r != nullptr);
        CHECK(r->or_port == s.remote.port);
        CHECK(c.relay_nickname == peer_nick(s));
        CHECK_FALSE(c.scrubbed);
        CHECK(c.remote.address == "127.0.0.1");
        break;
      }
      case Category::kInboundRelay: {
        CHECK(c.direction == Direction::kInbound);
        std::string nick = peer_nick(s);
        // The peer is a relay tor reports connected...
        bool reported = std::any_of(ctx.orconns.begin(), ctx.orconns.end(),
                                    [&](const OrConn& o) { return o.nickname == nick; });
        CHECK(reported);
        // ...and a name, when given, is the right one (four relays share
        // 127.0.0.1 here, so the classifier may not be able to tell).
        if (!c.relay_fingerprint.empty()) CHECK(c.relay_nickname == nick);
        CHECK_FALSE(c.scrubbed);
        break;
      }
      case Category::kInboundClient:
        // labclient7 using labexit4 as its guard: orconn-status lists it by ADDR:PORT.
        CHECK(s.remote.port == 48990);
        CHECK(peer_nick(s) == "labclient7");
        CHECK(c.scrubbed);
        CHECK(c.remote == Endpoint{"client (?"
                                   "?)",
                                   0});
        CHECK(c.relay_fingerprint.empty());
        break;
      case Category::kExit:
        CHECK(s.remote.port == 18080);
        CHECK(c.scrubbed);
        CHECK(c.remote == Endpoint{"127.0.0.0/8", 18080});
        break;
      case Category::kControl:
        CHECK(c.is_own_control);
        CHECK(c.local.port == 8004);
        break;
      case Category::kListener:
        CHECK(c.direction == Direction::kListen);
        CHECK((c.local.port == 5004 || c.local.port == 8004));
        break;
      default:
        FAIL("unexpected category " << to_string(c.category));
    }
  }
}

TEST_CASE("every socket of the client labclient7 (captured) is classified", "[classify]") {
  const std::string dir = "control/client-labclient7/";
  RelayIndex index = RelayIndex::from_text(getinfo_value(kTestnet + dir + "18-getinfo-ns_all.txt"));
  ClassifyContext ctx;
  ctx.listeners =
      listeners(dir, {"19-getinfo-net_listeners_or.txt", "20-getinfo-net_listeners_control.txt"});
  auto socks =
      listeners("control/extra-getinfo/client-labclient7/", {"19-getinfo-net_listeners_socks.txt"});
  REQUIRE(socks.size() == 1);
  ctx.listeners.push_back(socks[0]);
  ctx.relays = &index;  // a client has no exit policy (552): nothing is an exit
  ctx.orconns = parse_orconn_status(getinfo_value(kTestnet + dir + "14-getinfo-orconn-status.txt"));

  system::Sockets all = all_sockets();
  system::Sockets mine = system::filter_by_pid(all, kClient7Pid);
  REQUIRE(mine.size() == 10);
  std::vector<Connection> cs = classify(mine, ctx);
  CHECK(count(cs, Category::kUnexpected) == 0);
  CHECK(count(cs, Category::kListener) == 2);
  CHECK(count(cs, Category::kSocks) == 1);
  CHECK(count(cs, Category::kControl) == 1);
  CHECK(count(cs, Category::kOutboundRelay) == 6);
  std::map<int, std::string> nick_of = tor_pids();
  for (std::size_t i = 0; i < cs.size(); ++i) {
    if (cs[i].category == Category::kSocks) {
      CHECK_FALSE(cs[i].scrubbed);  // a local application on loopback
      CHECK(cs[i].direction == Direction::kInbound);
    }
    if (cs[i].category == Category::kControl) CHECK_FALSE(cs[i].is_own_control);  // not told
    if (cs[i].category != Category::kOutboundRelay) continue;
    // The relay named is the tor listening on that ORPort (tor-pids.txt).
    const RelayEntry* r = index.by_fingerprint(cs[i].relay_fingerprint);
    REQUIRE(r != nullptr);
    CHECK(r->or_port == mine[i].remote.port);
    CHECK(std::any_of(ctx.orconns.begin(), ctx.orconns.end(),
                      [&](const OrConn& o) { return o.fingerprint == r->fingerprint; }));
    CHECK(cs[i].relay_nickname == r->nickname);
  }
}

TEST_CASE("labexit4's sockets classify the same from ss, ss -i, netstat and lsof (captured)",
          "[classify]") {
  const std::string dir = "control/exit-labexit4/";
  RelayIndex index = RelayIndex::from_text(getinfo_value(kTestnet + dir + "18-getinfo-ns_all.txt"));
  auto policy =
      ExitPolicy::parse(getinfo_value(kTestnet + dir + "21-getinfo-exit-policy_full.txt"));
  REQUIRE(policy);
  ClassifyContext ctx;
  ctx.listeners =
      listeners(dir, {"19-getinfo-net_listeners_or.txt", "20-getinfo-net_listeners_control.txt"});
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.orconns = parse_orconn_status(getinfo_value(kTestnet + dir + "14-getinfo-orconn-status.txt"));

  // Category and the one port that identifies the connection, for every
  // connected (non-listening) socket except exits: the tools ran one after
  // the other while downloads came and went, so only exit streams differ.
  auto summary = [&](const system::Sockets& sockets, int* exits = nullptr) {
    std::multiset<std::string> out;
    for (const Connection& c : classify(sockets, ctx)) {
      if (c.category == Category::kListener) continue;
      CHECK(c.category != Category::kUnexpected);
      if (c.category == Category::kExit) {
        CHECK(c.remote == Endpoint{"127.0.0.0/8", 18080});
        if (exits) ++*exits;
        continue;
      }
      std::uint16_t port = c.direction == Direction::kInbound ? c.local.port : c.remote.port;
      out.insert(fmt::format("{} {} {}", to_string(c.category), port, c.relay_nickname));
    }
    return out;
  };
  int exits = 0;
  auto from_ss = summary(
      system::filter_by_pid(system::parse_ss(read_fixture(kTestnet + "os/ss-tnp.txt")), kExit4Pid),
      &exits);
  REQUIRE(from_ss.size() == 8);
  CHECK(exits == 1);
  CHECK(from_ss.count("inbound-client 5004 ") == 1);
  CHECK(from_ss.count("inbound-relay 5004 ") == 4);
  CHECK(from_ss.count("outbound-relay 5006 labrelay6") == 1);
  CHECK(from_ss.count("outbound-relay 5005 labexit5") == 1);
  CHECK(from_ss.count("control 8004 ") == 1);

  system::Sockets tinp =
      system::filter_by_pid(system::parse_ss(read_fixture(kTestnet + "os/ss-tinp.txt")), kExit4Pid);
  exits = 0;
  CHECK(summary(tinp, &exits) == from_ss);
  CHECK(exits >= 1);
  for (const Connection& c : classify(tinp, ctx)) {
    REQUIRE(c.bytes_in.has_value());  // ss -i gives every TCP socket its counters
    if (c.category == Category::kExit) CHECK(*c.bytes_in > 100'000u);  // a download flowing in
  }
  exits = 0;
  CHECK(
      summary(system::filter_by_pid(
                  system::parse_netstat(read_fixture(kTestnet + "os/netstat-tnp.txt")), kExit4Pid),
              &exits) == from_ss);
  CHECK(exits >= 1);
  exits = 0;
  CHECK(summary(system::parse_lsof(read_fixture(kTestnet + "os/lsof-nPi-labexit4.txt")), &exits) ==
        from_ss);
  CHECK(exits >= 1);
}
