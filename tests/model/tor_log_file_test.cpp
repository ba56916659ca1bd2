// tor's log file for the log page's first screen: which file, its lines,
// and how they enter the relay state (before everything, scrubbed, never
// counted as warnings seen since relaymon started).
#include <catch2/catch.hpp>

#include <ctime>

#include "model/assemble.h"
#include "model/relay_state.h"
#include "model/tor_log_file.h"

using namespace relaymon::model;

namespace {

TimePoint local(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  tm.tm_isdst = -1;
  return Clock::from_time_t(std::mktime(&tm));
}

}  // namespace

TEST_CASE("tor's log file: the first Log line writing to a file", "[model][log]") {
  CHECK(tor_log_file({"notice file /var/log/tor/notices.log"}) == "/var/log/tor/notices.log");
  CHECK(tor_log_file({"notice syslog", "[handshake]debug [*]notice file /tmp/my log.txt"}) ==
        "/tmp/my log.txt");
  CHECK_FALSE(tor_log_file({"notice stdout", "warn syslog"}));
  CHECK_FALSE(tor_log_file({}));
}

TEST_CASE("tor's log file: the tail's lines, oldest first, the newest kept", "[model][log]") {
  std::string text =
      "e] cut first line\n"
      "Dec 06 18:35:39.759 [notice] Bootstrapped 100% (done): Done\n"
      "Dec 06 18:36:00 [warn] no milliseconds here\n"
      "not a log line\n"
      "Dec 06 18:37:01.000 [err] last\n";
  auto now = local(2026, 12, 7, 10, 0, 0);
  auto lines = parse_tor_log_tail(text, now, 10);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].severity == "NOTICE");
  CHECK(lines[0].message == "Bootstrapped 100% (done): Done");
  CHECK(lines[0].time == local(2026, 12, 6, 18, 35, 39));
  CHECK(lines[1].severity == "WARN");
  CHECK(lines[2].severity == "ERR");
  auto newest = parse_tor_log_tail(text, now, 2);
  REQUIRE(newest.size() == 2);
  CHECK(newest[0].message == "no milliseconds here");
  // Read in early January, December's lines are last year's.
  auto january = parse_tor_log_tail(text, local(2027, 1, 2, 9, 0, 0), 10);
  REQUIRE_FALSE(january.empty());
  CHECK(january[0].time == local(2026, 12, 6, 18, 35, 39));
}

TEST_CASE("tor's log file: prefilled once, before the live lines, scrubbed, not counted",
          "[model][log]") {
  RelayState state;
  auto now = Clock::now();
  state.add_log(LogSource::kRelaymon, "NOTICE", "connected", now);
  std::vector<TorLogLine> lines{
      {now - std::chrono::hours(1), "WARN", "Could not connect to 198.51.100.7:9001"},
      {now - std::chrono::minutes(30), "NOTICE", "Heartbeat"}};
  CHECK(state.prefill_tor_log(lines));
  CHECK_FALSE(state.prefill_tor_log(lines));  // a reconnect does not repeat them
  Snapshot s = assemble_state(state, now);
  REQUIRE(s.log->size() == 3);
  CHECK((*s.log)[0].message.find("198.51.100.7") == std::string::npos);  // scrubbed
  CHECK((*s.log)[0].severity == "WARN");
  CHECK((*s.log)[1].message == "Heartbeat");
  CHECK((*s.log)[2].message == "connected");
  CHECK(s.tor.warn_messages == 0);  // older than relaymon: not "since relaymon started"
}
