// The netlink sock_diag parser, from a recorded dump of real loopback sockets
// (tests/fixtures/sock-diag, see its README) and from that dump broken in
// the ways a buffer can be: truncated, lying lengths, errors, unknown
// attributes, short tcp_info.
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "fixtures.h"
#include "system/sock_diag_parser.h"

using namespace relaymon::system;
using relaymon::system::testing::read_fixture;

namespace {

std::string recorded(const char* name) {
  return read_fixture(std::string("sock-diag/") + name);
}

const Socket& by_inode(const Sockets& sockets, unsigned long inode) {
  auto it = std::find_if(sockets.begin(), sockets.end(),
                         [&](const Socket& s) { return s.inode == inode; });
  if (it == sockets.end()) FAIL("no socket with inode " << inode);
  return *it;
}

// The whole messages of a buffer, each as its own string.
std::vector<std::string> messages(const std::string& bytes) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at + sizeof(nlmsghdr) <= bytes.size()) {
    nlmsghdr h;
    std::memcpy(&h, bytes.data() + at, sizeof h);
    out.push_back(bytes.substr(at, h.nlmsg_len));
    at += NLMSG_ALIGN(h.nlmsg_len);
  }
  return out;
}

// The recorded socket message of `inode` (an established TCP socket with
// tcp_info), to be broken by the malformed cases.
std::string message_of(const std::string& bytes, unsigned long inode) {
  for (const auto& m : messages(bytes)) {
    if (m.size() < sizeof(nlmsghdr) + sizeof(inet_diag_msg)) continue;
    inet_diag_msg r;
    std::memcpy(&r, m.data() + sizeof(nlmsghdr), sizeof r);
    if (r.idiag_inode == inode) return m;
  }
  FAIL("no recorded message for inode " << inode);
  return {};
}

void set_length(std::string& message, std::uint32_t length) {
  std::memcpy(message.data(), &length, sizeof length);
}

std::string error_message(int code, std::size_t body = sizeof(nlmsgerr)) {
  std::string m(sizeof(nlmsghdr) + body, '\0');
  nlmsghdr h{};
  h.nlmsg_len = static_cast<std::uint32_t>(m.size());
  h.nlmsg_type = NLMSG_ERROR;
  std::memcpy(m.data(), &h, sizeof h);
  if (body >= sizeof(int)) std::memcpy(m.data() + sizeof h, &code, sizeof code);
  return m;
}

constexpr unsigned long kEstablished = 1189219;  // client side, sent 1000 B, got 300 B

}  // namespace

TEST_CASE("sock_diag recorded: TCP over IPv4 and IPv6, every state the capture made",
          "[sock_diag]") {
  ParseDiagnostics diag;
  SockDiagSummary summary;
  Sockets sockets = parse_sock_diag(recorded("tcp.bin"), "tcp", &diag, &summary);
  CHECK(diag.skipped == 0);
  CHECK(summary.done);
  CHECK_FALSE(summary.truncated);
  CHECK(summary.error == 0);
  CHECK(summary.records == sockets.size());
  REQUIRE(sockets.size() >= 12);

  const Socket& listener = by_inode(sockets, 1189218);
  CHECK(listener.protocol == "tcp");
  CHECK(listener.state == "LISTEN");
  CHECK(listener.local == Address{"127.0.0.1", 54119});
  CHECK(listener.remote == Address{"0.0.0.0", 0});

  const Socket& client = by_inode(sockets, kEstablished);
  CHECK(client.state == "ESTAB");
  CHECK(client.local == Address{"127.0.0.1", 43746});
  CHECK(client.remote == Address{"127.0.0.1", 54119});
  CHECK(client.bytes_acked == 1001u);  // the kernel counts the SYN, as ss prints it
  CHECK(client.bytes_sent == 1000u);
  CHECK(client.bytes_received == 300u);
  REQUIRE(client.rtt_ms.has_value());
  CHECK(*client.rtt_ms > 0.0);
  CHECK(*client.rtt_ms < 1000.0);
  const Socket& server = by_inode(sockets, 1189220);
  CHECK(server.bytes_received == 1000u);
  CHECK(server.rtt_ms.has_value());
  CHECK(server.bytes_acked == 300u);

  // capture.py shut the writing side of one pair: half-closed states.
  CHECK(by_inode(sockets, 1189221).state == "FIN-WAIT-2");
  CHECK(by_inode(sockets, 1189222).state == "CLOSE-WAIT");
  // A closed pair lingers in TIME-WAIT, which belongs to no process (inode 0).
  auto time_wait = std::find_if(sockets.begin(), sockets.end(),
                                [](const Socket& s) { return s.state == "TIME-WAIT"; });
  REQUIRE(time_wait != sockets.end());
  CHECK(time_wait->inode == 0ul);

  CHECK(by_inode(sockets, 1189225).local == Address{"::1", 36151});
  CHECK(by_inode(sockets, 1189225).remote == Address{"::", 0});
  CHECK(by_inode(sockets, 1189226).remote == Address{"::1", 36151});
  CHECK(by_inode(sockets, 1189228).local == Address{"::", 59229});
  // A dual-stack socket reached over IPv4: v4-mapped, unmapped as ss does.
  CHECK(by_inode(sockets, 1189230).local == Address{"127.0.0.1", 59229});
  CHECK(by_inode(sockets, 1189230).remote == Address{"127.0.0.1", 58528});
  CHECK(by_inode(sockets, 1189230).state == "ESTAB");
}

