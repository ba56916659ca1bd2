#include <catch2/catch.hpp>

#include <cctype>
#include <map>

#include "model/relay_index.h"
#include "model/tor_inputs.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

namespace {

IpAddr ip(const char* text) {
  return *IpAddr::parse(text);
}

// nickname -> fingerprint, as the relays' own `GETINFO fingerprint` and the
// orconn-status captures name them.
const std::map<std::string, std::string> kLab = {
    {"labauth0", "2AB6D6690E4C7C39B56B344E076D05AF95F79CB7"},
    {"labauth1", "A72CFD2A97A053ADAB21BC191ADE42C8BFDB7C23"},
    {"labauth2", "8CA449D4DEC71F1290EEC01C03D9CDBC91F89F4B"},
    {"labrelay3", "9753D0E4577D371BB994A3489E1FFABDFE799E72"},
    {"labexit4", "0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381"},
    {"labexit5", "409DB424584D21D4AE19B549113BF9D4EAFFE456"},
    {"labrelay6", "0C06FA16F088D0695033F242BB2909C74644802B"},
};

void check_lab_index(const RelayIndex& index) {
  REQUIRE(index.size() == 7);
  for (const auto& [nick, fp] : kLab) {
    const RelayEntry* r = index.by_fingerprint(fp);
    INFO(nick);
    REQUIRE(r != nullptr);
    CHECK(r->nickname == nick);
    CHECK(r->ipv4 == ip("127.0.0.1"));
  }
  const RelayEntry* exit4 = index.by_or_address(ip("127.0.0.1"), 5004);
  REQUIRE(exit4 != nullptr);
  CHECK(exit4->nickname == "labexit4");
  CHECK(exit4->has_flag("Exit"));
  CHECK(exit4->has_flag("Stable"));
  CHECK_FALSE(exit4->has_flag("Authority"));
  CHECK(exit4->bandwidth == 1000u);
  CHECK(exit4->dir_port == 0);
  const RelayEntry* auth1 = index.by_dir_address(ip("127.0.0.1"), 7001);
  REQUIRE(auth1 != nullptr);
  CHECK(auth1->nickname == "labauth1");
  CHECK(auth1->has_flag("Authority"));
  CHECK(auth1->bandwidth == 20u);
  CHECK(index.by_or_address(ip("127.0.0.1"), 7001) == nullptr);
  CHECK(index.by_dir_address(ip("127.0.0.1"), 5004) == nullptr);
  CHECK(index.by_or_address(ip("127.0.0.2"), 5004) == nullptr);
  CHECK(index.is_relay_address(ip("127.0.0.1")));
  CHECK_FALSE(index.is_relay_address(ip("127.0.0.2")));
  CHECK(index.by_address(ip("127.0.0.1")).size() == 7);
}

}  // namespace

TEST_CASE("identity_to_hex converts consensus base64 identities", "[relay_index]") {
  CHECK(identity_to_hex("DMs6alw8tHds4bMpjX7YZOOvA4E") ==
        "0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381");
  CHECK(identity_to_hex("DMs6alw8tHds4bMpjX7YZOOvA4E=") ==
        "0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381");
  CHECK_FALSE(identity_to_hex("DMs6alw8tHds4bMpjX7YZOOvA4").has_value());   // short
  CHECK_FALSE(identity_to_hex("DMs6alw8tHds4bMpjX7YZOOvA4!").has_value());  // bad char
  CHECK_FALSE(identity_to_hex("").has_value());
}

TEST_CASE("ns/all of an exit (captured) indexes every relay", "[relay_index]") {
  auto text = getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt");
  ConsensusParse parsed = parse_consensus(text);
  CHECK(parsed.malformed_lines == 0);
  check_lab_index(RelayIndex(std::move(parsed)));

  // Our own entry, found by the fingerprint GETINFO fingerprint gives.
  auto own = getinfo_value(kTestnet + "control/exit-labexit4/12-getinfo-fingerprint.txt");
  RelayIndex index = RelayIndex::from_text(text);
  const RelayEntry* self = index.by_fingerprint(own);
  REQUIRE(self != nullptr);
  CHECK(self->nickname == "labexit4");
  CHECK(self->exit_summary == "reject 1-65535");
  CHECK(index.by_fingerprint("$" + own + "~labexit4") == self);
  CHECK(index.by_fingerprint("0ccb3a6a5c3cb4776ce1b3298d7ed864e3af0381") == self);
  CHECK(index.by_fingerprint("0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0382") == nullptr);
  CHECK(index.by_fingerprint("0CCB") == nullptr);
}

