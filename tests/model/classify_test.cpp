// Classification rules on hand-built sockets: the situations the loopback
// captures do not contain (IPv6, specific bind addresses, every category).
#include <catch2/catch.hpp>

#include "model/classify.h"

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
  return s;
}

system::Socket udp(const char* state, const char* lip, std::uint16_t lport, const char* rip,
                   std::uint16_t rport) {
  system::Socket s = tcp(state, lip, lport, rip, rport);
  s.protocol = "udp";
  return s;
}

IpPort ipp(const char* ip, std::uint16_t port) {
  return {*IpAddr::parse(ip), port};
}

// Two relays at 192.0.2.20 (one with an IPv6 ORPort), an authority, a
// relay on ::1.
const char* kConsensus =
    "r mirror AAAAAAAAAAAAAAAAAAAAAAAAAAQ 2038-01-01 00:00:00 192.0.2.31 443 80\n"
    "s Running V2Dir Valid\n"
    "r near AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.20 9001 0\n"
    "a [2001:db8::20]:9001\n"
    "s Fast Running Stable Valid\n"
    "r near2 AAAAAAAAAAAAAAAAAAAAAAAAAAE 2038-01-01 00:00:00 192.0.2.20 9002 0\n"
    "s Fast Running Valid\n"
    "r auth AAAAAAAAAAAAAAAAAAAAAAAAAAI 2038-01-01 00:00:00 192.0.2.30 443 80\n"
    "s Authority Running V2Dir Valid\n"
    "r loop6 AAAAAAAAAAAAAAAAAAAAAAAAAAM 2038-01-01 00:00:00 127.0.0.9 5009 0\n"
    "a [::1]:5009\n"
    "s Running Valid\n";

const std::string kNear = "0000000000000000000000000000000000000000";
const std::string kNear2 = "0000000000000000000000000000000000000001";
const std::string kAuth = "0000000000000000000000000000000000000002";
const std::string kLoop6 = "0000000000000000000000000000000000000003";

}  // namespace

TEST_CASE("an ORPort bound to 127.0.0.2 is still the ORPort (nyx gets this wrong)", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"127.0.0.2", 5000}}, {"control", {"127.0.0.1", 9051}}};
  system::Sockets s = {
      tcp("LISTEN", "127.0.0.2", 5000, "0.0.0.0", 0),
      tcp("ESTAB", "127.0.0.2", 5000, "127.0.0.1", 40000),      // a client via 127.0.0.2
      tcp("SYN-RECV", "127.0.0.2", 5000, "192.0.2.30", 40001),  // a relay, half-open
      tcp("ESTAB", "127.0.0.1", 5000, "127.0.0.1", 40002),      // not the ORPort's address
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kListener);
  CHECK(cs[1].category == Category::kInboundClient);
  CHECK(cs[1].direction == Direction::kInbound);
  CHECK(cs[2].category == Category::kInboundRelay);
  CHECK(cs[2].relay_fingerprint == kAuth);  // the only relay at that address
  CHECK(cs[2].state == "SYN-RECV");
  CHECK(cs[3].direction == Direction::kOutbound);
  CHECK(cs[3].category == Category::kUnexpected);
  CHECK(cs[3].scrubbed);
}

TEST_CASE("an IPv6 ORPort on ::1 and IPv6 peers (nyx gets this wrong)", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"127.0.0.1", 5000}}, {"or", {"::1", 5000}}};
  system::Sockets s = {
      tcp("LISTEN", "::1", 5000, "::", 0),
      tcp("ESTAB", "::1", 5000, "::1", 41000),                   // the relay on ::1 came in
      tcp("ESTAB", "::1", 41001, "::1", 5009),                   // we went to its IPv6 ORPort
      tcp("ESTAB", "2001:db8::5", 41002, "2001:db8::20", 9001),  // `a` line ORPort
      tcp("SYN-SENT", "127.0.0.1", 41003, "127.0.0.9", 5009),    // its IPv4 ORPort
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kListener);
  CHECK(cs[1].category == Category::kInboundRelay);
  CHECK(cs[1].direction == Direction::kInbound);
  CHECK(cs[1].relay_nickname == "loop6");  // the only relay at ::1
  CHECK(cs[2].category == Category::kOutboundRelay);
  CHECK(cs[2].relay_fingerprint == kLoop6);
  CHECK(cs[3].category == Category::kOutboundRelay);
  CHECK(cs[3].relay_fingerprint == kNear);
  CHECK(cs[3].remote == Endpoint{"2001:db8::20", 9001});
  CHECK(cs[4].category == Category::kOutboundRelay);
  CHECK(cs[4].state == "SYN-SENT");
}

