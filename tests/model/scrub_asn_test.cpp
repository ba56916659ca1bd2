// A client's AS number narrows it down as much as a /16 does (often to one
// provider in one town): with an ASN database configured, scrub() kept it
// for inbound clients and it reached the JSON. Every scrubbed connection
// now carries no AS; relays (public consensus data) keep theirs.
#include <catch2/catch.hpp>

#include "model/classify.h"
#include "model/scrub.h"

using namespace relaymon;
using namespace relaymon::model;

namespace {

geo::Info telekom() {
  return {"DE", 3320, "Deutsche Telekom AG"};
}

}  // namespace

TEST_CASE("scrub clears the AS of every scrubbed connection, inbound and outbound", "[scrub]") {
  struct Case {
    Category category;
    Direction direction;
    const char* remote;
  };
  const Case cases[] = {
      {Category::kInboundClient, Direction::kInbound, "203.0.113.77"},
      {Category::kInboundClient, Direction::kInbound, "2001:db8:dead:beef::77"},
      {Category::kInboundDirectory, Direction::kInbound, "203.0.113.78"},
      {Category::kSocks, Direction::kInbound, "203.0.113.79"},  // an exposed SocksPort
      {Category::kUnexpected, Direction::kInbound, "203.0.113.80"},
      {Category::kExit, Direction::kOutbound, "93.184.216.34"},
      {Category::kUnexpected, Direction::kOutbound, "93.184.216.35"},
      {Category::kDns, Direction::kInbound, "203.0.113.81"},
  };
  for (const auto& k : cases) {
    INFO(to_string(k.category) << " " << to_string(k.direction) << " " << k.remote);
    Connection c;
    c.category = k.category;
    c.direction = k.direction;
    c.remote = {k.remote, 443};
    c.asn = telekom().asn_text();  // as classify() fills it before scrubbing
    auto ip = IpAddr::parse(k.remote);
    REQUIRE(ip);
    REQUIRE(must_scrub(k.category, k.direction, ip));
    scrub(c, ip, telekom());
    CHECK(c.scrubbed);
    CHECK(c.asn.empty());
    CHECK(c.remote.address.find(k.remote) == std::string::npos);
  }
}

TEST_CASE("a client keeps its country but not its AS, a relay keeps its AS", "[scrub]") {
  Connection client;
  client.category = Category::kInboundClient;
  client.direction = Direction::kInbound;
  scrub(client, IpAddr::parse("203.0.113.77"), telekom());
  CHECK(client.country == "DE");
  CHECK(client.remote == Endpoint{"client (DE)", 0});
  CHECK(client.asn.empty());

  // Through classify(), with a geo lookup that knows both addresses.
  RelayIndex index = RelayIndex::from_text(
      "r peer AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.20 9001 0\n");
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  ctx.geo = [](const IpAddr&) { return telekom(); };
  system::Socket inbound;
  inbound.protocol = "tcp";
  inbound.state = "ESTAB";
  inbound.local = {"192.0.2.5", 9001};
  inbound.remote = {"203.0.113.77", 51234};
  system::Socket relay = inbound;
  relay.local = {"192.0.2.5", 40006};
  relay.remote = {"192.0.2.20", 9001};
  auto cs = classify({inbound, relay}, ctx);
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].category == Category::kInboundClient);
  CHECK(cs[0].asn.empty());
  CHECK(cs[0].country == "DE");
  CHECK(cs[1].category == Category::kOutboundRelay);
  CHECK(cs[1].asn == "AS3320 Deutsche Telekom AG");
}