TEST_CASE("ns/all of a client (captured, full consensus form) indexes the same relays",
          "[relay_index]") {
  check_lab_index(RelayIndex::from_text(
      getinfo_value(kTestnet + "control/client-labclient7/18-getinfo-ns_all.txt")));
}

TEST_CASE("whole consensus documents (captured) index relays and authorities", "[relay_index]") {
  for (const char* file : {"12-getinfo-dir_status-vote_current_consensus.txt",
                           "13-getinfo-dir_status-vote_current_consensus-microdesc.txt"}) {
    INFO(file);
    ConsensusParse parsed =
        parse_consensus(getinfo_value(kTestnet + "control/extra-getinfo/exit-labexit4/" + file));
    CHECK(parsed.malformed_lines == 0);
    REQUIRE(parsed.authorities.size() == 3);
    CHECK(parsed.authorities[0].nickname == "labauth0");
    CHECK(parsed.authorities[0].address == ip("127.0.0.1"));
    CHECK(parsed.authorities[0].dir_port == 7000);
    CHECK(parsed.authorities[0].or_port == 5000);
    RelayIndex index(std::move(parsed));
    check_lab_index(index);
    CHECK(index.authorities().size() == 3);
    CHECK(index.by_fingerprint(kLab.at("labrelay6"))->version == "Tor 0.4.9.11");
  }
}