TEST_CASE("wildcard listeners match any local address of their family's port", "[classify]") {
  ClassifyContext ctx;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}, {"dir", {"::", 9030}}, {"socks", {"*", 9050}}};
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "198.51.100.1", 50000),
      tcp("ESTAB", "2001:db8::5", 9030, "2001:db8::99", 50001),
      tcp("ESTAB", "127.0.0.1", 9050, "127.0.0.1", 50002),
      tcp("ESTAB", "192.0.2.5", 9002, "198.51.100.1", 9001),
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kInboundClient);  // no consensus: nobody is a relay
  CHECK(cs[1].category == Category::kInboundDirectory);
  CHECK(cs[1].scrubbed);
  CHECK(cs[2].category == Category::kSocks);
  CHECK(cs[3].direction == Direction::kOutbound);
  CHECK(cs[3].category == Category::kUnexpected);  // no policy, no consensus
}

TEST_CASE("orconn-status tells a client from a relay at the same address", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"192.0.2.5", 9001}}};
  ctx.orconns =
      parse_orconn_status("$" + kNear2 + "~near2 CONNECTED\n192.0.2.20:45000 CONNECTED\n");
  ctx.orconns.edit().push_back(*parse_orconn_target("$" + kNear));
  ctx.orconns.edit().back().id = "17";
  ctx.orconns.edit().push_back(*parse_orconn_target("192.0.2.20:45002"));
  ctx.orconns.edit().back().id = "21";
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 45000),  // listed by ADDR:PORT: client
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 45001),  // a relay of 192.0.2.20
      tcp("ESTAB", "192.0.2.5", 50000, "192.0.2.20", 9001),  // we connected to `near`
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 45002),  // client with an ORCONN id
      // auth's address, but tor reports no connection with auth: in doubt, a client.
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.30", 45003),
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kInboundClient);
  CHECK(cs[0].remote.address.find("192.0.2.20") == std::string::npos);
  CHECK(cs[1].category == Category::kInboundRelay);
  // near and near2 share the address; near is our outbound peer, so this is near2.
  CHECK(cs[1].relay_fingerprint == kNear2);
  CHECK(cs[1].relay_nickname == "near2");
  CHECK(cs[2].category == Category::kOutboundRelay);
  CHECK(cs[2].relay_fingerprint == kNear);
  CHECK(cs[2].orconn_id == 17);
  CHECK(cs[3].category == Category::kInboundClient);
  CHECK(cs[3].orconn_id == 21);
  CHECK(cs[4].category == Category::kInboundClient);
  CHECK(cs[4].scrubbed);
}

TEST_CASE("two unnamed inbound relays from one address stay unnamed", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"192.0.2.5", 9001}}};
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 45001),
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 45002),
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kInboundRelay);
  CHECK(cs[0].relay_fingerprint.empty());
  CHECK(cs[1].relay_fingerprint.empty());
}

