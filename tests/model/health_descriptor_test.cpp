#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "model/health_descriptor.h"
#include "model_fixtures.h"

using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;

namespace {
const std::string kHealth = "tor-0.4.9.11-health/";

HealthTime utc(const char* text) {
  auto t = parse_tor_time(text);
  REQUIRE(t);
  return *t;
}
}  // namespace

TEST_CASE("fresh-relay-descs of a real middle with a family key: family-cert, no overload",
          "[health_descriptor]") {
  auto d =
      parse_fresh_relay_descs(getinfo_value(kHealth + "middle1/getinfo-fresh-relay-descs.txt"));
  CHECK(d.errors.empty());
  REQUIRE(d.server);
  REQUIRE(d.extra_info);
  const auto& s = *d.server;
  CHECK(s.nickname == "middle1");
  CHECK(s.address == "127.0.0.1");
  CHECK(s.or_port > 0);
  CHECK(s.fingerprint == "A19590440E57C1100B89FCA3945FBCD5F1427099");
  CHECK(s.platform == "Tor 0.4.9.11 on Linux");
  CHECK(s.published == utc("2026-12-06 18:35:53"));
  CHECK(s.uptime_seconds == 133);
  CHECK(s.bandwidth_average == 1073741824u);
  CHECK(s.bandwidth_burst == 1073741824u);
  CHECK(s.bandwidth_observed == 419106u);
  CHECK(s.family == std::vector<std::string>{"$53C0E15CBBB65DBBE2AFF74E8AD0C6E39EE7CA40",
                                             "$A19590440E57C1100B89FCA3945FBCD5F1427099"});
  CHECK(s.family_certs == 1);
  CHECK_FALSE(s.hibernating);
  CHECK_FALSE(s.overload_general);
  CHECK(d.extra_info->nickname == "middle1");
  CHECK(d.extra_info->fingerprint == s.fingerprint);
  CHECK(d.extra_info->published == s.published);
  CHECK_FALSE(d.extra_info->overload_ratelimits);
  CHECK_FALSE(d.extra_info->overload_fd_exhausted);
  CHECK_FALSE(d.extra_info->dirreq_stats_end);  // published after 24 h only
}

TEST_CASE("a real exit without a family: no family lines, no certificate", "[health_descriptor]") {
  auto d = parse_fresh_relay_descs(getinfo_value(kHealth + "exit1/getinfo-fresh-relay-descs.txt"));
  REQUIRE(d.server);
  CHECK(d.server->family.empty());
  CHECK(d.server->family_certs == 0);
}

TEST_CASE("real overload-ratelimits after BandwidthRate 76800 with traffic flowing",
          "[health_descriptor]") {
  auto d = parse_fresh_relay_descs(
      getinfo_value(kHealth + "exit1/getinfo-fresh-relay-descs-ratelimited.txt"));
  CHECK(d.errors.empty());
  REQUIRE(d.server);
  CHECK(d.server->bandwidth_average == 76800u);
  REQUIRE(d.extra_info);
  REQUIRE(d.extra_info->overload_ratelimits);
  const auto& r = *d.extra_info->overload_ratelimits;
  CHECK(r.version == 1);
  CHECK(r.since == utc("2026-12-06 18:00:00"));  // rounded down to the hour by tor
  CHECK(r.rate == 76800);
  CHECK(r.burst == 76800);
  CHECK(r.read_count == 1);
  CHECK(r.write_count == 1);
  CHECK_FALSE(d.extra_info->overload_fd_exhausted);
}

TEST_CASE("real overload-fd-exhausted after accept() failed with EMFILE", "[health_descriptor]") {
  auto d =
      parse_fresh_relay_descs(getinfo_value(kHealth + "exit2/getinfo-fresh-relay-descs-fd.txt"));
  REQUIRE(d.extra_info);
  REQUIRE(d.extra_info->overload_fd_exhausted);
  CHECK(d.extra_info->overload_fd_exhausted->version == 1);
  CHECK(d.extra_info->overload_fd_exhausted->since == utc("2026-12-06 18:00:00"));
  CHECK_FALSE(d.server->overload_general);
}