TEST_CASE("sock_diag recorded: UDP, connected and not, no byte counters", "[sock_diag]") {
  ParseDiagnostics diag;
  SockDiagSummary summary;
  Sockets sockets = parse_sock_diag(recorded("udp.bin"), "udp", &diag, &summary);
  CHECK(diag.skipped == 0);
  CHECK(summary.done);
  const Socket& unconnected = by_inode(sockets, 1189231);
  CHECK(unconnected.protocol == "udp");
  CHECK(unconnected.state == "UNCONN");
  CHECK(unconnected.local == Address{"127.0.0.1", 60843});
  const Socket& connected = by_inode(sockets, 1189232);
  CHECK(connected.state == "ESTAB");
  CHECK(connected.remote == Address{"127.0.0.1", 60843});
  CHECK_FALSE(connected.bytes_acked.has_value());
  CHECK(by_inode(sockets, 1189233).local == Address{"::1", 60583});
}

TEST_CASE("sock_diag recorded: the inode filter keeps one process's sockets", "[sock_diag]") {
  InodeSet inodes{1189218, kEstablished, 1189226, 999999999};
  Sockets out;
  ParseDiagnostics diag;
  auto summary = parse_sock_diag_into(recorded("tcp.bin"), "tcp", out, &inodes, 4242, "tor", &diag);
  CHECK(summary.records >= 12);
  REQUIRE(out.size() == 3);
  for (const auto& s : out) {
    CHECK(s.pid == 4242);
    CHECK(s.process == "tor");
    CHECK(inodes.contains(*s.inode));
  }
}

TEST_CASE("sock_diag recorded: records the filter drops are kept for a second look",
          "[sock_diag]") {
  std::string bytes = recorded("tcp.bin");
  InodeSet first{1189218};
  Sockets out;
  std::string unmatched;
  auto summary = parse_sock_diag_into(bytes, "tcp", out, &first, 1, "tor", nullptr, &unmatched);
  REQUIRE(out.size() == 1);
  // Every other record with an inode (TIME-WAIT's inode 0 is nobody's),
  // as netlink bytes the parser reads again.
  SockDiagSummary again;
  Sockets rest = parse_sock_diag(unmatched, "tcp", nullptr, &again);
  CHECK(again.records + 1 + 1 == summary.records);  // minus the kept one and the TIME-WAIT
  CHECK_FALSE(again.truncated);
  InodeSet later{kEstablished};
  Sockets found;
  parse_sock_diag_into(unmatched, "tcp", found, &later, 1, "tor");
  REQUIRE(found.size() == 1);
  CHECK(found[0].bytes_acked == 1001u);
}

TEST_CASE("sock_diag recorded: the records kept for a second look stop at a budget",
          "[sock_diag]") {
  std::string bytes = recorded("tcp.bin");
  InodeSet none{1};
  Sockets out;
  std::string unmatched;
  // The same buffer again and again, as a host with many other sockets.
  std::size_t batches = 0;
  while (unmatched.size() < kUnmatchedBudget / 2) {
    parse_sock_diag_into(bytes, "tcp", out, &none, 1, "tor", nullptr, &unmatched);
    ++batches;
  }
  std::size_t half = unmatched.size();
  for (std::size_t i = 0; i < 2 * batches + 2; ++i) {
    parse_sock_diag_into(bytes, "tcp", out, &none, 1, "tor", nullptr, &unmatched);
  }
  CHECK(out.empty());
  CHECK(unmatched.size() > half);
  CHECK(unmatched.size() <= kUnmatchedBudget);
  // What was kept is whole records, read again as such.
  SockDiagSummary again;
  parse_sock_diag(unmatched, "tcp", nullptr, &again);
  CHECK_FALSE(again.truncated);
  CHECK(again.records > 0);
}

TEST_CASE("sock_diag malformed: every truncation of the recording", "[sock_diag]") {
  std::string bytes = recorded("tcp.bin");
  std::size_t full = parse_sock_diag(bytes, "tcp").size();
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    ParseDiagnostics diag;
    SockDiagSummary summary;
    Sockets sockets = parse_sock_diag(std::string_view(bytes).substr(0, n), "tcp", &diag, &summary);
    CHECK(sockets.size() <= full);
    // Cut inside a message: it is reported, never read past the end.
    if (n > 0 && n % NLMSG_ALIGNTO != 0) CHECK(summary.truncated);
  }
}

