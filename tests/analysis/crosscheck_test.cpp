#include <catch2/catch.hpp>

#include "analysis/crosscheck.h"
#include "analysis/peers.h"

using namespace relaymon;
using namespace relaymon::analysis;

namespace {

const std::string kFp1 = "1111111111111111111111111111111111111111";
const std::string kFp2 = "2222222222222222222222222222222222222222";

model::OrConn relay_orconn(const std::string& fp, const std::string& nick) {
  model::OrConn o;
  o.fingerprint = fp;
  o.nickname = nick;
  o.status = "CONNECTED";
  return o;
}

// One socket and its classification.
void add(system::Sockets& sockets, std::vector<model::Connection>& conns, std::string ip,
         std::uint16_t port, model::Category category, std::string fp = "") {
  system::Socket s;
  s.protocol = "tcp";
  s.state = "ESTAB";
  s.local = {"127.0.0.1", 5000};
  s.remote = {ip, port};
  sockets.push_back(s);
  model::Connection c;
  c.category = category;
  c.state = "ESTAB";
  c.relay_fingerprint = fp;
  c.relay_nickname = fp.empty() ? "" : "nick";
  if (category == model::Category::kInboundClient) {
    c.remote = {"client (DE)", 0};
    c.scrubbed = true;
  } else {
    c.remote = {ip, port};
  }
  conns.push_back(c);
}

}  // namespace

TEST_CASE("conn/all in the seed 003 format is parsed and bad lines are counted", "[crosscheck]") {
  std::string data = "1 0 " + kFp1 +
                     " 127.0.0.1 5001 40000 ORT 100 200 60\n"
                     "2 7 0 0 0 0 IRt 5 6 7 extra-future-field\n"
                     "broken line\n"
                     "3 0 0 203.0.113.4 443 5000 OCt x 1 1\n";
  int skipped = 0;
  auto entries = parse_conn_all(data, &skipped);
  REQUIRE(entries.size() == 2);
  CHECK(skipped == 2);
  CHECK(entries[0].or_id == kFp1);
  CHECK(entries[0].port == 5001);
  CHECK(entries[0].local_port == 40000);
  CHECK(entries[0].flags == "ORT");
  CHECK(entries[0].read == 100);
  CHECK(entries[0].written == 200);
  CHECK(entries[0].uptime == 60);
  CHECK(entries[1].flags == "IRt");
  CHECK(parse_conn_all("").empty());
}

TEST_CASE("conn/all entries: only established inter-tor connections are OR connections",
          "[crosscheck]") {
  auto entries = parse_conn_all("1 0 " + kFp1 +
                                " 127.0.0.1 5001 40000 ORT 1 1 1\n"
                                "2 0 0 198.51.100.9 4444 5000 ICT 1 1 1\n"
                                "3 0 0 0 0 0 IRt 1 1 1\n"
                                "4 0 " +
                                kFp2 + " 127.0.0.1 5002 40001 oRT 1 1 1\n");
  auto side = control_side(entries);
  REQUIRE(side.size() == 2);
  CHECK(side[0].key == "$" + kFp1);
  CHECK(side[1].kind == "client");
  CHECK(side[1].description.find("198.51") == std::string::npos);
}

TEST_CASE("compare: matched, only_control and only_system as multisets", "[crosscheck]") {
  system::Sockets sockets;
  std::vector<model::Connection> conns;
  add(sockets, conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  add(sockets, conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  add(sockets, conns, "198.51.100.9", 4444, model::Category::kInboundClient);
  add(sockets, conns, "127.0.0.1", 8080, model::Category::kExit);  // not an OR connection
  std::vector<model::OrConn> orconns = {relay_orconn(kFp1, "one"), relay_orconn(kFp2, "two")};
  model::OrConn client;
  client.address = model::parse_ip_port("198.51.100.9:4444");
  client.status = "CONNECTED";
  orconns.push_back(client);
  auto result = compare(control_side(orconns), system_side(sockets, conns));
  CHECK(result.matched == 2);  // one relay connection, the client
  REQUIRE(result.only_control.size() == 1);
  CHECK(result.only_control[0].description == "relay $" + kFp2 + "~two");
  REQUIRE(result.only_system.size() == 1);  // the second connection to kFp1
  CHECK(result.only_system[0].key == "$" + kFp1);
  CHECK(result.system_counts.size() == 2);
  // Descriptions never carry the client's address.
  for (const auto& e : system_side(sockets, conns)) {
    CHECK(e.description.find("198.51.100.9") == std::string::npos);
  }
}

TEST_CASE("tracker: a discrepancy is persistent only after N consecutive polls", "[crosscheck]") {
  CrossCheckTracker tracker(3);
  Comparison lag;
  lag.only_control = {{"$" + kFp2, "relay $" + kFp2, "relay"}};
  Comparison clean;
  clean.matched = 4;
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  CHECK(tracker.update(clean, "orconn-status").persistent.empty());  // streak broken
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  CHECK(tracker.update(lag, "orconn-status").persistent.empty());
  auto third = tracker.update(lag, "orconn-status");
  REQUIRE(third.persistent.size() == 1);
  CHECK(third.persistent[0].find("reported by tor, not seen by the system") != std::string::npos);
  CHECK(third.only_control == 1);
  CHECK(third.control_source == "orconn-status");
}

TEST_CASE("count_peers groups by raw address and describes in scrubbed form", "[crosscheck]") {
  system::Sockets sockets;
  std::vector<model::Connection> conns;
  for (int i = 0; i < 3; ++i)
    add(sockets, conns, "198.51.100.9", 4444, model::Category::kInboundClient);
  add(sockets, conns, "203.0.113.1", 4444, model::Category::kInboundClient);
  add(sockets, conns, "127.0.0.1", 9050, model::Category::kSocks);
  auto peers = count_peers(sockets, conns);
  REQUIRE(peers.size() == 2);
  CHECK(peers[0].count == 3);
  CHECK(peers[0].description == "client (DE)");
}

TEST_CASE("compare: inbound relay connections without a fingerprint match leftover relays",
          "[crosscheck]") {
  // Seen on the loopback network: tor names inbound relays by fingerprint,
  // the system only sees their address and an ephemeral port.
  system::Sockets sockets;
  std::vector<model::Connection> conns;
  add(sockets, conns, "127.0.0.1", 42666, model::Category::kInboundRelay);
  add(sockets, conns, "127.0.0.1", 42667, model::Category::kInboundRelay);
  add(sockets, conns, "127.0.0.1", 5001, model::Category::kOutboundRelay, kFp1);
  std::vector<model::OrConn> orconns = {relay_orconn(kFp1, "one"), relay_orconn(kFp2, "two")};
  auto result = compare(control_side(orconns), system_side(sockets, conns));
  CHECK(result.matched == 2);
  CHECK(result.only_control.empty());
  REQUIRE(result.only_system.size() == 1);  // one inbound relay tor does not report
  CHECK(result.only_system[0].any_relay);
  orconns.push_back(relay_orconn(std::string(40, '3'), "three"));
  orconns.push_back(relay_orconn(std::string(40, '4'), "four"));
  result = compare(control_side(orconns), system_side(sockets, conns));
  CHECK(result.matched == 3);
  CHECK(result.only_control.size() == 1);
  CHECK(result.only_system.empty());
}
