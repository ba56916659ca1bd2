#include <catch2/catch.hpp>

#include "model/exit_policy.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::kTestnet;

namespace {

ExitPolicy policy(std::string_view text) {
  std::string error;
  auto p = ExitPolicy::parse(text, &error);
  INFO(error);
  REQUIRE(p.has_value());
  return *p;
}

}  // namespace

TEST_CASE("captured exit-policy/full of an exit accepting only 127.0.0.1", "[exit_policy]") {
  ExitPolicy p =
      policy(getinfo_value(kTestnet + "control/exit-labexit4/21-getinfo-exit-policy_full.txt"));
  REQUIRE(p.lines() == std::vector<std::string>{"reject6 *:*", "accept 127.0.0.1:*", "reject *:*"});
  CHECK(p.allows("127.0.0.1", 18080));
  CHECK(p.allows("127.0.0.1", 1));
  CHECK_FALSE(p.allows("127.0.0.2", 80));
  CHECK_FALSE(p.allows("::1", 80));
  CHECK_FALSE(p.allows("8.8.8.8", 443));
  CHECK_FALSE(p.allows("not an address", 443));
  CHECK(p.accepts_anything());
  CHECK_FALSE(p.accepts_public_port(443));
  CHECK(p.summary() == "accept 127.0.0.1:*, reject all else");
}

TEST_CASE("captured exit-policy/ipv4 of a non-exit rejects everything", "[exit_policy]") {
  ExitPolicy p = policy(getinfo_value(
      kTestnet + "control/extra-getinfo/relay-labrelay3/22-getinfo-exit-policy_ipv4.txt"));
  CHECK_FALSE(p.allows("127.0.0.1", 80));
  CHECK_FALSE(p.allows("2001:db8::1", 80));  // a bare * covers both families
  CHECK_FALSE(p.accepts_anything());
  CHECK_FALSE(p.accepts_public_port(80));
  CHECK(p.summary() == "reject *:*");
}

TEST_CASE("captured exit-policy/default (comma separated)", "[exit_policy]") {
  ExitPolicy p = policy(getinfo_value(
      kTestnet + "control/extra-getinfo/exit-labexit4/23-getinfo-exit-policy_default.txt"));
  CHECK(p.rules().size() == 11);
  CHECK(p.allows("93.184.216.34", 80));
  CHECK(p.allows("2001:db8::1", 443));
  CHECK_FALSE(p.allows("93.184.216.34", 25));
  CHECK_FALSE(p.allows("2001:db8::1", 25));
  CHECK_FALSE(p.allows("93.184.216.34", 137));
  CHECK_FALSE(p.allows("93.184.216.34", 6346));
  CHECK_FALSE(p.allows("93.184.216.34", 6429));
  CHECK(p.allows("93.184.216.34", 6430));
  CHECK(p.allows("93.184.216.34", 6345));
  CHECK(p.accepts_public_port(443));
  CHECK_FALSE(p.accepts_public_port(445));
  CHECK(p.summary() ==
        "reject *:25, reject *:119, reject *:135-139, reject *:445, +6 more, accept all else");
}

TEST_CASE("first matching rule wins", "[exit_policy]") {
  ExitPolicy p = policy("accept 192.0.2.1:80\nreject 192.0.2.0/24:*\naccept *:*\n");
  CHECK(p.allows("192.0.2.1", 80));
  CHECK_FALSE(p.allows("192.0.2.1", 81));
  CHECK_FALSE(p.allows("192.0.2.200", 80));
  CHECK(p.allows("192.0.3.1", 80));
  ExitPolicy q = policy("reject *:*\naccept *:80");
  CHECK_FALSE(q.allows("192.0.2.1", 80));
  CHECK_FALSE(q.accepts_anything());
  CHECK(q.summary() == "reject *:*");
}

TEST_CASE("no matching rule means accepted, as dir-spec says", "[exit_policy]") {
  CHECK(policy("").allows("192.0.2.1", 80));
  CHECK(policy("").empty());
  ExitPolicy p = policy("reject *:25");
  CHECK(p.allows("192.0.2.1", 80));
  CHECK_FALSE(p.allows("192.0.2.1", 25));
  CHECK(p.summary() == "reject *:25, accept all else");
}

TEST_CASE("old-style masks and prefix lengths", "[exit_policy]") {
  ExitPolicy p = policy("reject 10.0.0.0/255.0.0.0:*, reject 172.16.0.0/12:*, accept *:*");
  CHECK_FALSE(p.allows("10.200.1.1", 80));
  CHECK(p.allows("11.0.0.1", 80));
  CHECK_FALSE(p.allows("172.31.255.255", 80));
  CHECK(p.allows("172.32.0.0", 80));
  // A host address written with its bits set beyond the prefix is its network.
  CHECK_FALSE(policy("reject 10.1.2.3/8:*").allows("10.9.9.9", 1));
  CHECK(policy("accept 0.0.0.0/0:*, reject *:*").allows("203.0.113.9", 9));
}