TEST_CASE("outbound: DNS, hidden service, directory, exit and unexpected", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  auto policy = ExitPolicy::parse("reject *:25\naccept *:*");
  REQUIRE(policy);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}, {"control", {"127.0.0.1", 9051}}};
  ctx.dns_servers =
      parse_resolv_conf("# generated\nnameserver 192.0.2.53\nnameserver fe80::53%eth0\n");
  REQUIRE(ctx.dns_servers.size() == 2);
  ctx.hidden_service_targets = {ipp("127.0.0.1", 8080)};
  ctx.authorities = {ipp("192.0.2.40", 80)};
  ctx.own_control_local = system::Address{"127.0.0.1", 51000};
  ctx.own_control_remote = system::Address{"127.0.0.1", 9051};
  system::Sockets s = {
      udp("ESTAB", "192.0.2.5", 40000, "192.0.2.53", 53),
      tcp("ESTAB", "192.0.2.5", 40001, "192.0.2.53", 53),
      udp("ESTAB", "192.0.2.5", 40002, "fe80::53", 53),
      tcp("ESTAB", "127.0.0.1", 40003, "127.0.0.1", 8080),
      tcp("ESTAB", "192.0.2.5", 40004, "192.0.2.30", 80),  // auth's DirPort (consensus)
      tcp("ESTAB", "192.0.2.5", 40005, "192.0.2.40", 80),  // configured authority
      tcp("ESTAB", "192.0.2.5", 40006, "93.184.216.34", 443),
      tcp("SYN-SENT", "192.0.2.5", 40007, "10.1.2.3", 22),
      tcp("ESTAB", "192.0.2.5", 40008, "93.184.216.35", 25),  // rejected by the policy
      udp("ESTAB", "192.0.2.5", 40009, "198.51.100.9", 123),  // exits carry TCP only
      tcp("ESTAB", "127.0.0.1", 9051, "127.0.0.1", 51000),
      tcp("ESTAB", "127.0.0.1", 9051, "127.0.0.1", 51001),
      udp("UNCONN", "0.0.0.0", 5353, "0.0.0.0", 0),
      tcp("ESTAB", "192.0.2.5", 40010, "*", 0),  // unreadable peer
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kDns);
  CHECK_FALSE(cs[0].scrubbed);
  // tor's resolver speaks UDP only: TCP to port 53, even of a resolv.conf
  // nameserver, is an exit user's stream, its address hidden (issue 12).
  CHECK(cs[1].category == Category::kExit);
  CHECK(cs[1].scrubbed);
  CHECK(cs[1].remote.address == "192.0.2.0/24");  // a reserved range: the range, not the address
  CHECK(cs[2].category == Category::kDns);
  CHECK(cs[3].category == Category::kHiddenService);
  CHECK(cs[4].category == Category::kDirectoryFetch);
  CHECK(cs[4].relay_fingerprint == kAuth);
  CHECK(cs[5].category == Category::kDirectoryFetch);
  CHECK(cs[5].relay_fingerprint.empty());
  CHECK(cs[6].category == Category::kExit);
  CHECK(cs[6].remote == Endpoint{"exit", 443});
  CHECK(cs[6].service == "https");
  CHECK(cs[6].country.empty());
  CHECK(cs[7].category == Category::kExit);
  CHECK(cs[7].remote == Endpoint{"10.0.0.0/8", 22});
  CHECK(cs[7].service == "ssh");
  CHECK(cs[7].state == "SYN-SENT");
  CHECK(cs[8].category == Category::kUnexpected);
  CHECK(cs[8].remote == Endpoint{"unknown", 25});
  CHECK(cs[9].category == Category::kUnexpected);
  CHECK(cs[10].category == Category::kControl);
  CHECK(cs[10].is_own_control);
  CHECK(cs[11].category == Category::kControl);
  CHECK_FALSE(cs[11].is_own_control);
  CHECK(cs[12].category == Category::kListener);
  CHECK(cs[13].category == Category::kUnexpected);
  CHECK(cs[13].remote.address == "unknown");
}

TEST_CASE("geo (fake lookup) labels clients and relays, never exits", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  auto policy = ExitPolicy::parse("accept *:*");
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  int lookups = 0;
  ctx.geo = [&](const IpAddr& ip) {
    ++lookups;
    geo::Info info;
    if (ip.to_string() == "203.0.113.7") info = {"DE", 3320, "Deutsche Telekom AG"};
    if (ip.to_string() == "192.0.2.20") info = {"NL", std::nullopt, ""};
    return info;
  };
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "203.0.113.7", 50000),
      tcp("ESTAB", "192.0.2.5", 9001, "203.0.113.8", 50001),
      tcp("ESTAB", "192.0.2.5", 50002, "192.0.2.20", 9001),
      tcp("ESTAB", "192.0.2.5", 50003, "203.0.113.7", 443),
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].remote == Endpoint{"client (DE)", 0});
  CHECK(cs[0].country == "DE");
  CHECK(cs[0].asn.empty());  // a client's country, never its AS
  CHECK(cs[1].remote == Endpoint{"client (?"
                                 "?)",
                                 0});
  CHECK(cs[1].country == "??");
  CHECK(cs[2].country == "NL");
  CHECK(cs[2].asn.empty());
  CHECK(cs[3].category == Category::kExit);
  CHECK(cs[3].country.empty());
  CHECK(lookups == 3);  // the exit destination is never looked up
}

