// The consensus entry a connection's details show: parsed from recorded
// consensus text; the details view converts the one relay it shows from
// the index the Snapshot shares (panels' find_peer_relay).
#include <catch2/catch.hpp>

#include "model/relay_index.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

namespace {

const std::string kExit5 = "409DB424584D21D4AE19B549113BF9D4EAFFE456";
const std::string kRelay3 = "9753D0E4577D371BB994A3489E1FFABDFE799E72";

ConsensusEntry entry_of(const RelayIndex& index, const std::string& fingerprint) {
  const RelayEntry* r = index.by_fingerprint(fingerprint);
  REQUIRE(r != nullptr);
  return to_consensus_entry(*r);
}

}  // namespace

TEST_CASE("consensus entries (recorded consensus) keep published, v, w and p",
          "[relay_index][consensus_entry]") {
  RelayIndex index = RelayIndex::from_text(getinfo_value(
      kTestnet +
      "control/extra-getinfo/exit-labexit4/12-getinfo-dir_status-vote_current_consensus.txt"));
  ConsensusEntry exit5 = entry_of(index, kExit5);
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
  ConsensusEntry relay3 = entry_of(index, "$" + kRelay3 + "~labrelay3");
  CHECK(relay3.fingerprint == kRelay3);
  CHECK(relay3.nickname == "labrelay3");
  CHECK(relay3.or_port == 5003);
  CHECK(index.by_fingerprint("0000000000000000000000000000000000000000") == nullptr);
}

TEST_CASE("consensus entries (recorded ns/all) without v lines leave the version empty",
          "[relay_index][consensus_entry]") {
  RelayIndex index = RelayIndex::from_text(
      getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt"));
  ConsensusEntry exit5 = entry_of(index, kExit5);
  CHECK(exit5.published == "2038-01-01 00:00:00");
  CHECK(exit5.version.empty());
  CHECK(exit5.bandwidth == 1000u);
  CHECK(exit5.exit_summary == "reject 1-65535");
  CHECK(RelayIndex{}.by_fingerprint(kExit5) == nullptr);
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