TEST_CASE("IPv4 rules never match IPv6 and back, only * matches both", "[exit_policy]") {
  ExitPolicy v4all = policy("accept 0.0.0.0/0:80, reject *:*");
  CHECK(v4all.allows("198.51.100.1", 80));
  CHECK_FALSE(v4all.allows("2001:db8::1", 80));

  ExitPolicy star4 = policy("reject *4:*, accept *:*");
  CHECK_FALSE(star4.allows("198.51.100.1", 80));
  CHECK(star4.allows("2001:db8::1", 80));

  ExitPolicy star6 = policy("reject *6:*, accept *:*");
  CHECK(star6.allows("198.51.100.1", 80));
  CHECK_FALSE(star6.allows("2001:db8::1", 80));

  ExitPolicy six = policy("accept6 *:80, reject *:*");
  CHECK(six.allows("2001:db8::1", 80));
  CHECK_FALSE(six.allows("198.51.100.1", 80));

  ExitPolicy v6net = policy("accept6 [2001:db8::]/32:443, reject *:*");
  CHECK(v6net.allows("2001:db8:ffff::1", 443));
  CHECK_FALSE(v6net.allows("2001:db9::1", 443));
  CHECK_FALSE(v6net.allows("2001:db8::1", 80));

  // v4-mapped IPv6 is the IPv4 address.
  CHECK(policy("accept 192.0.2.1:80, reject *:*").allows("::ffff:192.0.2.1", 80));
}

TEST_CASE("accept6/reject6 naming an IPv4 address is ignored, as tor does", "[exit_policy]") {
  ExitPolicy p = policy("accept6 192.0.2.1:80\nreject *:*");
  CHECK(p.rules().size() == 1);
  CHECK_FALSE(p.allows("192.0.2.1", 80));
  CHECK(policy("reject6 *4:*, accept *:*").rules().size() == 1);
}

TEST_CASE("port ranges", "[exit_policy]") {
  ExitPolicy p = policy("accept6 [::1]:80-443\nreject *:*");
  CHECK(p.allows("::1", 80));
  CHECK(p.allows("::1", 443));
  CHECK(p.allows("::1", 200));
  CHECK_FALSE(p.allows("::1", 79));
  CHECK_FALSE(p.allows("::1", 444));
  CHECK_FALSE(p.allows("127.0.0.1", 80));
  CHECK(policy("accept 192.0.2.1").allows("192.0.2.1", 65535));  // no port: every port
  CHECK(policy("accept 192.0.2.1:7, reject *:*").allows("192.0.2.1", 7));
  CHECK_FALSE(policy("accept 192.0.2.1:7, reject *:*").allows("192.0.2.1", 8));
}

TEST_CASE("private expands to tor's private networks", "[exit_policy]") {
  ExitPolicy p = policy("reject private:*\naccept *:*");
  CHECK(p.lines() == std::vector<std::string>{"reject private:*", "accept *:*"});
  for (const char* a : {"10.1.2.3", "127.0.0.1", "192.168.1.1", "172.20.0.1", "169.254.1.1",
                        "0.1.2.3", "::1", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "fec0::1"}) {
    INFO(a);
    CHECK_FALSE(p.allows(a, 80));
  }
  for (const char* a : {"172.32.0.1", "8.8.8.8", "100.64.0.1", "2001:db8::1"}) {
    INFO(a);
    CHECK(p.allows(a, 80));
  }
  ExitPolicy six = policy("reject6 private:*, accept *:*");
  CHECK(six.allows("10.1.2.3", 80));
  CHECK_FALSE(six.allows("fe80::1", 80));
}

TEST_CASE("accepts_public_port looks past private-only accepts", "[exit_policy]") {
  ExitPolicy lan = policy("accept 10.0.0.0/8:*, accept 192.168.0.0/16:22, reject *:*");
  CHECK(lan.accepts_anything());
  CHECK_FALSE(lan.accepts_public_port(80));
  CHECK_FALSE(lan.accepts_public_port(22));
  CHECK(lan.summary() == "accept 10.0.0.0/8:*, accept 192.168.0.0/16:22, reject all else");

  CHECK(policy("accept 10.0.0.0/7:*, reject *:*").accepts_public_port(80));  // 11/8 is public
  ExitPolicy upper = policy("reject 0.0.0.0/1:*, accept *:443, reject *:*");
  CHECK(upper.accepts_public_port(443));
  CHECK_FALSE(upper.accepts_public_port(80));
  ExitPolicy v6only = policy("reject *4:*, accept *:443, reject *:*");
  CHECK(v6only.accepts_public_port(443));
  CHECK_FALSE(policy("reject *4:*, reject *6:*, accept *:*").accepts_anything());
  CHECK_FALSE(policy("reject *4:*, reject *6:*, accept *:*").accepts_public_port(80));
  CHECK(policy("reject *:1-79, reject *:81-65535, accept *:*").accepts_anything());
  CHECK(policy("reject *:1-79, reject *:81-65535, accept *:*").accepts_public_port(80));
}

TEST_CASE("summary lists what differs from the default, capped", "[exit_policy]") {
  CHECK(policy("accept *:*").summary() == "accept *:*");
  CHECK(policy("reject *:*").summary() == "reject *:*");
  CHECK(policy("accept *:80, accept *:80, reject *:*").summary() == "accept *:80, reject all else");
  CHECK(policy("accept *:80-443, accept *:443, reject *:*").summary() ==
        "accept *:80-443, reject all else");  // the second is unreachable
}

TEST_CASE("malformed policies are refused whole", "[exit_policy]") {
  for (const char* bad :
       {"allow *:*", "accept", "accept *:0-", "accept *:70000", "accept *:80-20", "accept *:http",
        "accept 1.2.3.4/33:*", "accept 1.2.3.4/255.0.255.0:*", "accept ::1:80",
        "accept [1.2.3.4]:80", "accept 1.2.3:80", "accept [::1:80", "accept *:80 extra",
        "accept [::1]/129:*", "accept [::1]/255.0.0.0:*", "accept *:*, bogus"}) {
    INFO(bad);
    std::string error;
    CHECK_FALSE(ExitPolicy::parse(bad, &error).has_value());
    CHECK_FALSE(error.empty());
  }
}
