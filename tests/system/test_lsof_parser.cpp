// parse_lsof from the real captures and a hand-written sample.
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "system/lsof_parser.h"

using namespace relaymon::system;
using relaymon::system::testing::os_capture;

TEST_CASE("lsof -nPi -a -p capture of labexit4: listeners and established", "[lsof]") {
  ParseDiagnostics diag;
  auto sockets = parse_lsof(os_capture("lsof-nPi-labexit4.txt"), &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 12);
  CHECK(sockets[0].local == Address{"127.0.0.1", 8004});
  CHECK(sockets[0].remote == Address{"0.0.0.0", 0});
  CHECK(sockets[0].state == "LISTEN");
  CHECK(sockets[0].inode == 370426ul);  // DEVICE: the socket's inode, as in /proc/PID/fd
  CHECK(sockets[0].pid == 31103);
  CHECK(sockets[0].process == "tor");
  CHECK(sockets[2].local == Address{"127.0.0.1", 5004});
  CHECK(sockets[2].remote == Address{"127.0.0.1", 48966});
  CHECK(sockets[2].state == "ESTAB");
  int listeners = 0;
  for (const auto& s : sockets) listeners += s.state == "LISTEN";
  CHECK(listeners == 2);
}

TEST_CASE("lsof captures of all eight tor instances parse whole", "[lsof]") {
  for (const char* nick : {"labauth0", "labauth1", "labauth2", "labrelay3", "labexit4", "labexit5",
                           "labrelay6", "labclient7"}) {
    INFO(nick);
    ParseDiagnostics diag;
    std::string text = os_capture(std::string("lsof-nPi-") + nick + ".txt");
    auto sockets = parse_lsof(text, &diag);
    CHECK(diag.skipped == 0);
    CHECK(sockets.size() + 1 == diag.lines);  // every line but the header
    CHECK_FALSE(sockets.empty());
  }
}

// Hand-written in the layout of lsof 4.95 (Debian 12); documentation addresses.
constexpr std::string_view kLsof =
    "COMMAND  PID       USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME\n"
    "tor     4242 debian-tor    6u  IPv6   81234      0t0  TCP [::1]:9050 (LISTEN)\n"
    "tor     4242 debian-tor    7u  IPv4   81235      0t0  TCP *:9001 (LISTEN)\n"
    "tor     4242 debian-tor    8u  IPv6   81236      0t0  TCP *:9001 (LISTEN)\n"
    "tor     4242 debian-tor    9u  IPv4   81237      0t0  UDP *:5353\n"
    "tor     4242 debian-tor   10u  IPv4   81238      0t0  UDP 10.0.0.5:40000->9.9.9.9:53\n"
    "tor     4242 debian-tor   11u  IPv6   81239      0t0  TCP "
    "[2001:db8::5]:9001->[2001:db8::77]:60000 (ESTABLISHED)\n"
    "tor     4242 debian-tor   12u  IPv6   81240      0t0  TCP "
    "[::ffff:127.0.0.1]:9050->[::ffff:127.0.0.1]:40000 (ESTABLISHED)\n"
    "tor     4242 debian-tor   13u  IPv4   81241      0t0  TCP 10.0.0.5:41000->203.0.113.9:443 "
    "(SYN_SENT)\n"
    "tor     4242 debian-tor   14u  IPv4   81242      0t0  TCP 10.0.0.5:41001->203.0.113.10:80 "
    "(FIN_WAIT1)\n"
    "tor     4242 debian-tor   15u  IPv4   81243      0t0  TCP 10.0.0.5:41004->203.0.113.13:80 "
    "(CLOSE_WAIT)\n"
    "tor     4242 debian-tor   16u  IPv4   81244      0t0  TCP 10.0.0.5:41005->203.0.113.14:80 "
    "(LAST_ACK)\n"
    "tor     4242 debian-tor   17u  IPv4   81245      0t0  TCP 10.0.0.5:41006->203.0.113.15:80 "
    "(CLOSING)\n"
    "tor     4242 debian-tor   18u  IPv4   81246      0t0  TCP 10.0.0.5:41007 (CLOSED)\n"
    "tor     4242 debian-tor   19u  IPv4   81247      0t0  TCP 10.0.0.5:41002->203.0.113.11:80 "
    "(FIN_WAIT2)\n"
    "tor     4242 debian-tor   20u  IPv6   81248      0t0  TCP "
    "[fe80::1%eth0]:9001->[fe80::2%eth0]:50000 (ESTABLISHED)\n"
    "tor     4242 debian-tor   21u  IPv4   81249      0t0  TCP 10.0.0.5:9001->198.51.100.8:40001 "
    "(SYN_RECV)\n"
    "tor     4242 debian-tor   22u  IPv4   81250      0t0  TCP 10.0.0.5:41003->203.0.113.12:80 "
    "(TIME_WAIT)\n";