TEST_CASE("a slow geo source answers after the sockets are released", "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  auto answered = std::make_shared<bool>(false);  // tor has not answered yet
  ctx.geo = [answered](const IpAddr& ip) {
    geo::Info info;
    if (*answered && ip.to_string() == "203.0.113.7") info.country = "DE";
    return info;
  };
  Classified classified({tcp("ESTAB", "192.0.2.5", 9001, "203.0.113.7", 50000),
                         tcp("ESTAB", "192.0.2.5", 9001, "203.0.113.8", 50001)},
                        ctx);
  auto cs = classified.connections();
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].country == "??");
  // The monitor frees the sockets at once; the decisions stay for what follows.
  classified.release_sockets();
  CHECK(classified.connections().empty());
  *answered = true;
  classified.fill_missing_countries(cs);
  CHECK(cs[0].country == "DE");
  CHECK(cs[0].remote == Endpoint{"client (DE)", 0});
  CHECK(cs[1].country == "??");
  CHECK(classified.host_text(cs[0].host_key) == "203.0.113.7");
}

TEST_CASE("byte counters and rtt come from the socket", "[classify]") {
  ClassifyContext ctx;
  system::Socket s = tcp("ESTAB", "192.0.2.5", 50000, "198.51.100.1", 443);
  s.bytes_received = 1000;
  s.bytes_sent = 700;
  s.bytes_acked = 600;
  s.rtt_ms = 12.5;
  ctx.now = TimePoint{std::chrono::seconds(1234)};
  auto cs = classify({s}, ctx);
  CHECK(cs[0].bytes_in == 1000u);
  CHECK(cs[0].bytes_out == 600u);  // acked: what surely left
  CHECK(cs[0].rtt_ms == 12.5);
  CHECK(cs[0].first_seen == ctx.now);
  s.bytes_acked.reset();
  CHECK(classify({s}, ctx)[0].bytes_out == 700u);
  CHECK(classify({}, ctx).empty());
}

TEST_CASE("a non-authority relay's DirPort is exit traffic on an exit, tor's own fetch elsewhere",
          "[classify]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  auto open = ExitPolicy::parse("accept *:*");
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  system::Sockets s = {tcp("ESTAB", "192.0.2.5", 40001, "192.0.2.31", 80),   // a mirror
                       tcp("ESTAB", "192.0.2.5", 40002, "192.0.2.30", 80)};  // an authority
  auto non_exit = classify(s, ctx);
  CHECK(non_exit[0].category == Category::kDirectoryFetch);
  CHECK(non_exit[1].category == Category::kDirectoryFetch);
  ctx.exit_policy = &*open;
  auto exit = classify(s, ctx);
  CHECK(exit[0].category == Category::kExit);  // a user's stream to a DirPort
  CHECK(exit[0].remote.address == "192.0.2.0/24");
  CHECK(exit[1].category == Category::kDirectoryFetch);  // authorities are tor's own
}

namespace {

OrConn relay_peer(const std::string& fp, const std::string& nick,
                  const char* status = "CONNECTED") {
  OrConn o;
  o.fingerprint = fp;
  o.nickname = nick;
  o.status = status;
  return o;
}

}  // namespace

TEST_CASE("tor first: relays tor names but our consensus lacks are relay connections, unshown",
          "[classify][truth]") {
  // A relay newer than our consensus at 198.51.100.77: tor has an inbound
  // and an outbound OR connection with relays it names; the consensus
  // places neither socket.
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  const std::string newcomer = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
  ctx.orconns = {relay_peer(newcomer, "newcomer"), relay_peer(kNear, "near")};
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 9001, "198.51.100.77", 41000),  // inbound from the newcomer
      tcp("ESTAB", "192.0.2.5", 40000, "192.0.2.20", 9001),     // outbound to near
  };
  auto cs = classify(s, ctx);
  CHECK(cs[1].category == Category::kOutboundRelay);
  CHECK(cs[1].relay_fingerprint == kNear);
  REQUIRE(cs[0].category == Category::kInboundRelay);
  CHECK(cs[0].relay_unlisted);
  CHECK(cs[0].scrubbed);
  CHECK(cs[0].remote.address == "unlisted relay");  // never its address: it might be a client
  CHECK(cs[0].relay_fingerprint == newcomer);       // the only such peer, the only such socket
  CHECK(cs[0].relay_nickname == "newcomer");
  // Without tor's word it stays a client.
  ctx.orconns = {relay_peer(kNear, "near")};
  auto without = classify(s, ctx);
  CHECK(without[0].category == Category::kInboundClient);
}

