// parse_ss from the real captures of tor 0.4.9.11 and from hand-written
// samples of what the captures do not contain (IPv6, scopes, UDP, every
// TCP state, old ss formats).
#include <catch2/catch.hpp>

#include "fixtures.h"
#include "system/ss_parser.h"

using namespace relaymon::system;
using relaymon::system::testing::os_capture;

namespace {
const Socket* find_local(const Sockets& sockets, std::string_view ip, std::uint16_t port,
                         std::string_view remote_ip = {}, std::uint16_t remote_port = 0) {
  for (const auto& s : sockets) {
    if (s.local.ip == ip && s.local.port == port &&
        (remote_ip.empty() || (s.remote.ip == remote_ip && s.remote.port == remote_port))) {
      return &s;
    }
  }
  return nullptr;
}
}  // namespace

TEST_CASE("ss -tnp capture: every row of the eight tor pids", "[ss]") {
  ParseDiagnostics diag;
  auto sockets = parse_ss(os_capture("ss-tnp.txt"), &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 58);
  for (const auto& s : sockets) {
    CHECK(s.protocol == "tcp");
    CHECK(s.state == "ESTAB");
    CHECK(s.local.ip == "127.0.0.1");
    CHECK(s.process == "tor");
    REQUIRE(s.pid.has_value());
    CHECK_FALSE(s.bytes_acked.has_value());  // no -i
  }
  auto exit4 = filter_by_pid(sockets, 31103);
  CHECK(exit4.size() == 9);
  const Socket* exit_conn = find_local(exit4, "127.0.0.1", 50880);
  REQUIRE(exit_conn);
  CHECK(exit_conn->remote == Address{"127.0.0.1", 18080});
}

TEST_CASE("ss -tinp capture: the tab-indented info line fills counters and rtt", "[ss]") {
  ParseDiagnostics diag;
  auto sockets = parse_ss(os_capture("ss-tinp.txt"), &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 60);
  const Socket& first = sockets.front();
  CHECK(first.local == Address{"127.0.0.1", 5005});
  CHECK(first.remote == Address{"127.0.0.1", 41126});
  CHECK(first.pid == 31121);
  CHECK(first.bytes_sent == 37572475u);
  CHECK(first.bytes_acked == 37572475u);
  CHECK(first.bytes_received == 120715541u);
  REQUIRE(first.rtt_ms.has_value());
  CHECK(*first.rtt_ms == Approx(6.363));
  // "mrtt:" inside bbr:(...) and "minrtt:" must not be taken for rtt.
  const Socket* exit_conn = find_local(sockets, "127.0.0.1", 50880);
  REQUIRE(exit_conn);
  CHECK(exit_conn->rtt_ms.value() == Approx(0.016));
  CHECK(exit_conn->bytes_acked == 86u);
  CHECK(exit_conn->bytes_received == 193741u);
  for (const auto& s : sockets) CHECK(s.bytes_received.has_value());
  CHECK(filter_by_pid(sockets, 31103).size() == 10);
}

TEST_CASE("ss -tlnp capture: listeners with the peer 0.0.0.0:*", "[ss]") {
  ParseDiagnostics diag;
  auto sockets = parse_ss(os_capture("ss-tlnp.txt"), &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 19);
  for (const auto& s : sockets) {
    CHECK(s.state == "LISTEN");
    CHECK(s.remote == Address{"0.0.0.0", 0});
  }
  auto exit4 = filter_by_pid(sockets, 31103);
  REQUIRE(exit4.size() == 2);
  CHECK(find_local(exit4, "127.0.0.1", 5004));
  CHECK(find_local(exit4, "127.0.0.1", 8004));
}

