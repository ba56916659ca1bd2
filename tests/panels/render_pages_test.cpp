// Each page drawn from a hand-built snapshot into a text canvas, compared
// row by row at 120, 80, 60 and 40 columns (40 is every page's minimum
// width). Expected rows were reviewed by eye when written.
#include <catch2/catch.hpp>

#include <map>

#include "panels/screen.h"
#include "sample.h"
#include "ui/theme.h"

using namespace relaymon;
using Rows = std::map<int, std::vector<std::string>>;

namespace {

const ui::Theme theme = ui::make_theme(false, true);

}  // namespace

const Rows kHeader{
    // header 120
    {120,
     {
         "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)",
         "labrelay3 - 203.0.113.5:9001  DirPort 9030  control 127.0.0.1:9051 (safecookie)  pid: "
         "4242  alerts: 1 warning",
         "fds: 345/1024 (34%)  uptime: 3d 04h  mem: 120 MiB  cpu: 3.2% tor, 0.4% relaymon  exit "
         "policy: reject *:*",
         "fingerprint: 1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B  flags: Fast, Guard, Running, "
         "Stable, Valid",
         "",
         "",
         "",
         "",
     }},
    // header 80
    {80,
     {
         "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)",
         "labrelay3 - 203.0.113.5:9001  DirPort 9030  control 127.0.0.1:9051 (safecookie)",
         "pid: 4242  alerts: 1 warning  fds: 345/1024 (34%)  uptime: 3d 04h  mem: 120 MiB",
         "cpu: 3.2% tor, 0.4% relaymon  exit policy: reject *:*",
         "fingerprint: 1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B",
         "flags: Fast, Guard, Running, Stable, Valid",
         "",
         "",
     }},
    // header 60
    {60,
     {
         "relaymon - relay1 (Linux 6.1.0)  Tor 0.4.9.11 (recommended)",
         "labrelay3 - 203.0.113.5:9001  DirPort 9030",
         "control 127.0.0.1:9051 (safecookie)  pid: 4242",
         "alerts: 1 warning  fds: 345/1024 (34%)  uptime: 3d 04h",
         "mem: 120 MiB  cpu: 3.2% tor, 0.4% relaymon",
         "exit policy: reject *:*",
         "fingerprint: 1A94D1A794FCB2F8B6CBC179EF8FDD4008A98D3B",
         "flags: Fast, Guard, Running, Stable, Valid",
     }},
    // header 40
    {40,
     {
         "relaymon - relay1 (Linux 6.1.0)",
         "Tor 0.4.9.11 (recommended)",
         "labrelay3 - 203.0.113.5:9001",
         "DirPort 9030",
         "control 127.0.0.1:9051 (safecookie)",
         "pid: 4242  alerts: 1 warning",
         "fds: 345/1024 (34%)  uptime: 3d 04h",
         "mem: 120 MiB",
     }},
};