TEST_CASE("lsof hand-written sample: brackets, wildcards, UDP, every state", "[lsof]") {
  ParseDiagnostics diag;
  auto sockets = parse_lsof(kLsof, &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 17);
  CHECK(sockets[0].local == Address{"::1", 9050});
  CHECK(sockets[0].remote == Address{"::", 0});
  CHECK(sockets[0].inode == 81234ul);
  CHECK(sockets[1].local == Address{"0.0.0.0", 9001});  // "*" in an IPv4 row
  CHECK(sockets[2].local == Address{"::", 9001});       // "*" in an IPv6 row
  CHECK(sockets[3].protocol == "udp");
  CHECK(sockets[3].state == "UNCONN");
  CHECK(sockets[3].local == Address{"0.0.0.0", 5353});
  CHECK(sockets[4].state == "ESTAB");
  CHECK(sockets[4].remote == Address{"9.9.9.9", 53});
  CHECK(sockets[5].local == Address{"2001:db8::5", 9001});
  CHECK(sockets[5].remote == Address{"2001:db8::77", 60000});
  CHECK(sockets[6].local == Address{"127.0.0.1", 9050});
  CHECK(sockets[6].remote == Address{"127.0.0.1", 40000});
  CHECK(sockets[12].state == "CLOSE");
  CHECK(sockets[12].remote == Address{"0.0.0.0", 0});
  CHECK(sockets[14].local == Address{"fe80::1", 9001});
  std::set<std::string> states;
  for (const auto& s : sockets) {
    if (s.protocol == "tcp") states.insert(s.state);
  }
  CHECK(states == std::set<std::string>{"CLOSE", "CLOSE-WAIT", "CLOSING", "ESTAB", "FIN-WAIT-1",
                                        "FIN-WAIT-2", "LAST-ACK", "LISTEN", "SYN-RECV", "SYN-SENT",
                                        "TIME-WAIT"});
}

TEST_CASE("lsof malformed lines are skipped and counted", "[lsof][malformed]") {
  constexpr std::string_view kBad =
      "tor 1 u 3u unix 0x0 0t0 123 socket\n"                         // not an internet socket
      "tor 1 u 3u IPv4 5 0t0 TCP\n"                                  // no NAME
      "tor 1 u 3u IPv4 5 0t0 TCP 127.0.0.1:1->127.0.0.1:2\n"         // TCP without a state
      "tor 1 u 3u IPv4 5 0t0 TCP 127.0.0.1:1 (NOPE)\n"               // unknown state
      "tor x u 3u IPv4 5 0t0 TCP 127.0.0.1:1 (LISTEN)\n"             // bad pid
      "tor 1 u 3u IPv4 5 0t0 TCP 127.0.0.1:1->[::1 (ESTABLISHED)\n"  // bad peer
      "tor 1 u 3u IPv4 5 TCP 127.0.0.1:1 (LISTEN)\r\n";              // SIZE/OFF blank: still good
  ParseDiagnostics diag;
  auto sockets = parse_lsof(kBad, &diag);
  REQUIRE(sockets.size() == 1);
  CHECK(sockets[0].inode == 5ul);
  CHECK(diag.skipped == 6);
}