TEST_CASE("orconn-status peers (captured) are all in the consensus index", "[relay_index]") {
  RelayIndex index = RelayIndex::from_text(
      getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt"));
  auto orconns = parse_orconn_status(
      getinfo_value(kTestnet + "control/exit-labexit4/14-getinfo-orconn-status.txt"));
  REQUIRE(orconns.size() == 7);
  int relays = 0;
  for (const OrConn& o : orconns) {
    if (o.fingerprint.empty()) continue;
    ++relays;
    const RelayEntry* r = index.by_fingerprint(o.fingerprint);
    REQUIRE(r != nullptr);
    CHECK(r->nickname == o.nickname);
  }
  CHECK(relays == 6);
}

TEST_CASE("IPv6 `a` lines index the relay by its IPv6 ORPort", "[relay_index]") {
  const char* text =
      "r alpha AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.10 9001 9030\n"
      "a [2001:DB8::0:10]:9001\n"
      "a 198.51.100.7:443\n"
      "s Fast Running Valid\n"
      "w Bandwidth=5000 Measured=4000\n"
      "r beta //////////////////////////8 2038-01-01 00:00:00 192.0.2.11 443 0\n"
      "s Exit Running\n";
  RelayIndex index = RelayIndex::from_text(text);
  REQUIRE(index.size() == 2);
  const RelayEntry* alpha = index.by_or_address(ip("2001:db8::10"), 9001);
  REQUIRE(alpha != nullptr);
  CHECK(alpha->nickname == "alpha");
  CHECK(alpha->fingerprint == std::string(40, '0'));
  CHECK(alpha->bandwidth == 5000u);
  CHECK(index.by_or_address(ip("198.51.100.7"), 443) == alpha);
  CHECK(index.by_or_address(ip("2001:db8::10"), 9002) == nullptr);
  CHECK(index.by_dir_address(ip("192.0.2.10"), 9030) == alpha);
  CHECK(index.is_relay_address(ip("2001:db8::10")));
  CHECK(index.is_relay_address(ip("::ffff:192.0.2.11")));  // v4-mapped is the IPv4 address
  CHECK(index.by_fingerprint(std::string(40, 'F'))->nickname == "beta");
}

TEST_CASE("malformed router entries are skipped and counted", "[relay_index]") {
  const char* text =
      "r short AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.10\n"
      "s Exit\n"  // belongs to the dropped entry: must not attach elsewhere
      "r badip AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.300 9001 0\n"
      "r badport AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.3 0 0\n"
      "r v6addr AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 2001:db8::1 9001 0\n"
      "r badid AAAA 2038-01-01 00:00:00 192.0.2.4 9001 0\n"
      "r ok AAAAAAAAAAAAAAAAAAAAAAAAAAB 2038-01-01 00:00:00 192.0.2.5 9001 0\n"
      "a 2001:db8::1:9001\n"  // unbracketed IPv6: ambiguous
      "w Bandwidth=notanumber\n"
      "\n"
      "garbage line\n";
  ConsensusParse parsed = parse_consensus(text);
  CHECK(parsed.malformed_lines == 6);
  REQUIRE(parsed.relays.size() == 1);
  CHECK(parsed.relays[0].nickname == "ok");
  CHECK(parsed.relays[0].flags.empty());
  CHECK(parsed.relays[0].or_addresses.empty());
  CHECK_FALSE(parsed.relays[0].bandwidth.has_value());
  CHECK(parse_consensus("").relays.empty());
}

TEST_CASE("a NEWCONSENSUS event (built from captured ns/all) replaces the index", "[relay_index]") {
  RelayIndex index = RelayIndex::from_text(
      "r old AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 192.0.2.10 9001 0\n");
  REQUIRE(index.size() == 1);
  // The event carries the whole consensus in the same router status format.
  std::string ns = relaymon::model::testing::read_fixture(
      kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt");
  std::string body = ns.substr(ns.find("\r\n") + 2);
  body = body.substr(0, body.rfind("250 OK"));
  std::string event = "650+NEWCONSENSUS\r\n" + body + "650 OK\r\n";
  relaymon::control::ReplyFramer framer;
  std::vector<relaymon::control::Reply> replies;
  REQUIRE_FALSE(framer.feed(event, replies).has_value());
  REQUIRE(replies.size() == 1);
  REQUIRE(replies[0].is_event());
  index.replace(parse_consensus(replies[0].lines[0].data));
  check_lab_index(index);
  CHECK(index.by_or_address(ip("192.0.2.10"), 9001) == nullptr);
  CHECK_FALSE(index.is_relay_address(ip("192.0.2.10")));
}

TEST_CASE("fingerprint lookups: any case, with $ and ~nick, by Label, and plus()",
          "[relay_index]") {
  RelayIndex index = RelayIndex::from_text(
      getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt"));
  REQUIRE(index.size() == 7);
  const std::string exit4 = kLab.at("labexit4");
  std::string lower = exit4;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const RelayEntry* r = index.by_fingerprint(exit4);
  REQUIRE(r != nullptr);
  CHECK(index.by_fingerprint(lower) == r);
  CHECK(index.by_fingerprint("$" + exit4 + "~labexit4") == r);
  CHECK(index.by_fingerprint(exit4.substr(0, 39) + "G") == nullptr);  // not hex
  CHECK(index.by_fingerprint(exit4.substr(0, 39)) == nullptr);        // too short
  // A connection's fingerprint Label finds the entry by identity; its
  // labels are the entry's texts.
  CHECK(r->fingerprint == exit4);
  CHECK(r->nickname == "labexit4");
  CHECK(index.by_fingerprint_label(Label(exit4)) == r);
  CHECK(index.by_fingerprint_label(Label(lower)) == nullptr);  // Labels are exact texts
  CHECK(index.by_fingerprint_label(Label()) == nullptr);
  CHECK(index.find_fingerprint(Label(exit4)) == r);
  CHECK(index.find_fingerprint(Label(lower)) == r);  // falls back to the text
  CHECK(index.find_fingerprint(Label(std::string(40, 'F'))) == nullptr);

  // An entry tor gave for a relay the consensus text lacks.
  const std::string extra_fp = "ABCDEF0123456789ABCDEF0123456789ABCDEF01";
  auto more = parse_consensus(
      "r newrelay q83vASNFZ4mrze8BI0VniavN7wE AAAAAAAAAAAAAAAAAAAAAAAAAAA 2038-01-01 00:00:00 "
      "127.0.0.9 5009 0\ns Fast Running Valid\n");
  REQUIRE(more.relays.size() == 1);
  REQUIRE(more.relays[0].fingerprint == extra_fp);
  RelayIndex both = index.plus(std::move(more));
  CHECK(both.size() == 8);
  CHECK(index.size() == 7);  // unchanged
  const RelayEntry* added = both.by_or_address(ip("127.0.0.9"), 5009);
  REQUIRE(added != nullptr);
  CHECK(both.by_fingerprint(extra_fp) == added);
  CHECK(both.by_fingerprint_label(Label(extra_fp)) == added);
  REQUIRE(both.by_fingerprint(exit4) != nullptr);
  CHECK(both.by_fingerprint(exit4)->nickname == "labexit4");
  CHECK(both.authorities().size() == index.authorities().size());
}