// Hand-written in the layout of iproute2 6.1 (Debian 12) `ss -tuanpi`; the
// addresses are documentation ranges.
constexpr std::string_view kSsTuanpi =
    "Netid State      Recv-Q Send-Q                     Local Address:Port          Peer "
    "Address:Port Process\n"
    "udp   UNCONN     0      0                          127.0.0.53%lo:53                 "
    "0.0.0.0:*     users:((\"systemd-resolve\",pid=412,fd=13))\n"
    "udp   UNCONN     0      0         [fe80::5054:ff:fe12:3456]%eth0:546                   "
    "[::]:*     users:((\"dhclient\",pid=600,fd=6))\n"
    "udp   ESTAB      0      0                               10.0.0.5:40000              "
    "9.9.9.9:53    users:((\"tor\",pid=4242,fd=30))\n"
    "tcp   LISTEN     0      4096                             0.0.0.0:9001               "
    "0.0.0.0:*     users:((\"tor\",pid=4242,fd=6))\n"
    "\t cubic cwnd:10\n"
    "tcp   LISTEN     0      4096                                [::]:9001                  "
    "[::]:*     users:((\"tor\",pid=4242,fd=7))\n"
    "\t cubic cwnd:10\n"
    "tcp   LISTEN     0      128                                    *:22                     "
    "*:*     users:((\"sshd\",pid=700,fd=4),(\"sshd\",pid=701,fd=4))\n"
    "\t cubic cwnd:10\n"
    "tcp   ESTAB      0      0                               10.0.0.5:9001       "
    "198.51.100.7:51234 users:((\"tor\",pid=4242,fd=20))\n"
    "\t cubic wscale:7,7 rto:204 rtt:1.25/0.5 ato:40 mss:1448 cwnd:10 bytes_sent:1000 "
    "bytes_acked:900 bytes_received:5000 segs_out:10 minrtt:0.9\n"
    "tcp   SYN-SENT   0      1                               10.0.0.5:41000       "
    "203.0.113.9:443   users:((\"tor\",pid=4242,fd=21))\n"
    "\t cubic rto:1000 backoff:1 mss:524 cwnd:1 ssthresh:7 segs_out:2 lastsnd:400\n"
    "tcp   SYN-RECV   0      0                               10.0.0.5:9001       "
    "198.51.100.8:40001\n"
    "\t cubic rto:1000 mss:524 cwnd:1\n"
    "tcp   FIN-WAIT-1 0      10                              10.0.0.5:41001      "
    "203.0.113.10:80    users:((\"tor\",pid=4242,fd=22))\n"
    "tcp   FIN-WAIT-2 0      0                               10.0.0.5:41002      "
    "203.0.113.11:80   \n"
    "tcp   TIME-WAIT  0      0                               10.0.0.5:41003      "
    "203.0.113.12:80   \n"
    "tcp   CLOSE-WAIT 1      0                               10.0.0.5:41004      "
    "203.0.113.13:80    users:((\"tor\",pid=4242,fd=23))\n"
    "tcp   LAST-ACK   1      1                               10.0.0.5:41005      "
    "203.0.113.14:80    users:((\"tor\",pid=4242,fd=24))\n"
    "tcp   CLOSING    0      1                               10.0.0.5:41006      "
    "203.0.113.15:80    users:((\"tor\",pid=4242,fd=27))\n"
    "tcp   UNCONN     0      0                               10.0.0.5:41007            "
    "0.0.0.0:*     users:((\"tor\",pid=4242,fd=28))\n"
    "tcp   ESTAB      0      0                          [2001:db8::5]:9001     "
    "[2001:db8::77]:60000 users:((\"tor\",pid=4242,fd=25))\n"
    "\t cubic rtt:0.5/0.25 bytes_acked:1 bytes_received:2\n"
    "tcp   ESTAB      0      0                     [::ffff:127.0.0.1]:9050 "
    "[::ffff:127.0.0.1]:40000 users:((\"tor\",pid=4242,fd=26))\n";

