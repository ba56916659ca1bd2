// Mutation fuzzing of the model's parsers, seeded from the real captures:
// random byte flips, truncations, splices and duplicated lines must never
// crash, hang or break an invariant (run it under RELAYMON_SANITIZE for the
// memory checks). Deterministic seeds, so a failure reproduces.
#include <catch2/catch.hpp>

#include <random>

#include "model/exit_policy.h"
#include "model/relay_index.h"
#include "model/tor_inputs.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

namespace {

std::string mutate(const std::string& seed, std::mt19937& rng) {
  std::string s = seed;
  static const char kBytes[] = " \t\r\n:[]/,.-*$~=0123456789abcdefABCDEF\xff";
  int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    std::size_t at = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s[at] = kBytes[rng() % (sizeof kBytes - 1)];
        break;
      case 1:
        s.erase(at, rng() % 16);
        break;
      case 2:
        s.insert(at, 1, kBytes[rng() % (sizeof kBytes - 1)]);
        break;
      case 3:
        s.resize(at);
        break;
      default:
        s.insert(at, s.substr(rng() % s.size(), rng() % 64));
        break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("consensus parsing survives mutated captures", "[fuzz]") {
  const std::string seed = getinfo_value(kTestnet + "control/exit-labexit4/18-getinfo-ns_all.txt") +
                           "a [2001:db8::1]:9001\n";
  std::mt19937 rng(1);
  for (int i = 0; i < 3000; ++i) {
    std::string input = mutate(seed, rng);
    ConsensusParse parsed = parse_consensus(input);
    CHECK(parsed.relays.size() <= 8);
    RelayIndex index(std::move(parsed));
    for (const RelayEntry& r : index.relays()) {
      REQUIRE(r.fingerprint.size() == 40);
      REQUIRE(index.by_fingerprint(r.fingerprint) != nullptr);
      REQUIRE(index.is_relay_address(r.ipv4));
    }
  }
}

TEST_CASE("exit policy parsing survives mutated policies", "[fuzz]") {
  const std::string seed =
      getinfo_value(kTestnet + "control/exit-labexit4/21-getinfo-exit-policy_full.txt") +
      "accept6 [2001:db8::]/32:80-443\nreject 10.0.0.0/255.0.0.0:*\nreject private:*\n"
      "accept *4:22,reject *6:*\n";
  std::mt19937 rng(2);
  auto probe = *IpAddr::parse("127.0.0.1");
  auto probe6 = *IpAddr::parse("2001:db8::1");
  for (int i = 0; i < 3000; ++i) {
    auto p = ExitPolicy::parse(mutate(seed, rng));
    if (!p) continue;
    (void)p->allows(probe, 80);
    (void)p->allows(probe6, 443);
    (void)p->accepts_public_port(443);
    bool any = p->accepts_anything();
    CHECK_FALSE(p->summary().empty());
    // An allowed connection implies the policy accepts something.
    if (p->allows(probe, 80) || p->allows(probe6, 443)) CHECK(any);
  }
}

TEST_CASE("orconn-status and listener parsing survive mutated captures", "[fuzz]") {
  const std::string orconn =
      getinfo_value(kTestnet + "control/exit-labexit4/14-getinfo-orconn-status.txt");
  const std::string listeners = "\"127.0.0.1:5004\" \"[::1]:5004\" \"unix:/x\"";
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    for (const OrConn& o : parse_orconn_status(mutate(orconn, rng))) {
      REQUIRE((o.fingerprint.size() == 40) != o.address.has_value());
    }
    for (const Listener& l : parse_listeners("or", mutate(listeners, rng))) {
      REQUIRE(IpAddr::parse(l.endpoint.address).has_value());
    }
    (void)parse_resolv_conf(mutate("nameserver 192.0.2.1\nnameserver ::1\n", rng));
  }
}
