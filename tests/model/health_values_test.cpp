#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "control/framing.h"
#include "model/health_values.h"
#include "model_fixtures.h"

using namespace relaymon;
using namespace relaymon::model;
using relaymon::model::testing::getinfo_value;
using relaymon::model::testing::read_fixture;

namespace {

const std::string kHealth = "tor-0.4.9.11-health/";

// Every "key=value" line of one captured multi-key GETINFO reply.
std::vector<std::pair<std::string, std::string>> getinfo_pairs(const std::string& relative) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(read_fixture(relative), replies).has_value());
  REQUIRE(replies.size() == 1);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& line : replies[0].lines) {
    auto eq = line.text.find('=');
    if (eq != std::string::npos)
      out.emplace_back(line.text.substr(0, eq), line.text.substr(eq + 1));
  }
  return out;
}

AccountingValues accounting_of(const std::string& relative) {
  AccountingValues a;
  for (const auto& [key, value] : getinfo_pairs(relative)) {
    INFO(key);
    CHECK(update_accounting(a, key, value));
  }
  return a;
}

}  // namespace

TEST_CASE("real stats/ntor and limits/max-mem-in-queues values", "[health_values]") {
  // 0.4.9 clients use ntor v3: stats/ntor/* (ntor v1 only) stays 0 on the loopback network.
  CHECK(parse_count(getinfo_value(kHealth + "middle1/getinfo-stats-ntor-requested.txt")) == 0u);
  CHECK(parse_count(getinfo_value(kHealth + "middle1/getinfo-stats-ntor-assigned.txt")) == 0u);
  CHECK(parse_count(getinfo_value(kHealth + "middle1/getinfo-limits-max-mem.txt")) == 8589934592u);
  CHECK(parse_count(getinfo_value(kHealth + "middle1/getinfo-uptime.txt")).value_or(0) > 0);
  CHECK_FALSE(parse_count(""));
  CHECK_FALSE(parse_count("-1"));
  CHECK_FALSE(parse_count("12 "));
  CHECK_FALSE(parse_count("18446744073709551616"));  // 2^64
}

TEST_CASE("real accounting/* awake, then hibernating after AccountingMax dropped below use",
          "[health_values]") {
  auto awake = accounting_of(kHealth + "reach1/getinfo-accounting-awake.txt");
  CHECK(awake.enabled == true);
  CHECK(awake.hibernating == "awake");
  CHECK(awake.read_bytes == 1580221u);
  CHECK(awake.written_bytes == 1565888u);
  CHECK(awake.read_left == 1072161603u);
  CHECK(awake.written_left == 1072175936u);
  CHECK(awake.interval_start == parse_tor_time("2026-12-06 00:00:00"));
  CHECK(awake.interval_end == parse_tor_time("2026-12-07 00:00:00"));
  auto hard = accounting_of(kHealth + "reach1/getinfo-accounting-hibernating.txt");
  CHECK(hard.hibernating == "hard");
  CHECK(hard.read_left == 0u);
  CHECK(hard.written_left == 0u);
}

TEST_CASE("synthetic: malformed accounting values change nothing", "[health_values]") {
  AccountingValues a;
  CHECK_FALSE(update_accounting(a, "accounting/enabled", "yes"));
  CHECK_FALSE(update_accounting(a, "accounting/hibernating", "asleep"));
  CHECK_FALSE(update_accounting(a, "accounting/bytes", "12"));
  CHECK_FALSE(update_accounting(a, "accounting/bytes", "12 x"));
  CHECK_FALSE(update_accounting(a, "accounting/interval-end", "tomorrow"));
  CHECK_FALSE(update_accounting(a, "uptime", "12"));
  CHECK_FALSE(a.enabled);
  CHECK(a.hibernating.empty());
  CHECK_FALSE(a.read_bytes);
  CHECK_FALSE(a.interval_end);
}