TEST_CASE("ss -tuanpi hand-written sample: Netid column, UDP, IPv6, scopes, v4-mapped", "[ss]") {
  ParseDiagnostics diag;
  auto sockets = parse_ss(kSsTuanpi, &diag);
  CHECK(diag.skipped == 0);
  // 18 rows, one of them with two users.
  REQUIRE(sockets.size() == 19);

  const Socket* resolver = find_local(sockets, "127.0.0.53", 53);
  REQUIRE(resolver);
  CHECK(resolver->protocol == "udp");
  CHECK(resolver->state == "UNCONN");
  CHECK(resolver->process == "systemd-resolve");

  const Socket* scoped = find_local(sockets, "fe80::5054:ff:fe12:3456", 546);
  REQUIRE(scoped);
  CHECK(scoped->remote == Address{"::", 0});

  const Socket* dns = find_local(sockets, "10.0.0.5", 40000);
  REQUIRE(dns);
  CHECK(dns->protocol == "udp");
  CHECK(dns->state == "ESTAB");
  CHECK(dns->remote == Address{"9.9.9.9", 53});

  const Socket* v6_listener = find_local(sockets, "::", 9001);
  REQUIRE(v6_listener);
  CHECK(v6_listener->state == "LISTEN");
  CHECK(v6_listener->remote == Address{"::", 0});
  CHECK_FALSE(v6_listener->bytes_acked.has_value());  // "cubic cwnd:10" has no counters

  const Socket* v6 = find_local(sockets, "2001:db8::5", 9001);
  REQUIRE(v6);
  CHECK(v6->remote == Address{"2001:db8::77", 60000});
  CHECK(v6->rtt_ms.value() == Approx(0.5));
  CHECK(v6->bytes_acked == 1u);
  CHECK_FALSE(v6->bytes_sent.has_value());

  const Socket* mapped = find_local(sockets, "127.0.0.1", 9050);
  REQUIRE(mapped);
  CHECK(mapped->remote == Address{"127.0.0.1", 40000});

  const Socket* relay = find_local(sockets, "10.0.0.5", 9001, "198.51.100.7", 51234);
  REQUIRE(relay);
  CHECK(relay->pid == 4242);
  CHECK(relay->bytes_sent == 1000u);
  CHECK(relay->bytes_acked == 900u);
  CHECK(relay->bytes_received == 5000u);
  CHECK(relay->rtt_ms.value() == Approx(1.25));

  // A request socket in SYN-RECV has no owner in ss: no pid, and its info
  // line must not leak onto the row above.
  const Socket* syn_recv = find_local(sockets, "10.0.0.5", 9001, "198.51.100.8", 40001);
  REQUIRE(syn_recv);
  CHECK_FALSE(syn_recv->pid.has_value());
  const Socket* syn_sent = find_local(sockets, "10.0.0.5", 41000);
  REQUIRE(syn_sent);
  CHECK_FALSE(syn_sent->bytes_acked.has_value());

  // "*:22" with "*:*": a dual-stack IPv6 socket bound to any address.
  auto sshd = find_local(sockets, "::", 22);
  REQUIRE(sshd);
  CHECK(sshd->remote == Address{"::", 0});
}

TEST_CASE("ss hand-written sample: every TCP state keeps its ss name", "[ss]") {
  auto sockets = parse_ss(kSsTuanpi);
  std::set<std::string> states;
  for (const auto& s : sockets) {
    if (s.protocol == "tcp") states.insert(s.state);
  }
  // ss prints a closed TCP socket as UNCONN; socket.h spells it CLOSE for TCP.
  CHECK(states == std::set<std::string>{"CLOSE", "CLOSE-WAIT", "CLOSING", "ESTAB", "FIN-WAIT-1",
                                        "FIN-WAIT-2", "LAST-ACK", "LISTEN", "SYN-RECV", "SYN-SENT",
                                        "TIME-WAIT"});
}

TEST_CASE("ss hand-written sample: several users on one socket give one Socket each", "[ss]") {
  auto sockets = parse_ss(kSsTuanpi);
  auto a = filter_by_pid(sockets, 700);
  auto b = filter_by_pid(sockets, 701);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(a[0].local == b[0].local);
  CHECK(a[0].process == "sshd");
  auto tor = filter_by_pid(sockets, 4242);
  CHECK(tor.size() == 12);
  for (const auto& s : tor) CHECK(s.pid == 4242);
  CHECK(filter_by_pid(sockets, 99999).empty());
}

