// The cross-check over the model's two views: tor's account of its OR
// connections (Snapshot::orconns) and the classified sockets. Unnamed peers
// are matched by the model's keyed ADDR:PORT hash, never by address.
#include <catch2/catch.hpp>

#include "analysis/crosscheck.h"
#include "analysis/peers.h"
#include "model/connection_keys.h"
#include "model/tor_inputs.h"

using namespace relaymon;
using namespace relaymon::analysis;

namespace {

const std::string kFp1 = "1111111111111111111111111111111111111111";
const std::string kFp2 = "2222222222222222222222222222222222222222";

model::OrConnection relay_orconn(const std::string& fp, const std::string& nick) {
  model::OrConnection o;
  o.fingerprint = fp;
  o.nickname = nick;
  o.status = "CONNECTED";
  return o;
}

model::OrConnection client_orconn(const std::string& ip_port) {
  model::OrConnection o;
  o.peer_key = model::peer_key_of(*model::parse_ip_port(ip_port));
  o.status = "CONNECTED";
  return o;
}

// One socket as the model classifies it, with the model's keys.
void add(std::vector<model::Connection>& conns, std::string ip, std::uint16_t port,
         model::Category category, std::string fp = "") {
  model::Connection c;
  c.category = category;
  c.state = "ESTAB";
  c.relay_fingerprint = fp;
  c.relay_nickname = fp.empty() ? "" : "nick";
  auto peer = *model::parse_ip_port(ip + ":" + std::to_string(port));
  c.peer_key = model::peer_key_of(peer);
  c.host_key = model::host_key_of(peer.ip);
  c.key = c.peer_key ^ conns.size();
  if (category == model::Category::kInboundClient) {
    c.remote = {"client (DE)", 0};
    c.scrubbed = true;
  } else {
    c.remote = {ip, port};
  }
  conns.push_back(c);
}

}  // namespace

TEST_CASE("compare: matched, only_control and only_system as multisets", "[crosscheck]") {
  std::vector<model::Connection> conns;
  add(conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  add(conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  add(conns, "198.51.100.9", 4444, model::Category::kInboundClient);
  add(conns, "127.0.0.1", 8080, model::Category::kExit);  // not an OR connection
  std::vector<model::OrConnection> orconns = {relay_orconn(kFp1, "one"), relay_orconn(kFp2, "two"),
                                              client_orconn("198.51.100.9:4444")};
  auto result = compare(control_side(orconns), system_side(conns));
  CHECK(result.matched == 2);  // one relay connection, the client
  REQUIRE(result.only_control.size() == 1);
  CHECK(result.only_control[0].description() == "relay $" + kFp2 + "~two");
  REQUIRE(result.only_system.size() == 1);  // the second connection to kFp1
  CHECK(result.only_system[0].key() == "$" + kFp1);
  CHECK(result.system_counts.size() == 2);
  // Descriptions never carry the client's address.
  for (const auto& e : system_side(conns)) {
    CHECK(describe(e).find("198.51.100.9") == std::string::npos);
  }
}

TEST_CASE("compare: a client at another port of the same address is no match", "[crosscheck]") {
  std::vector<model::Connection> conns;
  add(conns, "198.51.100.9", 4445, model::Category::kInboundClient);
  auto result = compare(control_side({client_orconn("198.51.100.9:4444")}), system_side(conns));
  CHECK(result.matched == 0);
  CHECK(result.only_control.size() == 1);
  CHECK(result.only_system.size() == 1);
}

TEST_CASE("conn/all entries become OR connections: only established inter-tor ones",
          "[crosscheck]") {
  auto entries = control::parse_conn_all("1 0 " + kFp1 +
                                         " 127.0.0.1 5001 40000 ORT 1 1 1\n"
                                         "2 0 0 198.51.100.9 4444 5000 ICT 1 1 1\n"
                                         "3 0 0 0 0 0 IRt 1 1 1\n"
                                         "4 0 " +
                                         kFp2 + " 127.0.0.1 5002 40001 oRT 1 1 1\n");
  auto orconns = model::orconns_from_conn_all(entries);
  REQUIRE(orconns.size() == 2);
  CHECK(orconns[0].fingerprint == kFp1);
  REQUIRE(orconns[1].address);
  CHECK(orconns[1].address->port == 4444);
}

TEST_CASE("tracker: a discrepancy is persistent only after N consecutive polls", "[crosscheck]") {
  CrossCheckTracker tracker(3);
  // The discrepancy points into tor's list, as compare() makes it.
  std::vector<model::OrConnection> orconns = {relay_orconn(kFp2, "two")};
  Comparison lag;
  lag.only_control = {{control_side(orconns).at(0)}};
  Comparison clean;
  clean.matched = 4;
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  CHECK(tracker.update(clean, "orconn-status").persistent.empty());  // streak broken
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  auto third = tracker.update(lag, "orconn-status");
  REQUIRE(third.persistent.size() == 1);
  CHECK(third.persistent[0].find("reported by tor, not seen by the system") != std::string::npos);
  CHECK(third.persistent[0].find("relay $" + kFp2 + "~two") != std::string::npos);
  CHECK(third.only_control == 1);
  CHECK(third.control_source == "orconn-status");
}

TEST_CASE("count_peers groups by host key and describes in scrubbed form", "[crosscheck]") {
  std::vector<model::Connection> conns;
  for (int i = 0; i < 3; ++i) {
    add(conns, "198.51.100.9", static_cast<std::uint16_t>(4444 + i),
        model::Category::kInboundClient);
  }
  add(conns, "203.0.113.1", 4444, model::Category::kInboundClient);
  add(conns, "127.0.0.1", 9050, model::Category::kSocks);
  add(conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);  // relays do not count
  auto peers = count_peers(conns);
  REQUIRE(peers.size() == 2);
  CHECK(peers[0].count == 3);
  CHECK(peers[0].description.rfind("host ", 0) == 0);
  CHECK(peers[0].description.find("198.51") == std::string::npos);
  // Only hosts past a count: the one with three connections.
  auto busy = count_peers(conns, 2);
  REQUIRE(busy.size() == 1);
  CHECK(busy[0].count == 3);
  CHECK(busy[0].host_key == peers[0].host_key);
  CHECK(count_peers(conns, 3).empty());
}

TEST_CASE("compare: inbound relay connections without a fingerprint match leftover relays",
          "[crosscheck]") {
  // Seen on the loopback network: tor names inbound relays by fingerprint,
  // the system only sees their address and an ephemeral port.
  std::vector<model::Connection> conns;
  add(conns, "127.0.0.1", 42666, model::Category::kInboundRelay);
  add(conns, "127.0.0.1", 42667, model::Category::kInboundRelay);
  add(conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  std::vector<model::OrConnection> orconns = {relay_orconn(kFp1, "one"), relay_orconn(kFp2, "two")};
  auto result = compare(control_side(orconns), system_side(conns));
  CHECK(result.matched == 2);
  CHECK(result.only_control.empty());
  REQUIRE(result.only_system.size() == 1);  // one inbound relay tor does not report
  CHECK(result.only_system[0].any_relay());
  orconns.push_back(relay_orconn(std::string(40, '3'), "three"));
  orconns.push_back(relay_orconn(std::string(40, '4'), "four"));
  result = compare(control_side(orconns), system_side(conns));
  CHECK(result.matched == 3);
  CHECK(result.only_control.size() == 1);
  CHECK(result.only_system.empty());
}