TEST_CASE("sock_diag malformed: a header shorter than nlmsghdr", "[sock_diag]") {
  ParseDiagnostics diag;
  SockDiagSummary summary;
  CHECK(parse_sock_diag(std::string(10, '\x7f'), "tcp", &diag, &summary).empty());
  CHECK(summary.truncated);
  CHECK(diag.skipped == 1);
}

TEST_CASE("sock_diag malformed: nlmsg_len lies", "[sock_diag]") {
  std::string good = message_of(recorded("tcp.bin"), kEstablished);
  SECTION("longer than the buffer: the rest cannot be trusted") {
    std::string m = good + good;
    set_length(m, static_cast<std::uint32_t>(m.size() + 100));
    ParseDiagnostics diag;
    SockDiagSummary summary;
    CHECK(parse_sock_diag(m, "tcp", &diag, &summary).empty());
    CHECK(summary.truncated);
    CHECK(diag.skipped == 1);
    CHECK_THAT(diag.examples.front(), Catch::Contains("length"));
  }
  SECTION("shorter than its own header") {
    std::string m = good;
    set_length(m, 8);
    SockDiagSummary summary;
    CHECK(parse_sock_diag(m, "tcp", nullptr, &summary).empty());
    CHECK(summary.truncated);
  }
  SECTION("shorter than a socket record: skipped, the next one still read") {
    std::string m = good;
    set_length(m, sizeof(nlmsghdr) + 20);
    m.resize(NLMSG_ALIGN(sizeof(nlmsghdr) + 20));
    ParseDiagnostics diag;
    Sockets sockets = parse_sock_diag(m + good, "tcp", &diag);
    CHECK(sockets.size() == 1);
    CHECK(diag.skipped == 1);
  }
}

TEST_CASE("sock_diag malformed: NLMSG_ERROR ends the dump with its errno", "[sock_diag]") {
  SockDiagSummary summary;
  CHECK(parse_sock_diag(error_message(-ENOENT), "udp", nullptr, &summary).empty());
  CHECK(summary.error == ENOENT);
  CHECK_FALSE(summary.done);
  // An acknowledgement (error 0) is no error.
  parse_sock_diag(error_message(0), "udp", nullptr, &summary);
  CHECK(summary.error == 0);
  // An error message too short to hold its code.
  ParseDiagnostics diag;
  parse_sock_diag(error_message(0, 2), "udp", &diag, &summary);
  CHECK(summary.error == EPROTO);
  CHECK(diag.skipped == 1);
}

TEST_CASE("sock_diag malformed: attributes unknown, lying, or a short tcp_info", "[sock_diag]") {
  std::string good = message_of(recorded("tcp.bin"), kEstablished);
  const std::size_t attrs_at = sizeof(nlmsghdr) + NLMSG_ALIGN(sizeof(inet_diag_msg));
  std::string head = good.substr(0, attrs_at);
  std::string attrs = good.substr(attrs_at);
  auto with_attrs = [&](const std::string& a) {
    std::string m = head + a;
    set_length(m, static_cast<std::uint32_t>(m.size()));
    return m;
  };
  auto rta = [](unsigned short type, const std::string& payload) {
    rtattr h{};
    h.rta_len = static_cast<unsigned short>(sizeof h + payload.size());
    h.rta_type = type;
    std::string out(reinterpret_cast<const char*>(&h), sizeof h);
    out += payload;
    out.resize(RTA_ALIGN(out.size()), '\0');
    return out;
  };

  SECTION("an unknown attribute before the known ones is skipped") {
    auto sockets = parse_sock_diag(with_attrs(rta(250, "hello") + attrs), "tcp");
    REQUIRE(sockets.size() == 1);
    CHECK(sockets[0].bytes_acked == 1001u);
  }
  SECTION("a tcp_info from an older kernel, too short for the counters") {
    auto sockets = parse_sock_diag(with_attrs(rta(INET_DIAG_INFO, std::string(40, '\0'))), "tcp");
    REQUIRE(sockets.size() == 1);
    CHECK(sockets[0].state == "ESTAB");
    CHECK_FALSE(sockets[0].bytes_acked.has_value());
    CHECK_FALSE(sockets[0].rtt_ms.has_value());
  }
  SECTION("an attribute longer than the message keeps the socket, without counters") {
    std::string a = rta(INET_DIAG_INFO, std::string(8, '\0'));
    unsigned short lie = 4000;
    std::memcpy(a.data(), &lie, sizeof lie);
    auto sockets = parse_sock_diag(with_attrs(a), "tcp");
    REQUIRE(sockets.size() == 1);
    CHECK_FALSE(sockets[0].bytes_acked.has_value());
  }
  SECTION("an unknown address family or state is skipped and counted") {
    std::string m = good;
    m[sizeof(nlmsghdr)] = 42;  // idiag_family
    ParseDiagnostics diag;
    CHECK(parse_sock_diag(m, "tcp", &diag).empty());
    CHECK(diag.skipped == 1);
    m = good;
    m[sizeof(nlmsghdr) + 1] = 99;  // idiag_state
    CHECK(parse_sock_diag(m, "tcp", &diag).empty());
    CHECK(diag.skipped == 2);
  }
}