TEST_CASE("the header at each width", "[panels][header]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 8);
  { panels::draw_header(s, {}, c); }
  CHECK(c.rows() == kHeader.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kOverview{
    // overview 120
    {120,
     {
         "Bandwidth (limit 1.0 MiB/s, burst 2.0 MiB/s, observed 512 KiB/s), each second, local "
         "max:",
         "Download: 1.9 KiB/s                                         Upload: 900 B/s",
         "1.9 KiB/s     #####     #####     #####     #####     ##### 900 B/s ##  ###  ###  ###  "
         "###  ###  ###  ###  ###  ###  ###",
         "          #################################################         "
         "####################################################",
         "          #################################################         "
         "####################################################",
         "    0 B/s #################################################   0 B/s "
         "####################################################",
         "avg 1.4 KiB/s over 49s                                      avg 706 B/s over 52s",
         "Alerts (1 active, see page 4):",
         "WARNING  descriptors-near-limit: 345 of 1024",
         "Log (newest first, page 2 for more):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from a descriptor (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00 hours",
         "09:59:30 [WARN] Your relay has not been reachable for a while",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
     }},
    // overview 80
    {80,
     {
         "Bandwidth (limit 1.0 MiB/s, observed 512 KiB/s), each second, local max:",
         "Download: 1.9 KiB/s                     Upload: 900 B/s",
         "1.9 KiB/s     #####     #####     ##### 900 B/s ##  ###  ###  ###  ###  ###  ###",
         "          #############################         ################################",
         "          #############################         ################################",
         "    0 B/s #############################   0 B/s ################################",
         "avg 1.4 KiB/s over 29s                  avg 709 B/s over 32s",
         "Alerts (1 active, see page 4):",
         "WARNING  descriptors-near-limit: 345 of 1024",
         "Log (newest first, page 2 for more):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from a descriptor (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00 hours",
         "09:59:30 [WARN] Your relay has not been reachable for a while",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
     }},
    // overview 60
    {60,
     {
         "Bandwidth (observed 512 KiB/s), each second, local max:",
         "Download: 1.9 KiB/s           Upload: 900 B/s",
         "1.9 KiB/s     #####     ##### 900 B/s ##  ###  ###  ###  ###",
         "          ###################         ######################",
         "          ###################         ######################",
         "    0 B/s ###################   0 B/s ######################",
         "avg 1.4 KiB/s over 19s        avg 714 B/s over 22s",
         "Alerts (1 active, see page 4):",
         "WARNING  descriptors-near-limit: 345 of 1024",
         "Log (newest first, page 2 for more):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m fr...",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00 ...",
         "09:59:30 [WARN] Your relay has not been reachable for a w...",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
     }},
    // overview 40
    {40,
     {
         "Bandwidth, each second, local max:",
         "Download: 1.9 KiB/s Upload: 900 B/s",
         "    #####     #####   ###  ###  ###  ###",
         "################### ####################",
         "################### ####################",
         "################### ####################",
         "avg 1.4 KiB/s       avg 700 B/s over 20s",
         "Alerts (1 active, see page 4):",
         "WARNING  descriptors-near-limit: 345 ...",
         "Log (newest first, page 2 for more):",
         "09:59:55 [WARN] Rejecting nickname \\x...",
         "09:59:50 [NOTICE] Heartbeat: Tor's up...",
         "09:59:30 [WARN] Your relay has not be...",
         "09:58:00 [NOTICE] Bootstrapped 100% (...",
     }},
};

TEST_CASE("the overview page at each width", "[panels][overview]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 14);
  { panels::draw_overview(s, {}, c); }
  CHECK(c.rows() == kOverview.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kLog{
    // log 120
    {120,
     {
         "Log (NOTICE WARN ERR, 4 entries, dedup):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from a descriptor (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00 hours",
         "09:59:30 [WARN] Your relay has not been reachable for a while",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
         "",
         "",
         "",
         "",
         "",
     }},
    // log 80
    {80,
     {
         "Log (NOTICE WARN ERR, 4 entries, dedup):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from a descriptor (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00 hours",
         "09:59:30 [WARN] Your relay has not been reachable for a while",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
         "",
         "",
         "",
         "",
         "",
     }},
    // log 60
    {60,
     {
         "Log (NOTICE WARN ERR, 4 entries, dedup):",
         "09:59:55 [WARN] Rejecting nickname \\x1b[31mevil\\x1b[0m from",
         "  a descriptor (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's uptime is 3 days 4:00",
         "  hours",
         "09:59:30 [WARN] Your relay has not been reachable for a",
         "  while",
         "09:58:00 [NOTICE] Bootstrapped 100% (done): Done",
         "",
         "",
     }},
    // log 40
    {40,
     {
         "Log (NOTICE WARN ERR, 4 entries, dedup):",
         "09:59:55 [WARN] Rejecting nickname",
         "  \\x1b[31mevil\\x1b[0m from a descriptor",
         "  (x3)",
         "09:59:50 [NOTICE] Heartbeat: Tor's",
         "  uptime is 3 days 4:00 hours",
         "09:59:30 [WARN] Your relay has not been",
         "  reachable for a while",
         "09:58:00 [NOTICE] Bootstrapped 100%",
         "  (done): Done",
     }},
};

TEST_CASE("the log page at each width, escapes shown escaped", "[panels][log]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 10);
  { panels::draw_log(s, {}, c); }
  CHECK(c.rows() == kLog.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kAlerts{
    // alerts 120
    {120,
     {
         "Alerts (0 critical, 1 warning, 0 info active, 1 cleared):",
         "severity subject                                                                rule     "
         "               count  last seen",
         "WARNING  345 of 1024                                                            "
         "descriptors-near-limit      3     5s ago",
         "cleared  203.0.113.5:9001                                                       "
         "orport-unreachable          1 1h 00m ago",
         "-----------------------------------------------------------------------------------------"
         "-------------------------------",
         "descriptors-near-limit: 345 of 1024 (first seen 10m 00s ago, 3 times)",
         "Evidence: used=345 limit=1024",
         "What it means: Tor is using many of the file descriptors it may open.",
         "What to do: Raise LimitNOFILE for the tor service.",
         "",
         "",
         "",
     }},
    // alerts 80
    {80,
     {
         "Alerts (0 critical, 1 warning, 0 info active, 1 cleared):",
         "severity subject                        rule                    count  last seen",
         "WARNING  345 of 1024                    descriptors-near-limit      3     5s ago",
         "cleared  203.0.113.5:9001               orport-unreachable          1 1h 00m ago",
         "--------------------------------------------------------------------------------",
         "descriptors-near-limit: 345 of 1024 (first seen 10m 00s ago, 3 times)",
         "Evidence: used=345 limit=1024",
         "What it means: Tor is using many of the file descriptors it may open.",
         "What to do: Raise LimitNOFILE for the tor service.",
         "",
         "",
         "",
     }},
    // alerts 60
    {60,
     {
         "Alerts (0 critical, 1 warning, 0 info active, 1 cleared):",
         "severity subject           rule                    last seen",
         "WARNING  345 of 1024       descriptors-near-limit     5s ago",
         "cleared  203.0.113.5:9001  orport-unreachable     1h 00m ago",
         "------------------------------------------------------------",
         "descriptors-near-limit: 345 of 1024 (first seen 10m 00s ago,",
         "3 times)",
         "Evidence: used=345 limit=1024",
         "What it means: Tor is using many of the file descriptors it",
         "may open.",
         "What to do: Raise LimitNOFILE for the tor service.",
         "",
     }},
    // alerts 40
    {40,
     {
         "Alerts (0 critical, 1 warning, 0 info...",
         "severity subject               last seen",
         "WARNING  345 of 1024              5s ago",
         "cleared  203.0.113.5:9001     1h 00m ago",
         "----------------------------------------",
         "descriptors-near-limit: 345 of 1024",
         "(first seen 10m 00s ago, 3 times)",
         "Evidence: used=345 limit=1024",
         "What it means: Tor is using many of the",
         "file descriptors it may open.",
         "What to do: Raise LimitNOFILE for the",
         "tor service.",
     }},
};

TEST_CASE("the alerts page with evidence, explanation and action", "[panels][alerts]") {
  panels::test::use_utc();
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 12);
  { panels::draw_alerts(s, {}, c); }
  CHECK(c.rows() == kAlerts.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kConfig{
    // config 120
    {120,
     {
         "Config (7 set of 10 options, showing those set):",
         "  option        type     value",
         "* BandwidthRate DataSize 1 MByte",
         "* ContactInfo   String   ops@example.org",
         "* DirPort       LineList 9030",
         "* ExitPolicy    LineList reject *:*, accept *:80",
         "* Nickname      String   labrelay3",
         "* NumCPUs       Integer  4",
         "* ORPort        LineList 9001",
         "",
         "-----------------------------------------------------------------------------------------"
         "-------------------------------",
         "BandwidthRate: Average traffic limit for everything this tor does.",
     }},
    // config 80
    {80,
     {
         "Config (7 set of 10 options, showing those set):",
         "  option        type     value",
         "* BandwidthRate DataSize 1 MByte",
         "* ContactInfo   String   ops@example.org",
         "* DirPort       LineList 9030",
         "* ExitPolicy    LineList reject *:*, accept *:80",
         "* Nickname      String   labrelay3",
         "* NumCPUs       Integer  4",
         "* ORPort        LineList 9001",
         "",
         "--------------------------------------------------------------------------------",
         "BandwidthRate: Average traffic limit for everything this tor does.",
     }},
    // config 60
    {60,
     {
         "Config (7 set of 10 options, showing those set):",
         "  option        type     value",
         "* BandwidthRate DataSize 1 MByte",
         "* ContactInfo   String   ops@example.org",
         "* DirPort       LineList 9030",
         "* ExitPolicy    LineList reject *:*, accept *:80",
         "* Nickname      String   labrelay3",
         "* NumCPUs       Integer  4",
         "* ORPort        LineList 9001",
         "",
         "------------------------------------------------------------",
         "BandwidthRate: Average traffic limit for everything this ...",
     }},
    // config 40
    {40,
     {
         "Config (7 set of 10 options, showing ...",
         "  option        type     value",
         "* BandwidthRate DataSize 1 MByte",
         "* ContactInfo   String   ops@example.org",
         "* DirPort       LineList 9030",
         "* ExitPolicy    LineList reject *:*, ...",
         "* Nickname      String   labrelay3",
         "* NumCPUs       Integer  4",
         "* ORPort        LineList 9001",
         "",
         "----------------------------------------",
         "BandwidthRate: Average traffic limit ...",
     }},
};

TEST_CASE("the config page: options set, their values and a description", "[panels][config]") {
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 12);
  panels::draw_config(s, {}, c);
  CHECK(c.rows() == kConfig.at(width));
  CHECK(c.outside_calls() == 0);
}

const Rows kTorrc{
    // torrc 120
    {120,
     {
         "Torrc /etc/tor/torrc (13 lines, 3 marks: ! unknown, = repeated, ~ differs from running "
         "tor):",
         " 1   # labrelay3",
         " 2   ORPort 9001",
         " 3   Nickname labrelay3",
         " 4   ContactInfo ops@example.org # published",
         " 5",
         " 6   DirPort 9030",
         " 7 = Nickname labrelay3  also on line 3: tor uses the last one",
         " 8 ~ NumCPUs 2  running tor uses \"4\"",
         " 9   BandwidthRate 1 MB",
         "10 ! OrPrt 9002  unknown option: tor refuses to start with it",
         "11   %include /etc/tor/torrc.d/*.conf",
         "12   ExitPolicy reject *:*",
         "13     ExitPolicy accept *:80",
         "",
     }},
    // torrc 80
    {80,
     {
         "Torrc /etc/tor/torrc (13 lines, 3 marks: ! unknown, = repeated, ~ differs fro...",
         " 1   # labrelay3",
         " 2   ORPort 9001",
         " 3   Nickname labrelay3",
         " 4   ContactInfo ops@example.org # published",
         " 5",
         " 6   DirPort 9030",
         " 7 = Nickname labrelay3  also on line 3: tor uses the last one",
         " 8 ~ NumCPUs 2  running tor uses \"4\"",
         " 9   BandwidthRate 1 MB",
         "10 ! OrPrt 9002  unknown option: tor refuses to start with it",
         "11   %include /etc/tor/torrc.d/*.conf",
         "12   ExitPolicy reject *:*",
         "13     ExitPolicy accept *:80",
         "",
     }},
    // torrc 60
    {60,
     {
         "Torrc /etc/tor/torrc (13 lines, 3 marks: ! unknown, = rep...",
         " 1   # labrelay3",
         " 2   ORPort 9001",
         " 3   Nickname labrelay3",
         " 4   ContactInfo ops@example.org # published",
         " 5",
         " 6   DirPort 9030",
         " 7 = Nickname labrelay3  also on line 3: tor uses the las...",
         " 8 ~ NumCPUs 2  running tor uses \"4\"",
         " 9   BandwidthRate 1 MB",
         "10 ! OrPrt 9002  unknown option: tor refuses to start wit...",
         "11   %include /etc/tor/torrc.d/*.conf",
         "12   ExitPolicy reject *:*",
         "13     ExitPolicy accept *:80",
         "",
     }},
    // torrc 40
    {40,
     {
         "Torrc /etc/tor/torrc (13 lines, 3 mar...",
         " 1   # labrelay3",
         " 2   ORPort 9001",
         " 3   Nickname labrelay3",
         " 4   ContactInfo ops@example.org # publi",
         " 5",
         " 6   DirPort 9030",
         " 7 = Nickname labrelay3  also on line...",
         " 8 ~ NumCPUs 2  running tor uses \"4\"",
         " 9   BandwidthRate 1 MB",
         "10 ! OrPrt 9002  unknown option: tor ...",
         "11   %include /etc/tor/torrc.d/*.conf",
         "12   ExitPolicy reject *:*",
         "13     ExitPolicy accept *:80",
         "",
     }},
};

TEST_CASE("the torrc page: line numbers and validation marks", "[panels][torrc]") {
  const model::Snapshot s = panels::test::sample();
  int width = GENERATE(120, 80, 60, 40);
  ui::TextCanvas c(width, 15);
  panels::draw_torrc(s, {}, c);
  CHECK(c.rows() == kTorrc.at(width));
  CHECK(c.outside_calls() == 0);
}

TEST_CASE("the overview's health: all nine lines when they fit, else a count and what is wrong",
          "[panels][overview][health]") {
  panels::test::use_utc();
  model::Snapshot s = panels::test::sample();
  REQUIRE_FALSE(s.relay.fingerprint.empty());
  auto now = model::HealthClock::now();
  s.health.updated = now;
  for (auto* state :
       {&s.health.overload.state, &s.health.flags.state, &s.health.family.state,
        &s.health.memory.state, &s.health.accounting.state, &s.health.signing_key.state}) {
    state->level = model::HealthLevel::kOk;
  }
  s.health.reachability.state = {model::HealthLevel::kWarning, "ipv6-failed",
                                 "IPv6 ORPort unreachable", now, "STATUS_SERVER"};
  s.health.dos.state.source = "no MetricsPort";
  s.health.dns.state.source = "no MetricsPort";
  auto text = [](const ui::TextCanvas& c) {
    std::string all;
    for (const auto& row : c.rows()) all += row + "\n";
    return all;
  };
  ui::TextCanvas tall(120, 40);
  panels::draw_overview(s, {}, tall);
  INFO(text(tall));
  CHECK(text(tall).find("Health (") != std::string::npos);
  for (const char* label : {"overload:", "DoS/onionskins:", "flags:", "reachability:", "exit DNS:",
                            "family:", "memory:", "accounting:", "signing key:"}) {
    CHECK(text(tall).find(label) != std::string::npos);
  }
  CHECK(text(tall).find("unknown (no MetricsPort)") != std::string::npos);
  CHECK(tall.outside_calls() == 0);

  ui::TextCanvas small(80, 18);
  panels::draw_overview(s, {}, small);
  INFO(text(small));
  CHECK(text(small).find("Health: 6 ok, 1 warning, 2 unknown") != std::string::npos);
  auto warning = text(small).find("reachability:");
  auto unknown = text(small).find("DoS/onionskins:");
  REQUIRE(warning != std::string::npos);
  CHECK((unknown == std::string::npos || warning < unknown));  // worst first
  CHECK(text(small).find("family:") == std::string::npos);     // ok lines folded
  CHECK(small.outside_calls() == 0);

  // A client has no health section.
  s.relay.fingerprint.clear();
  ui::TextCanvas client(120, 40);
  panels::draw_overview(s, {}, client);
  CHECK(text(client).find("Health") == std::string::npos);
}
