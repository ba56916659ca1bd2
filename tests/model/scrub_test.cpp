// Privacy: classify and scrub a hand-built set of sockets holding client
// and exit addresses that appear nowhere else, serialize every field of
// every Connection, and look for the raw addresses in the text.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/classify.h"
#include "model/reserved.h"
#include "model/scrub.h"
#include "model/services.h"

using namespace relaymon;
using namespace relaymon::model;

namespace {

system::Socket tcp(const char* state, const char* lip, std::uint16_t lport, const char* rip,
                   std::uint16_t rport) {
  system::Socket s;
  s.protocol = "tcp";
  s.state = state;
  s.local = {lip, lport};
  s.remote = {rip, rport};
  s.bytes_received = 4242;
  s.bytes_acked = 2424;
  return s;
}

template <typename T>
std::string opt(const std::optional<T>& v) {
  return v ? fmt::format("{}", *v) : "-";
}
template <typename T>
std::string opt(const relaymon::text::CompactOptional<T>& v) {
  return opt(std::optional<T>(v));
}

// Every field, so a new leak through any of them shows up here.
std::string serialize(const Connection& c) {
  std::vector<std::string> f = {std::string(to_string(c.category)),
                                std::string(to_string(c.direction)),
                                c.protocol,
                                c.state,
                                c.local.address,
                                std::to_string(c.local.port),
                                c.remote.address,
                                std::to_string(c.remote.port),
                                std::to_string(c.scrubbed),
                                c.relay_fingerprint,
                                c.relay_nickname,
                                c.country,
                                c.asn,
                                c.service,
                                opt(c.bytes_in),
                                opt(c.bytes_out),
                                std::to_string(c.rate_in),
                                std::to_string(c.rate_out),
                                opt(c.rtt_ms),
                                std::to_string(c.first_seen.time_since_epoch().count()),
                                std::to_string(c.orconn_id),
                                std::to_string(c.is_own_control)};
  return fmt::format("{}\n", fmt::join(f, "|"));
}

}  // namespace

TEST_CASE("no client or exit address survives classification", "[scrub][privacy]") {
  RelayIndex index = RelayIndex::from_text(
      "r peer AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.20 9001 0\n");
  auto policy = ExitPolicy::parse("reject 93.184.0.0/16:25, accept *:*");
  REQUIRE(policy);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}},
                   {"or", {"::", 9001}},
                   {"dir", {"0.0.0.0", 9030}},
                   {"socks", {"0.0.0.0", 9050}},
                   {"extor", {"127.0.0.1", 9099}}};
  // The client even appears in orconn-status: its ORCONN id may be shown, not its address.
  ctx.orconns = parse_orconn_status("203.0.113.77:51234 CONNECTED\n");
  ctx.geo = [](const IpAddr& ip) {
    geo::Info info;
    if (ip.to_string() == "203.0.113.77") info = {"DE", 3320, "Deutsche Telekom AG"};
    return info;
  };

  // Addresses that must never appear, and the ports that would identify
  // a client's connection.
  const std::vector<std::string> secret = {"203.0.113.77",
                                           "51234",
                                           "2001:db8:dead:beef::77",
                                           "51235",
                                           "192.0.2.201",
                                           "51236",
                                           "192.0.2.202",
                                           "51237",
                                           "93.184.216.34",
                                           "10.11.12.13",
                                           "2606:2800:220:1::248",
                                           "93.184.216.35",
                                           "198.18.7.7",
                                           "127.0.0.77",
                                           "51238",
                                           "192.0.2.203",
                                           "51239",
                                           "3320",
                                           "Deutsche Telekom"};
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "203.0.113.77", 51234),                 // guard client
      tcp("SYN-RECV", "2001:db8::5", 9001, "2001:db8:dead:beef::77", 51235),  // IPv6 client
      tcp("ESTAB", "192.0.2.5", 9030, "192.0.2.201", 51236),                  // directory client
      tcp("ESTAB", "192.0.2.5", 9050, "192.0.2.202", 51237),                  // exposed SocksPort
      tcp("ESTAB", "192.0.2.5", 40001, "93.184.216.34", 443),                 // exit
      tcp("SYN-SENT", "192.0.2.5", 40002, "10.11.12.13", 22),                 // private exit
      tcp("ESTAB", "2001:db8::5", 40003, "2606:2800:220:1::248", 80),         // IPv6 exit
      tcp("ESTAB", "192.0.2.5", 40004, "93.184.216.35", 25),  // rejected: unexpected
      tcp("ESTAB", "192.0.2.5", 40005, "198.18.7.7", 9999),   // reserved exit
      tcp("ESTAB", "127.0.0.1", 9099, "127.0.0.77", 51238),   // pluggable transport
      tcp("ESTAB", "192.0.2.5", 9999, "192.0.2.203", 51239),  // listener tor did not report
      tcp("ESTAB", "192.0.2.5", 40006, "192.0.2.20", 9001),   // relay: public, shown
      tcp("LISTEN", "0.0.0.0", 9999, "0.0.0.0", 0),
  };
  auto cs = classify(s, ctx);
  REQUIRE(cs.size() == s.size());
  std::string all;
  for (const Connection& c : cs) all += serialize(c);
  INFO(all);
  for (const std::string& x : secret) {
    INFO("leaked: " << x);
    CHECK(all.find(x) == std::string::npos);
  }
  // What is shown instead.
  CHECK(cs[0].remote == Endpoint{"client (DE)", 0});
  CHECK(cs[0].asn.empty());  // a client's AS narrows it down too
  CHECK(cs[1].category == Category::kInboundClient);
  CHECK(cs[2].category == Category::kInboundDirectory);
  CHECK(cs[3].category == Category::kSocks);
  CHECK(cs[4].remote == Endpoint{"exit", 443});
  CHECK(cs[5].remote == Endpoint{"10.0.0.0/8", 22});
  CHECK(cs[6].remote == Endpoint{"exit", 80});
  CHECK(cs[6].service == "http");
  CHECK(cs[7].category == Category::kUnexpected);
  CHECK(cs[8].remote == Endpoint{"198.18.0.0/15", 9999});
  CHECK(cs[9].category == Category::kInboundClient);
  CHECK(cs[10].category == Category::kUnexpected);
  CHECK(cs[10].direction == Direction::kInbound);
  for (std::size_t i = 0; i < 11; ++i) CHECK(cs[i].scrubbed);
  CHECK_FALSE(cs[11].scrubbed);
  CHECK(cs[11].remote == Endpoint{"192.0.2.20", 9001});
}

