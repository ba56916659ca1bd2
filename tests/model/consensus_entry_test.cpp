// The consensus entry a connection's details show: parsed from recorded
// consensus text, carried into the Snapshot for the relays connections name.
#include <catch2/catch.hpp>

#include "model/relay_index.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

namespace {

const std::string kExit5 = "409DB424584D21D4AE19B549113BF9D4EAFFE456";
const std::string kRelay3 = "9753D0E4577D371BB994A3489E1FFABDFE799E72";

Connection to_relay(std::string fingerprint) {
  Connection c;
  c.category = Category::kOutboundRelay;
  c.relay_fingerprint = std::move(fingerprint);
  return c;
}

}  // namespace

TEST_CASE("consensus entries (recorded consensus) keep published, v, w and p",
          "[relay_index][consensus_entry]") {
  RelayIndex index = RelayIndex::from_text(getinfo_value(
      kTestnet +
      "control/extra-getinfo/exit-labexit4/12-getinfo-dir_status-vote_current_consensus.txt"));
  std::vector<Connection> connections{to_relay(kRelay3), to_relay(kExit5), to_relay(""),
                                      to_relay("$" + kExit5 + "~labexit5"),
                                      to_relay("0000000000000000000000000000000000000000")};
  auto entries = peer_entries(index, connections);
  // labexit5 named twice, the unnamed and the unknown relay not at all.
  REQUIRE(entries.size() == 2);
  const ConsensusEntry& exit5 = entries[0];
  CHECK(exit5.fingerprint == kExit5);
  CHECK(exit5.nickname == "labexit5");
  CHECK(exit5.published == "2026-11-21 22:20:10");
  CHECK(exit5.address == "127.0.0.1");
  CHECK(exit5.or_port == 5005);
  CHECK(exit5.dir_port == 0);
  CHECK(exit5.or_addresses.empty());
  CHECK(exit5.flags ==
        std::vector<std::string>{"Exit", "Fast", "Guard", "HSDir", "Running", "V2Dir", "Valid"});
  CHECK(exit5.version == "Tor 0.4.9.11");
  CHECK(exit5.bandwidth == 1000u);
  CHECK(exit5.exit_summary == "reject 1-65535");
  CHECK(entries[1].fingerprint == kRelay3);
  CHECK(entries[1].nickname == "labrelay3");
  CHECK(entries[1].or_port == 5003);
}

TEST_CASE("consensus entries (recorded ns/all) without v lines leave the version empty",
          "[relay_index][consensus_entry]") {
  RelayIndex index = RelayIndex::from_text(
      getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt"));
  auto entries = peer_entries(index, {to_relay(kExit5)});
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].published == "2038-01-01 00:00:00");
  CHECK(entries[0].version.empty());
  CHECK(entries[0].bandwidth == 1000u);
  CHECK(entries[0].exit_summary == "reject 1-65535");
  CHECK(peer_entries(RelayIndex{}, {to_relay(kExit5)}).empty());
}

TEST_CASE("consensus entries give `a` addresses as text, IPv6 in brackets",
          "[relay_index][consensus_entry]") {
  const char* text =
      "r dual AAAAAAAAAAAAAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBBBBBBBBBBBBB 2026-11-21 22:20:10 "
      "192.0.2.1 9001 9030\r\n"
      "a [2001:db8::1]:9002\r\n"
      "a 198.51.100.2:443\r\n"
      "a 2001:db8::2:9003\r\n"  // unbracketed IPv6: ambiguous, skipped
      "s Fast Running\r\n"
      "w Bandwidth=12 Measured=10\r\n";
  ConsensusParse parsed = parse_consensus(text);
  CHECK(parsed.malformed_lines == 1);
  REQUIRE(parsed.relays.size() == 1);
  ConsensusEntry e = to_consensus_entry(parsed.relays[0]);
  CHECK(e.fingerprint == std::string(40, '0'));
  CHECK(e.address == "192.0.2.1");
  CHECK(e.dir_port == 9030);
  CHECK(e.or_addresses == std::vector<std::string>{"[2001:db8::1]:9002", "198.51.100.2:443"});
  CHECK(e.bandwidth == 12u);
  CHECK(e.version.empty());
  CHECK(e.exit_summary.empty());
}
