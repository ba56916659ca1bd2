// The /proc fast path: /proc/net/{tcp,tcp6,udp,udp6} joined with the socket
// inodes of /proc/PID/fd, from the real capture and hand-written tables.
#include <arpa/inet.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "fixtures.h"
#include "system/proc_net.h"

using namespace relaymon::system;
using relaymon::system::testing::os_capture;

TEST_CASE("proc capture: labexit4's fd links joined with /proc/net/tcp", "[proc]") {
  InodeSet inodes = parse_fd_listing(os_capture("proc-fd-labexit4.txt"));
  CHECK(inodes.size() == 14);  // proc-fd-counts.txt: 14 sockets (2 of them unix)
  ParseDiagnostics diag;
  std::string tcp = os_capture("proc-net-tcp.txt");
  auto sockets = join_proc_net({tcp, {}, {}, {}}, inodes, 31103, "tor", &diag);
  CHECK(diag.skipped == 0);
  CHECK(diag.lines == 4440);
  REQUIRE(sockets.size() == 12);
  int listeners = 0;
  for (const auto& s : sockets) {
    CHECK(s.pid == 31103);
    CHECK(s.process == "tor");
    CHECK(s.protocol == "tcp");
    CHECK(s.local.ip == "127.0.0.1");
    REQUIRE(s.inode.has_value());
    CHECK(inodes.contains(*s.inode));
    listeners += s.state == "LISTEN";
  }
  CHECK(listeners == 2);
  // Row "580: 0100007F:C6DE 0100007F:46A0 01 ... 448609": an exit stream.
  auto it = std::find_if(sockets.begin(), sockets.end(),
                         [](const Socket& s) { return s.inode == 448609ul; });
  REQUIRE(it != sockets.end());
  CHECK(it->local == Address{"127.0.0.1", 50910});
  CHECK(it->remote == Address{"127.0.0.1", 18080});
  CHECK(it->state == "ESTAB");
}

TEST_CASE("proc capture: the whole table without a join, TIME-WAIT included", "[proc]") {
  ParseDiagnostics diag;
  auto sockets = parse_proc_net(os_capture("proc-net-tcp.txt"), "tcp", &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 4439);
  std::map<std::string, int> states;
  for (const auto& s : sockets) ++states[s.state];
  CHECK(states["ESTAB"] == 4082);
  CHECK(states["FIN-WAIT-1"] == 2);
  CHECK(states["TIME-WAIT"] == 331);
  CHECK(states["LISTEN"] == 24);
}

// Hand-written tables in the kernel's layout (net/ipv4/tcp_ipv4.c,
// net/ipv6/tcp_ipv6.c). Addresses are each 32-bit word printed as a native
// (little-endian on this machine) integer: 10.0.0.5 is bytes 0a 00 00 05,
// the word 0x0500000A; ::1 is three zero words and 0x01000000.
constexpr std::string_view kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 0500000A:2329 00000000:0000 0A 00000000:00000000 00:00000000 00000000   110        0 "
    "100 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0500000A:2329 076433C6:C832 01 00000000:00000000 02:00000E3A 00000000   110        0 "
    "101 2 0000000000000000 20 4 30 10 -1\n"
    "   2: 0500000A:A028 097100CB:01BB 02 00000001:00000000 01:00000064 00000001   110        0 "
    "102 2 0000000000000000 1000 0 0 1 7\n"
    "   3: 0500000A:2329 086433C6:9C41 03 00000000:00000000 01:00000064 00000000     0        0 "
    "0 1 0000000000000000 1000 0 0 1 7\n"
    "   4: 0500000A:A029 0A7100CB:0050 04 0000000A:00000000 01:00000064 00000000   110        0 "
    "104 2 0000000000000000 20 4 30 10 -1\n"
    "   5: 0500000A:A02A 0B7100CB:0050 05 00000000:00000000 00:00000000 00000000   110        0 "
    "105 2 0000000000000000 20 4 30 10 -1\n"
    "   6: 0500000A:A02B 0C7100CB:0050 06 00000000:00000000 03:000016A0 00000000     0        0 "
    "0 3 0000000000000000\n"
    "   7: 0500000A:A02C 0D7100CB:0050 08 00000000:00000001 00:00000000 00000000   110        0 "
    "108 2 0000000000000000 20 4 30 10 -1\n"
    "   8: 0500000A:A02D 0E7100CB:0050 09 00000001:00000001 01:00000064 00000000   110        0 "
    "109 2 0000000000000000 20 4 30 10 -1\n"
    "   9: 0500000A:A02E 0F7100CB:0050 0B 00000001:00000000 01:00000064 00000000   110        0 "
    "111 2 0000000000000000 20 4 30 10 -1\n"
    "  10: 0500000A:A02F 00000000:0000 07 00000000:00000000 00:00000000 00000000   110        0 "
    "112 2 0000000000000000 20 4 30 10 -1\n";

