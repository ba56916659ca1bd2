// parse_netstat from the real capture and a hand-written `netstat -tuanpW`.
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "system/netstat_parser.h"
#include "system/ss_parser.h"

using namespace relaymon::system;
using relaymon::system::testing::os_capture;

TEST_CASE("netstat -tnp capture: PID/Program name column", "[netstat]") {
  ParseDiagnostics diag;
  auto sockets = parse_netstat(os_capture("netstat-tnp.txt"), &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 60);
  for (const auto& s : sockets) {
    CHECK(s.protocol == "tcp");
    CHECK(s.state == "ESTAB");
    CHECK(s.process == "tor");
  }
  auto exit4 = filter_by_pid(sockets, 31103);
  REQUIRE(exit4.size() == 10);
  CHECK(exit4[0].local == Address{"127.0.0.1", 5004});
  CHECK(exit4[0].remote == Address{"127.0.0.1", 48966});
}

// Hand-written in the layout of net-tools 2.10 (Debian 12) `netstat -tuanpW`;
// -W prints whole IPv6 addresses, which widen their columns.
constexpr std::string_view kNetstatWide =
    "Active Internet connections (servers and established)\n"
    "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program "
    "name    \n"
    "tcp        0      0 0.0.0.0:9001            0.0.0.0:*               LISTEN      4242/tor    "
    "        \n"
    "tcp        0      0 127.0.0.1:631           0.0.0.0:*               LISTEN      900/cups "
    "browsed    \n"
    "tcp        0      0 10.0.0.5:9001           198.51.100.7:51234      ESTABLISHED 4242/tor    "
    "        \n"
    "tcp        0      1 10.0.0.5:41000          203.0.113.9:443         SYN_SENT    4242/tor    "
    "        \n"
    "tcp        0      0 10.0.0.5:9001           198.51.100.8:40001      SYN_RECV    -           "
    "        \n"
    "tcp        0     10 10.0.0.5:41001          203.0.113.10:80         FIN_WAIT1   4242/tor    "
    "        \n"
    "tcp        0      0 10.0.0.5:41002          203.0.113.11:80         FIN_WAIT2   -           "
    "        \n"
    "tcp        0      0 10.0.0.5:41003          203.0.113.12:80         TIME_WAIT   -           "
    "        \n"
    "tcp        1      0 10.0.0.5:41004          203.0.113.13:80         CLOSE_WAIT  4242/tor    "
    "        \n"
    "tcp        1      1 10.0.0.5:41005          203.0.113.14:80         LAST_ACK    4242/tor    "
    "        \n"
    "tcp        0      1 10.0.0.5:41006          203.0.113.15:80         CLOSING     4242/tor    "
    "        \n"
    "tcp        0      0 10.0.0.5:41007          0.0.0.0:*               CLOSE       4242/tor    "
    "        \n"
    "tcp6       0      0 :::9001                 :::*                    LISTEN      4242/tor    "
    "        \n"
    "tcp6       0      0 2001:db8:1234:5678:9abc:def0:1234:5678:9001 "
    "2001:db8:ffff:eeee:dddd:cccc:bbbb:aaaa:60000 ESTABLISHED 4242/tor            \n"
    "tcp6       0      0 ::ffff:127.0.0.1:9050   ::ffff:127.0.0.1:40000  ESTABLISHED 4242/tor    "
    "        \n"
    "udp        0      0 127.0.0.53:53           0.0.0.0:*                           "
    "412/systemd-resolve \n"
    "udp        0      0 10.0.0.5:40000          9.9.9.9:53              ESTABLISHED 4242/tor    "
    "        \n"
    "udp6       0      0 fe80::5054:ff:fe12:3456:546 :::*                                "
    "600/dhclient        \n"
    "udp6       0      0 :::5353                 :::*                                -           "
    "        \n"
    "Active UNIX domain sockets (servers and established)\n"
    "Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path\n"
    "unix  2      [ ACC ]     STREAM     LISTENING     12345    1/init               "
    "/run/systemd/private\n";