TEST_CASE("tor first: an outbound OR connection to an unlisted relay on a non-exit",
          "[classify][truth]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  ctx.orconns = {relay_peer(std::string(40, 'C'), "", "LAUNCHED"),
                 relay_peer(std::string(40, 'D'), "dee")};
  system::Sockets s = {
      tcp("SYN-SENT", "192.0.2.5", 40000, "10.9.9.9", 7001),  // being launched
      tcp("ESTAB", "192.0.2.5", 40001, "203.0.113.8", 443),
      tcp("ESTAB", "192.0.2.5", 40002, "203.0.113.9", 6667),  // one more than tor has peers
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kOutboundRelay);
  CHECK(cs[1].category == Category::kOutboundRelay);
  CHECK(cs[2].category == Category::kUnexpected);  // tor's peers are all placed
  for (const auto& c : cs) CHECK(c.scrubbed);
  CHECK(cs[0].relay_fingerprint.empty());  // two such peers: no name is certain
}

TEST_CASE("tor first: on an exit, a port the policy rejects is the relay, not the exit stream",
          "[classify][truth]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  auto policy = ExitPolicy::parse("accept *:80\naccept *:443\nreject *:*");
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.listeners = {{"or", {"0.0.0.0", 9001}}};
  ctx.orconns = {relay_peer(std::string(40, 'E'), "late")};
  system::Sockets s = {
      tcp("ESTAB", "192.0.2.5", 40000, "203.0.113.8", 443),    // a user's stream
      tcp("ESTAB", "192.0.2.5", 40001, "203.0.113.50", 9050),  // the late relay's ORPort
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kExit);
  CHECK(cs[1].category == Category::kOutboundRelay);
  CHECK(cs[1].relay_nickname == "late");
  CHECK(cs[1].remote.port == 9050);
  CHECK(cs[1].remote.address == "unlisted relay");
}

TEST_CASE("exits an accept rule names are marked, catch-all ones are not", "[classify]") {
  auto policy = ExitPolicy::parse("accept 127.0.0.1:*\naccept *:443\nreject *:*");
  ClassifyContext ctx;
  ctx.exit_policy = &*policy;
  system::Sockets s = {tcp("ESTAB", "127.0.0.1", 40000, "127.0.0.1", 8080),
                       tcp("ESTAB", "192.0.2.5", 40001, "10.0.0.1", 443)};
  auto cs = classify(s, ctx);
  CHECK(cs[0].exit_named_by_policy);
  CHECK_FALSE(cs[1].exit_named_by_policy);
}

// Seed 001's exit: ORPort on one address, OR connections bound to a second
// (OutboundBindAddressOR), exit streams to a third (OutboundBindAddressExit).
// Written by hand ("fake"): tor never binds outbound sockets whose
// destination is loopback (connection.c), so the loopback network cannot
// produce them; its exit2 checks the ORPort half for real.
TEST_CASE("fake bound addresses (seed 001): ORPort, OR and exit sockets from three addresses",
          "[classify][truth]") {
  RelayIndex index = RelayIndex::from_text(kConsensus);
  auto policy = ExitPolicy::parse("accept *:80\nreject *:*");
  ClassifyContext ctx;
  ctx.relays = &index;
  ctx.exit_policy = &*policy;
  ctx.listeners = {{"or", {"192.0.2.4", 9001}}};
  ctx.orconns = {relay_peer(kNear, "near"), relay_peer(kAuth, "auth")};
  system::Sockets s = {
      tcp("LISTEN", "192.0.2.4", 9001, "0.0.0.0", 0),
      tcp("ESTAB", "192.0.2.4", 9001, "192.0.2.30", 40000),  // the authority comes in
      tcp("ESTAB", "192.0.2.5", 9001, "192.0.2.20", 9001),   // to near, from the OR address;
                                                             // its port happens to be 9001
      tcp("ESTAB", "192.0.2.6", 9001, "203.0.113.8", 80),    // an exit stream, same port
      tcp("ESTAB", "192.0.2.6", 40001, "203.0.113.9", 80),
  };
  auto cs = classify(s, ctx);
  CHECK(cs[0].category == Category::kListener);
  CHECK(cs[1].direction == Direction::kInbound);
  CHECK(cs[1].category == Category::kInboundRelay);
  CHECK(cs[1].relay_nickname == "auth");
  CHECK(cs[2].direction == Direction::kOutbound);
  CHECK(cs[2].category == Category::kOutboundRelay);
  CHECK(cs[2].relay_nickname == "near");
  for (int i : {3, 4}) {
    CHECK(cs[i].direction == Direction::kOutbound);
    CHECK(cs[i].category == Category::kExit);
    CHECK(cs[i].scrubbed);
  }
}