constexpr std::string_view kTcp6 =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:235A 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000   110        0 200 1 0000000000000000 100 0 0 10 0\n"
    "   1: B80D0120000000000000000005000000:2329 B80D0120000000000000000077000000:EA60 01 "
    "00000000:00000000 02:00000E3A 00000000   110        0 201 2 0000000000000000 20 4 30 10 -1\n"
    "   2: 0000000000000000FFFF00000100007F:235A 0000000000000000FFFF00000100007F:9C40 01 "
    "00000000:00000000 00:00000000 00000000   110        0 202 2 0000000000000000 20 4 30 10 -1\n";

constexpr std::string_view kUdp =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode ref pointer drops\n"
    "  100: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 "
    "300 2 0000000000000000 0\n"
    "  101: 0500000A:9C40 09090909:0035 01 00000000:00000000 00:00000000 00000000   110        0 "
    "301 2 0000000000000000 0\n";

constexpr std::string_view kUdp6 =
    "   sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
    "  200: 000080FE00000000FF005450563412FE:0222 00000000000000000000000000000000:0000 07 "
    "00000000:00000000 00:00000000 00000000     0        0 400 2 0000000000000000 0\n";

TEST_CASE("proc hand-written sample: every TCP state code", "[proc]") {
  ParseDiagnostics diag;
  auto sockets = parse_proc_net(kTcp, "tcp", &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 11);
  CHECK(sockets[0].local == Address{"10.0.0.5", 9001});
  CHECK(sockets[0].remote == Address{"0.0.0.0", 0});
  CHECK(sockets[0].state == "LISTEN");
  CHECK(sockets[1].remote == Address{"198.51.100.7", 51250});
  CHECK(sockets[2].remote == Address{"203.0.113.9", 443});
  std::vector<std::string> states;
  for (const auto& s : sockets) states.push_back(s.state);
  CHECK(states == std::vector<std::string>{"LISTEN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1",
                                           "FIN-WAIT-2", "TIME-WAIT", "CLOSE-WAIT", "LAST-ACK",
                                           "CLOSING", "CLOSE"});
  CHECK(sockets[6].inode == 0ul);  // TIME-WAIT sockets have no inode (no owner)
}

TEST_CASE("proc hand-written sample: IPv6 words, v4-mapped, UDP, the join", "[proc]") {
  ParseDiagnostics diag;
  InodeSet inodes{100, 101, 102, 200, 201, 202, 301, 400, 999};
  auto sockets = join_proc_net({kTcp, kTcp6, kUdp, kUdp6}, inodes, 4242, "tor", &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 8);
  auto by_inode = [&](unsigned long inode) -> const Socket& {
    for (const auto& s : sockets) {
      if (s.inode == inode) return s;
    }
    FAIL("no socket with inode " << inode);
    return sockets.front();
  };
  CHECK(by_inode(200).local == Address{"::1", 9050});
  CHECK(by_inode(200).remote == Address{"::", 0});
  CHECK(by_inode(200).state == "LISTEN");
  CHECK(by_inode(201).local == Address{"2001:db8::5", 9001});
  CHECK(by_inode(201).remote == Address{"2001:db8::77", 60000});
  CHECK(by_inode(202).local == Address{"127.0.0.1", 9050});
  CHECK(by_inode(202).remote == Address{"127.0.0.1", 40000});
  CHECK(by_inode(301).protocol == "udp");
  CHECK(by_inode(301).state == "ESTAB");
  CHECK(by_inode(301).remote == Address{"9.9.9.9", 53});
  CHECK(by_inode(400).local == Address{"fe80::5054:ff:fe12:3456", 546});
  CHECK(by_inode(400).state == "UNCONN");
  for (const auto& s : sockets) CHECK(s.pid == 4242);

  auto udp = parse_proc_net(kUdp, "udp");
  REQUIRE(udp.size() == 2);
  CHECK(udp[0].local == Address{"127.0.0.53", 53});
  CHECK(udp[0].state == "UNCONN");
}