TEST_CASE("netstat -tuanpW hand-written sample: wide IPv6, udp without state, '-' pid",
          "[netstat]") {
  ParseDiagnostics diag;
  auto sockets = parse_netstat(kNetstatWide, &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 19);

  auto by_local = [&](std::string_view ip, std::uint16_t port) -> const Socket* {
    for (const auto& s : sockets) {
      if (s.local.ip == ip && s.local.port == port) return &s;
    }
    return nullptr;
  };
  const Socket* wide = by_local("2001:db8:1234:5678:9abc:def0:1234:5678", 9001);
  REQUIRE(wide);
  CHECK(wide->remote == Address{"2001:db8:ffff:eeee:dddd:cccc:bbbb:aaaa", 60000});
  CHECK(wide->state == "ESTAB");
  CHECK(wide->pid == 4242);

  const Socket* mapped = by_local("127.0.0.1", 9050);
  REQUIRE(mapped);
  CHECK(mapped->remote == Address{"127.0.0.1", 40000});

  const Socket* any6 = by_local("::", 9001);
  REQUIRE(any6);
  CHECK(any6->state == "LISTEN");
  CHECK(any6->remote == Address{"::", 0});

  const Socket* resolver = by_local("127.0.0.53", 53);
  REQUIRE(resolver);
  CHECK(resolver->protocol == "udp");
  CHECK(resolver->state == "UNCONN");
  CHECK(resolver->pid == 412);
  CHECK(resolver->process == "systemd-resolve");

  const Socket* scoped = by_local("fe80::5054:ff:fe12:3456", 546);
  REQUIRE(scoped);
  CHECK(scoped->process == "dhclient");

  const Socket* unknown = by_local("::", 5353);
  REQUIRE(unknown);
  CHECK_FALSE(unknown->pid.has_value());
  CHECK(unknown->state == "UNCONN");

  const Socket* cups = by_local("127.0.0.1", 631);
  REQUIRE(cups);
  CHECK(cups->process == "cups browsed");

  const Socket* dns = by_local("10.0.0.5", 40000);
  REQUIRE(dns);
  CHECK(dns->protocol == "udp");
  CHECK(dns->state == "ESTAB");

  std::set<std::string> states;
  for (const auto& s : sockets) {
    if (s.protocol == "tcp") states.insert(s.state);
  }
  CHECK(states == std::set<std::string>{"CLOSE", "CLOSE-WAIT", "CLOSING", "ESTAB", "FIN-WAIT-1",
                                        "FIN-WAIT-2", "LAST-ACK", "LISTEN", "SYN-RECV", "SYN-SENT",
                                        "TIME-WAIT"});
  CHECK(filter_by_pid(sockets, 4242).size() == 12);
}

TEST_CASE("netstat malformed lines are skipped and counted", "[netstat][malformed]") {
  constexpr std::string_view kBad =
      "tcp 0 0 127.0.0.1:1\n"                                     // truncated
      "tcp 0 0 127.0.0.1:1 127.0.0.1:2 WAITING 1/tor\n"           // unknown state
      "tcp 0 0 127.0.0.1:1 127.0.0.1:2 1/tor\n"                   // tcp without a state
      "tcp 0 0 127.0.0.1:1 127.0.0.1:2 ESTABLISHED x/tor\n"       // bad pid
      "tcp6 0 0 2001:db8:1234:5678:9abc:def0:12 :::* LISTEN -\n"  // truncated (no -W)
      "sctp 0 0 127.0.0.1:1 127.0.0.1:2 ESTABLISHED -\n"          // unknown protocol
      "tcp 0 0 127.0.0.1:1 127.0.0.1:2 ESTABLISHED 7/tor\r\n";    // good, CRLF
  ParseDiagnostics diag;
  auto sockets = parse_netstat(kBad, &diag);
  REQUIRE(sockets.size() == 1);
  CHECK(sockets[0].pid == 7);
  CHECK(sockets[0].process == "tor");
  CHECK(diag.skipped == 6);
}