TEST_CASE("reserved ranges name the range, most specific first", "[scrub]") {
  auto range = [](const char* ip) {
    return std::string(reserved_range(*IpAddr::parse(ip)).value_or("public"));
  };
  CHECK(range("10.1.2.3") == "10.0.0.0/8");
  CHECK(range("127.0.0.1") == "127.0.0.0/8");
  CHECK(range("172.31.0.1") == "172.16.0.0/12");
  CHECK(range("192.168.7.7") == "192.168.0.0/16");
  CHECK(range("100.100.0.1") == "100.64.0.0/10");
  CHECK(range("169.254.9.9") == "169.254.0.0/16");
  CHECK(range("224.0.0.251") == "224.0.0.0/4");
  CHECK(range("255.255.255.255") == "240.0.0.0/4");
  CHECK(range("::1") == "::1/128");
  CHECK(range("::") == "::/128");
  CHECK(range("fd00::1") == "fc00::/7");
  CHECK(range("fe80::1") == "fe80::/10");
  CHECK(range("ff02::1") == "ff00::/8");
  CHECK(range("::ffff:10.0.0.1") == "10.0.0.0/8");
  CHECK(range("8.8.8.8") == "public");
  CHECK(range("172.32.0.1") == "public");
  CHECK(range("2a00:1450::1") == "public");
}

TEST_CASE("service names for exit ports", "[scrub]") {
  CHECK(service_name(22) == "ssh");
  CHECK(service_name(53) == "domain");
  CHECK(service_name(80) == "http");
  CHECK(service_name(443) == "https");
  CHECK(service_name(8443) == "https-alt");
  CHECK(service_name(20) == "ftp-data");
  CHECK(service_name(0).empty());
  CHECK(service_name(18080).empty());
  CHECK(service_name(65535).empty());
}

TEST_CASE("must_scrub by category", "[scrub]") {
  auto loop = IpAddr::parse("127.0.0.1");
  auto pub = IpAddr::parse("203.0.113.1");
  CHECK(must_scrub(Category::kInboundClient, Direction::kInbound, loop));
  CHECK(must_scrub(Category::kExit, Direction::kOutbound, loop));
  CHECK(must_scrub(Category::kUnexpected, Direction::kOutbound, std::nullopt));
  CHECK(must_scrub(Category::kSocks, Direction::kInbound, pub));
  CHECK_FALSE(must_scrub(Category::kSocks, Direction::kInbound, loop));
  CHECK_FALSE(must_scrub(Category::kOutboundRelay, Direction::kOutbound, pub));
  CHECK_FALSE(must_scrub(Category::kInboundRelay, Direction::kInbound, pub));
  CHECK_FALSE(must_scrub(Category::kControl, Direction::kInbound, loop));
  CHECK_FALSE(must_scrub(Category::kListener, Direction::kListen, std::nullopt));
}