namespace {
// One /proc/net/tcp row as the kernel prints it ("%4d: %08X:%04X ...");
// the address word is the in-memory address read as a native integer.
std::string kernel_row(int sl, const char* local_ip, int local_port, const char* remote_ip,
                       int remote_port, int state, unsigned long inode) {
  in_addr a{};
  in_addr b{};
  inet_pton(AF_INET, local_ip, &a);
  inet_pton(AF_INET, remote_ip, &b);
  std::uint32_t la = 0;
  std::uint32_t ra = 0;
  std::memcpy(&la, &a, 4);
  std::memcpy(&ra, &b, 4);
  return fmt::format(
      "{:4}: {:08X}:{:04X} {:08X}:{:04X} {:02X} 00000000:00000000 00:00000000 00000000   110"
      "        0 {} 1 0000000000000000 20 4 30 10 -1                    \n",
      sl, la, local_port, ra, remote_port, state, inode);
}
}  // namespace

TEST_CASE("proc hand-written sample: more than 10,000 sockets (wide sl column)", "[proc]") {
  std::string table =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
      "timeout inode\n";
  InodeSet ours;
  for (int k = 0; k < 12'000; ++k) {
    std::string remote = fmt::format("10.{}.{}.{}", k / 65536, (k / 256) % 256, k % 256);
    table +=
        kernel_row(k, "192.0.2.1", 9001, remote.c_str(), 1024 + k, k % 7 == 0 ? 6 : 1, 500'000 + k);
    if (k % 3 == 0) ours.insert(500'000 + k);
  }
  ParseDiagnostics diag;
  auto all = parse_proc_net(table, "tcp", &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(all.size() == 12'000);
  CHECK(all[11'999].remote == Address{"10.0.46.223", 1024 + 11'999});
  CHECK(all[11'999].inode == 511'999ul);
  CHECK(all[10'000].state == "ESTAB");
  CHECK(all[10'003].state == "TIME-WAIT");  // 10003 = 7 * 1429

  auto joined = join_proc_net({table, {}, {}, {}}, ours, 7);
  REQUIRE(joined.size() == 4'000);
  for (const auto& s : joined) {
    REQUIRE(s.inode.has_value());
    CHECK((*s.inode - 500'000) % 3 == 0);
  }
}

TEST_CASE("proc malformed rows are skipped and counted", "[proc][malformed]") {
  constexpr std::string_view kBad =
      "   0: 0100007F:0050 00000000:0000 0A\n"                    // truncated
      "   1: 0100007G:0050 00000000:0000 0A 0:0 0:0 0 0 0 10\n"   // not hex
      "   2: 0100007F:0050 00000000:0000 0D 0:0 0:0 0 0 0 11\n"   // unknown state
      "   3: 0100007F:50 00000000:0000 0A 0:0 0:0 0 0 0 12\n"     // short port
      "   4: 0100007F0:0050 00000000:0000 0A 0:0 0:0 0 0 0 13\n"  // 9 hex digits
      "   5: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 x\n"    // bad inode
      "garbage\n"
      "   6: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 14\r\n";  // good
  ParseDiagnostics diag;
  auto sockets = parse_proc_net(kBad, "tcp", &diag);
  REQUIRE(sockets.size() == 1);
  CHECK(sockets[0].local == Address{"127.0.0.1", 80});
  CHECK(diag.skipped == 7);
}

TEST_CASE("fd links: only socket:[N] targets are socket inodes", "[proc]") {
  CHECK(socket_inode_of_link("socket:[12345]") == 12345ul);
  CHECK_FALSE(socket_inode_of_link("pipe:[12345]"));
  CHECK_FALSE(socket_inode_of_link("socket:[]"));
  CHECK_FALSE(socket_inode_of_link("socket:[12a]"));
  CHECK_FALSE(socket_inode_of_link("/dev/null"));
  CHECK_FALSE(socket_inode_of_link(""));
}
