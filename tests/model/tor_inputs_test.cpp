#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "model/tor_inputs.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

TEST_CASE("net/listeners values (captured) become listeners, unix sockets are left out",
          "[tor_inputs]") {
  auto control = parse_listeners(
      "control",
      getinfo_value(kTestnet + "control/exit-labexit4/20-getinfo-net_listeners_control.txt"));
  REQUIRE(control.size() == 1);
  CHECK(control[0].kind == "control");
  CHECK(control[0].endpoint == Endpoint{"127.0.0.1", 8004});
  auto orl = parse_listeners(
      "or", getinfo_value(kTestnet + "control/exit-labexit4/19-getinfo-net_listeners_or.txt"));
  REQUIRE(orl.size() == 1);
  CHECK(orl[0].endpoint == Endpoint{"127.0.0.1", 5004});
  CHECK(parse_listeners(
            "or",
            getinfo_value(kTestnet + "control/client-labclient7/19-getinfo-net_listeners_or.txt"))
            .empty());
  auto v6 =
      parse_listeners("or", "\"[::1]:5000\" \"127.0.0.2:5000\" \"[::]:9001\" \"0.0.0.0:9001\"");
  REQUIRE(v6.size() == 4);
  CHECK(v6[0].endpoint == Endpoint{"::1", 5000});
  CHECK(v6[1].endpoint == Endpoint{"127.0.0.2", 5000});
  CHECK(v6[2].endpoint == Endpoint{"::", 9001});
  CHECK(parse_listeners("or", "\"garbage\" \"::1:5000\" \"1.2.3.4:99999\"").empty());
}

TEST_CASE("orconn-status (captured): relays by fingerprint, clients by ADDR:PORT", "[tor_inputs]") {
  auto all = parse_orconn_status(
      getinfo_value(kTestnet + "control/exit-labexit4/14-getinfo-orconn-status.txt"));
  REQUIRE(all.size() == 7);
  CHECK(all[0].fingerprint == "2AB6D6690E4C7C39B56B344E076D05AF95F79CB7");
  CHECK(all[0].nickname == "labauth0");
  CHECK(all[0].status == "CONNECTED");
  CHECK_FALSE(all[0].address.has_value());
  REQUIRE(all[4].address.has_value());
  CHECK(all[4].fingerprint.empty());
  CHECK(all[4].address->ip.to_string() == "127.0.0.1");
  CHECK(all[4].address->port == 48990);
}

TEST_CASE("orconn targets in every spelling, malformed ones refused", "[tor_inputs]") {
  auto eq = parse_orconn_target("$0ccb3a6a5c3cb4776ce1b3298d7ed864e3af0381=labexit4");
  REQUIRE(eq);
  CHECK(eq->fingerprint == "0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381");
  CHECK(eq->nickname == "labexit4");
  auto bare = parse_orconn_target("$0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381");
  REQUIRE(bare);
  CHECK(bare->nickname.empty());
  auto v6 = parse_orconn_target("[2001:db8::7]:443");
  REQUIRE(v6);
  CHECK(v6->address->ip.to_string() == "2001:db8::7");
  for (const char* bad : {"$0CCB", "$0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF038G", "labexit4",
                          "$0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381xnick", "127.0.0.1", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_orconn_target(bad).has_value());
  }
  CHECK(parse_orconn_status("junk\n$0CCB CONNECTED\n\n").empty());
}

TEST_CASE("resolv.conf nameservers", "[tor_inputs]") {
  auto ns = parse_resolv_conf(
      "# comment\nsearch example.org\nnameserver 192.0.2.53\r\nnameserver   2001:db8::53\n"
      "nameserver fe80::1%eth0\nnameserver not-an-ip\noptions edns0\n");
  REQUIRE(ns.size() == 3);
  CHECK(ns[0].to_string() == "192.0.2.53");
  CHECK(ns[1].to_string() == "2001:db8::53");
  CHECK(ns[2].to_string() == "fe80::1");
}

TEST_CASE("IpAddr parses, canonicalizes and compares", "[ip]") {
  CHECK(IpAddr::parse("::ffff:192.0.2.1")->to_string() == "192.0.2.1");
  CHECK(IpAddr::parse("[2001:DB8:0:0::1]")->to_string() == "2001:db8::1");
  CHECK(*IpAddr::parse("2001:db8::1") == *IpAddr::parse("2001:0db8:0000::0001"));
  CHECK_FALSE(*IpAddr::parse("::1") == *IpAddr::parse("0.0.0.1"));
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "::g", "[::1", "localhost",
                          "1.2.3.4 ", "12345678901234567890123456789012345678901234567890"}) {
    INFO(bad);
    CHECK_FALSE(IpAddr::parse(bad).has_value());
  }
  IpAddr a = *IpAddr::parse("10.1.2.3");
  CHECK(a.in(*IpAddr::parse("10.0.0.0"), 8));
  CHECK_FALSE(a.in(*IpAddr::parse("10.0.0.0"), 16));
  CHECK(a.in(*IpAddr::parse("0.0.0.0"), 0));
  CHECK_FALSE(a.in(*IpAddr::parse("::"), 0));  // never across families
  CHECK(network_of(a, 8).to_string() == "10.0.0.0");
  CHECK(network_of(*IpAddr::parse("2001:db8:1:2::3"), 32).to_string() == "2001:db8::");
  CHECK(network_of(a, 32) == a);
  CHECK(network_of(a, 0).to_string() == "0.0.0.0");
}

TEST_CASE("orconn-status (captured): tor writes an IPv6 client without brackets",
          "[tor_inputs][truth]") {
  // middle1 of the loopback network with an IPv6 ORPort on [::1]; the
  // client connected to it over IPv6 and is listed as "::1:PORT".
  std::ifstream in(std::string(RELAYMON_FIXTURES) +
                   "/tor-0.4.9.11-truth/middle1-orconn-status-ipv6.txt");
  std::stringstream text;
  text << in.rdbuf();
  auto all = parse_orconn_status(text.str());
  auto client = std::find_if(all.begin(), all.end(), [](const OrConn& o) { return o.address; });
  REQUIRE(client != all.end());
  CHECK(client->address->ip == *IpAddr::parse("::1"));
  CHECK(client->address->port == 55238);
  REQUIRE(parse_orconn_target("2001:db8::7:9001"));
  CHECK(parse_orconn_target("2001:db8::7:9001")->address->port == 9001);
}