TEST_CASE("from tor's format strings: overload-general, dirreq and connection statistics",
          "[health_descriptor]") {
  auto d = parse_fresh_relay_descs(
      getinfo_value(kHealth + "from-source/getinfo-fresh-relay-descs-overloaded.txt"));
  CHECK(d.errors.empty());
  REQUIRE(d.server);
  REQUIRE(d.server->overload_general);
  CHECK(d.server->overload_general->since == utc("2026-12-06 17:00:00"));
  REQUIRE(d.extra_info);
  const auto& e = *d.extra_info;
  CHECK(e.dirreq_stats_end == utc("2026-12-06 17:35:53"));
  CHECK(e.dirreq_interval_seconds == 86400);
  REQUIRE(e.dirreq_v3_resp.size() == 7);
  CHECK(e.dirreq_v3_resp[0] == std::make_pair(std::string("served"), std::uint64_t{40}));
  CHECK(e.dirreq_v3_resp[6] == std::make_pair(std::string("busy"), std::uint64_t{4}));
  REQUIRE(e.conn_bi_direct);
  CHECK(e.conn_bi_direct->below == 1021);
  CHECK(e.conn_bi_direct->both == 3);
  REQUIRE(e.ipv6_conn_bi_direct);
  CHECK(e.ipv6_conn_bi_direct->read == 0);
  REQUIRE(e.overload_ratelimits);
  CHECK(e.overload_ratelimits->burst == 2097152);
  REQUIRE(e.overload_fd_exhausted);
}

TEST_CASE("synthetic: malformed known lines are counted, unknown ones ignored, no throw",
          "[health_descriptor]") {
  const std::string text =
      "router n 192.0.2.1 9001 0 0\n"
      "or-address [2001:db8::1]:9001\n"
      "hibernating 1\n"
      "bandwidth 1 2\n"
      "published 2026-13-01 00:00:00\n"
      "overload-general 1 yesterday\n"
      "family-cert\n"
      "some-future-line with values\n"
      "-----BEGIN FAMILY CERT-----\n"  // not right after family-cert: not counted
      "family-cert inside an object is not a keyword\n"
      "-----END FAMILY CERT-----\n"
      "extra-info n\n"
      "overload-ratelimits 1 2026-12-06 18:00:00 1 2 3\n"
      "conn-bi-direct 2026-12-06 18:00:00 (86400 s) 1,2,3\n";
  auto d = parse_fresh_relay_descs(text);
  REQUIRE(d.server);
  CHECK(d.server->or_addresses == std::vector<std::string>{"[2001:db8::1]:9001"});
  CHECK(d.server->hibernating);
  CHECK_FALSE(d.server->bandwidth_average);
  CHECK_FALSE(d.server->published);
  CHECK_FALSE(d.server->overload_general);
  CHECK(d.server->family_certs == 0);
  CHECK_FALSE(d.extra_info);  // "extra-info n" lacks the fingerprint
  CHECK(d.errors == std::vector<std::string>{"bandwidth: expected 3 numbers", "published: bad time",
                                             "overload-general: expected version and time",
                                             "extra-info: expected nickname and fingerprint"});
  // Lines after a broken document header belong to no document.
  auto broken = parse_fresh_relay_descs("router only-a-name\nbandwidth 1 2 3\n");
  CHECK_FALSE(broken.server);
  CHECK(broken.errors.size() == 1);
}

TEST_CASE("tor times: valid dates only", "[health_descriptor]") {
  CHECK(parse_tor_time("1970-01-01 00:00:00") == HealthTime{});
  CHECK(parse_tor_time("2024-02-29 12:00:00").has_value());
  CHECK_FALSE(parse_tor_time("2023-02-29 12:00:00"));
  CHECK_FALSE(parse_tor_time("2026-12-06T18:00:00"));
  CHECK_FALSE(parse_tor_time("2026-12-06 18:00"));
  CHECK_FALSE(parse_tor_time("2026-12-06 24:00:00"));
  CHECK(HealthClock::to_time_t(*parse_tor_time("2026-12-06 18:00:00")) == 1796580000);
  // Found by fuzz_health: year 4052 overflowed the clock's nanoseconds (UBSan).
  CHECK_FALSE(parse_tor_time("4052-12-06 18:35:53"));
  CHECK_FALSE(parse_tor_time("1969-12-31 23:59:59"));
  CHECK(parse_tor_time("2200-12-31 23:59:59").has_value());
  auto d = parse_fresh_relay_descs("router n 192.0.2.1 9001 0 0\npublished 9999-12-31 23:59:59\n");
  REQUIRE(d.server);
  CHECK_FALSE(d.server->published);
  // Far projections are clamped rather than overflowing.
  auto t = *parse_tor_time("2200-01-01 00:00:00");
  CHECK(add_seconds(t, 1e300) > t);
  CHECK(add_seconds(t, -1e300) < t);
  CHECK(add_seconds(t, std::numeric_limits<double>::quiet_NaN()) == t);
}