TEST_CASE("ss hand-written sample: old ss formats (users without pid=, ::: addresses)", "[ss]") {
  // iproute2 3.x: unbracketed IPv6, "*" for any address, users:(("name",pid,fd)).
  constexpr std::string_view kOld =
      "State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port \n"
      "LISTEN     0      128                      :::22                      :::*      "
      "users:((\"sshd\",1234,4))\n"
      "ESTAB      0      0                127.0.0.1:9050            127.0.0.1:50000    "
      "users:((\"tor\",4242,7),(\"tor\",4243,7))\n"
      "ESTAB      0      0         ::ffff:127.0.0.1:5000     ::ffff:127.0.0.1:40000    "
      "users:((\"tor\",4242,8))\n"
      "ESTAB      0      0                    ::1:9050                  ::1:50002    "
      "users:((\"tor\",4242,9))\n";
  ParseDiagnostics diag;
  auto sockets = parse_ss(kOld, &diag);
  CHECK(diag.skipped == 0);
  REQUIRE(sockets.size() == 5);
  CHECK(sockets[0].local == Address{"::", 22});
  CHECK(sockets[0].pid == 1234);
  CHECK(sockets[1].pid == 4242);
  CHECK(sockets[2].pid == 4243);
  CHECK(sockets[2].local == Address{"127.0.0.1", 9050});
  CHECK(sockets[3].local == Address{"127.0.0.1", 5000});
  CHECK(sockets[3].remote == Address{"127.0.0.1", 40000});
  CHECK(sockets[4].local == Address{"::1", 9050});
  CHECK(sockets[4].remote == Address{"::1", 50002});
  CHECK(filter_by_pid(sockets, 4242).size() == 3);
}

TEST_CASE("ss without permission: rows without users: have no pid", "[ss]") {
  auto sockets = parse_ss(
      "State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
      "ESTAB 0      0          127.0.0.1:9001    127.0.0.1:40000\n");
  REQUIRE(sockets.size() == 1);
  CHECK_FALSE(sockets[0].pid.has_value());
  CHECK(filter_by_pid(sockets, 4242).empty());
}

TEST_CASE("ss malformed lines are skipped and counted", "[ss][malformed]") {
  constexpr std::string_view kBad =
      "\t bytes_acked:5 rtt:1/1\n"               // info line before any row: ignored
      "ESTAB 0 0 127.0.0.1:9001\n"               // truncated
      "ESTAB 0 0 127.0.0.1:99999 127.0.0.1:1\n"  // port out of range
      "WAITING 0 0 127.0.0.1:1 127.0.0.1:2\n"    // unknown state
      "ESTAB x 0 127.0.0.1:1 127.0.0.1:2\n"      // queue not a number
      "ESTAB 0 0 300.0.0.1:1 127.0.0.1:2\n"      // not an address
      "ESTAB 0 0 [::1:1 127.0.0.1:2\n"           // unclosed bracket
      "ESTAB 0 0 127.0.0.1:1 127.0.0.1:2 users:((\"tor\",pid=abc,fd=1))\n"  // bad pid
      "\t bytes_acked:7\n"  // belongs to the skipped row: ignored
      "ESTAB 0 0 127.0.0.1:1 127.0.0.1:2 users:((\"tor\",pid=5,fd=1))\r\n"
      "\t bytes_acked:notanumber rtt:x/y bytes_sent:12\r\n"
      "u_str ESTAB 0 0 * 123 * 456\n";  // a unix socket: not ours, not an error
  ParseDiagnostics diag;
  auto sockets = parse_ss(kBad, &diag);
  REQUIRE(sockets.size() == 1);
  CHECK(sockets[0].pid == 5);
  CHECK(sockets[0].bytes_sent == 12u);
  CHECK_FALSE(sockets[0].bytes_acked.has_value());
  CHECK_FALSE(sockets[0].rtt_ms.has_value());
  CHECK(diag.skipped == 7);
  CHECK(diag.examples.size() == ParseDiagnostics::kMaxExamples);
  CHECK(diag.examples[0] == "ESTAB 0 0 127.0.0.1:9001");
}
