// The netlink (sock_diag) resolver against real sockets of this test
// process: TCP over IPv4 and IPv6 in several states and UDP, found with
// the right states, ports, inodes and byte counters, and the same list as
// the ss and /proc resolvers give.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "system/resolver_chain.h"
#include "system/resolvers.h"
#include "system/sock_diag_reader.h"

using namespace relaymon::system;
using relaymon::system::testing::tuples;
namespace asio = boost::asio;

namespace {

// A socket descriptor closed at the end of the test.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {
    if (fd < 0) throw std::runtime_error("socket call failed");
  }
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  unsigned long inode() const {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
  }
  std::uint16_t port() const {
    sockaddr_storage a{};
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&a)->sin_port);
    return ntohs(reinterpret_cast<sockaddr_in6*>(&a)->sin6_port);
  }
};

Fd bound(int family, int type, bool listen) {
  Fd s(::socket(family, type | SOCK_CLOEXEC, 0));
  if (family == AF_INET) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("bind");
  } else {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("bind");
  }
  if (listen) ::listen(s.fd, 16);
  return s;
}

Fd connected_to(int family, int type, std::uint16_t port) {
  Fd s(::socket(family, type | SOCK_CLOEXEC, 0));
  int rc;
  if (family == AF_INET) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    rc = ::connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    a.sin6_port = htons(port);
    rc = ::connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  if (rc != 0) throw std::runtime_error("connect");
  return s;
}

// Sockets of this process in known states, with data sent over one pair.
struct RealSockets {
  Fd listener4 = bound(AF_INET, SOCK_STREAM, true);
  Fd client4 = connected_to(AF_INET, SOCK_STREAM, listener4.port());
  Fd server4{::accept4(listener4.fd, nullptr, nullptr, SOCK_CLOEXEC)};
  Fd listener6 = bound(AF_INET6, SOCK_STREAM, true);
  Fd client6 = connected_to(AF_INET6, SOCK_STREAM, listener6.port());
  Fd server6{::accept4(listener6.fd, nullptr, nullptr, SOCK_CLOEXEC)};
  Fd half_client = connected_to(AF_INET, SOCK_STREAM, listener4.port());
  Fd half_server{::accept4(listener4.fd, nullptr, nullptr, SOCK_CLOEXEC)};
  Fd udp4 = bound(AF_INET, SOCK_DGRAM, false);
  Fd udp6 = connected_to(AF_INET6, SOCK_DGRAM, 9);

  RealSockets() {
    std::vector<char> data(5000, 'x');
    if (::write(client4.fd, data.data(), data.size()) != 5000) throw std::runtime_error("write");
    std::size_t got = 0;
    while (got < data.size()) {
      ssize_t n = ::read(server4.fd, data.data(), data.size() - got);
      if (n <= 0) throw std::runtime_error("read");
      got += static_cast<std::size_t>(n);
    }
    ::shutdown(half_client.fd, SHUT_WR);  // FIN-WAIT-2 here, CLOSE-WAIT there
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
};

const Socket* find(const Sockets& sockets, unsigned long inode) {
  auto it = std::find_if(sockets.begin(), sockets.end(),
                         [&](const Socket& s) { return s.inode == inode; });
  return it == sockets.end() ? nullptr : &*it;
}

ResolveResult collect(Resolver& resolver, asio::io_context& io, int pid) {
  std::optional<ResolveResult> result;
  resolver.async_collect(pid, [&](ResolveResult r) { result = std::move(r); });
  io.restart();
  io.run();
  REQUIRE(result.has_value());
  return std::move(*result);
}

}  // namespace

TEST_CASE("real netlink: this process's sockets with states, ports, inodes, counters",
          "[netlink][real]") {
  RealSockets s;
  ResolveResult r = collect_from_netlink(::getpid());
  INFO(r.message);
  REQUIRE(r.status == ResolveStatus::kOk);
  CHECK(r.resolver == "netlink");
  CHECK(r.diagnostics.skipped == 0);
  for (const auto& socket : r.sockets) CHECK(socket.pid == static_cast<int>(::getpid()));

  const Socket* listener = find(r.sockets, s.listener4.inode());
  REQUIRE(listener);
  CHECK(listener->protocol == "tcp");
  CHECK(listener->state == "LISTEN");
  CHECK(listener->local == Address{"127.0.0.1", s.listener4.port()});

  const Socket* client = find(r.sockets, s.client4.inode());
  REQUIRE(client);
  CHECK(client->state == "ESTAB");
  CHECK(client->local == Address{"127.0.0.1", s.client4.port()});
  CHECK(client->remote == Address{"127.0.0.1", s.listener4.port()});
  CHECK(client->bytes_sent == 5000u);
  CHECK(client->bytes_acked == 5001u);  // the SYN counts
  CHECK(client->rtt_ms.has_value());
  const Socket* server = find(r.sockets, s.server4.inode());
  REQUIRE(server);
  CHECK(server->bytes_received == 5000u);
  CHECK(server->local == Address{"127.0.0.1", s.listener4.port()});

  const Socket* client6 = find(r.sockets, s.client6.inode());
  REQUIRE(client6);
  CHECK(client6->state == "ESTAB");
  CHECK(client6->remote == Address{"::1", s.listener6.port()});
  REQUIRE(find(r.sockets, s.listener6.inode()));
  CHECK(find(r.sockets, s.listener6.inode())->local == Address{"::1", s.listener6.port()});

  REQUIRE(find(r.sockets, s.half_client.inode()));
  CHECK(find(r.sockets, s.half_client.inode())->state == "FIN-WAIT-2");
  REQUIRE(find(r.sockets, s.half_server.inode()));
  CHECK(find(r.sockets, s.half_server.inode())->state == "CLOSE-WAIT");

  const Socket* udp4 = find(r.sockets, s.udp4.inode());
  REQUIRE(udp4);
  CHECK(udp4->protocol == "udp");
  CHECK(udp4->state == "UNCONN");
  CHECK(udp4->local == Address{"127.0.0.1", s.udp4.port()});
  const Socket* udp6 = find(r.sockets, s.udp6.inode());
  REQUIRE(udp6);
  CHECK(udp6->state == "ESTAB");
  CHECK(udp6->remote == Address{"::1", 9});
}

TEST_CASE("real netlink: the same sockets as the ss and /proc resolvers", "[netlink][real]") {
  RealSockets s;
  asio::io_context io;
  NetlinkResolver netlink(io);
  ProcResolver proc(io);
  SsResolver ss(io);
  ResolveResult by_netlink = collect(netlink, io, ::getpid());
  ResolveResult by_proc = collect(proc, io, ::getpid());
  ResolveResult by_ss = collect(ss, io, ::getpid());
  REQUIRE(by_netlink.ok());
  REQUIRE(by_proc.ok());
  REQUIRE(by_ss.ok());
  CHECK(by_netlink.sockets.size() >= 10);
  CHECK(tuples(by_netlink.sockets) == tuples(by_proc.sockets));
  CHECK(tuples(by_netlink.sockets) == tuples(by_ss.sockets));
  // Byte counters agree with ss's (nothing moves on these sockets now; ss
  // prints a counter only when it is not zero).
  for (bool received : {true, false}) {
    const Socket* mine = find(by_netlink.sockets, received ? s.server4.inode() : s.client4.inode());
    REQUIRE(mine);
    auto theirs = std::find_if(by_ss.sockets.begin(), by_ss.sockets.end(), [&](const Socket& x) {
      return x.local == mine->local && x.remote == mine->remote;
    });
    REQUIRE(theirs != by_ss.sockets.end());
    if (received) {
      CHECK(theirs->bytes_received == mine->bytes_received);
    } else {
      CHECK(theirs->bytes_acked == mine->bytes_acked);
    }
  }
}

TEST_CASE("real netlink: the reader is reused poll after poll and sees closes", "[netlink][real]") {
  NetlinkSession session;
  REQUIRE(session.reader.open_error() == 0);
  std::optional<RealSockets> s;
  s.emplace();
  unsigned long inode = s->client4.inode();
  ResolveResult first = collect_from_netlink(::getpid(), session);
  REQUIRE(first.ok());
  CHECK(find(first.sockets, inode));
  s.reset();
  ResolveResult second = collect_from_netlink(::getpid(), session);
  REQUIRE(second.ok());
  CHECK_FALSE(find(second.sockets, inode));
  CHECK(second.sockets.size() + 10 <= first.sockets.size());
}

TEST_CASE("real netlink: a process that is gone, and the default chain's first choice",
          "[netlink][real]") {
  // pid_max is at most 2^22: this pid never exists.
  ResolveResult gone = collect_from_netlink(1 << 23);
  CHECK(gone.status == ResolveStatus::kProcessGone);
  CHECK(gone.resolver == "netlink");

  RealSockets s;
  asio::io_context io;
  auto chain = ResolverChain::make_default(io);
  std::optional<ResolveResult> result;
  chain->async_collect(::getpid(), [&](ResolveResult r) { result = std::move(r); });
  io.run();
  REQUIRE(result.has_value());
  CHECK(result->resolver == "netlink");
  CHECK(result->ok());
  CHECK(find(result->sockets, s.server6.inode()));
  CHECK(chain->in_use() == "netlink");
}

TEST_CASE("real netlink: the one-walk TCP dump has both families", "[netlink][real]") {
  RealSockets s;
  SockDiagReader reader;
  InodeSet mine{s.client4.inode(), s.client6.inode(), s.listener6.inode()};
  Sockets out;
  ParseDiagnostics diag;
  // The kernel of this machine takes the old TCPDIAG_GETSOCK request; a
  // kernel without it would make NetlinkSession fall back to per family.
  REQUIRE(reader.dump(AF_UNSPEC, IPPROTO_TCP, mine, 1, "x", out, diag) == 0);
  CHECK(out.size() == 3);
  CHECK(find(out, s.client6.inode()));
  CHECK(find(out, s.client4.inode()));
  NetlinkSession session;
  REQUIRE(collect_from_netlink(::getpid(), session).ok());
  CHECK_FALSE(session.per_family_tcp);
}

TEST_CASE("real netlink: a descriptor closed and reused for another socket between polls",
          "[netlink][real]") {
  NetlinkSession session;
  Fd listener = bound(AF_INET, SOCK_STREAM, true);
  std::optional<Fd> first;
  first.emplace(connected_to(AF_INET, SOCK_STREAM, listener.port()));
  Fd accepted_first{::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC)};
  int number = first->fd;
  unsigned long old_inode = first->inode();
  REQUIRE(collect_from_netlink(::getpid(), session).ok());
  REQUIRE(collect_from_netlink(::getpid(), session).ok());  // now from memory
  // Only descriptors that are no inet socket (stdio, the netlink socket)
  // are read on every poll.
  std::size_t steady = session.fds.links_read();
  first.reset();
  // The lowest free descriptor: the one just closed.
  Fd second = bound(AF_INET6, SOCK_DGRAM, false);
  REQUIRE(second.fd == number);
  ResolveResult r = collect_from_netlink(::getpid(), session);
  REQUIRE(r.ok());
  CHECK_FALSE(find(r.sockets, old_inode));
  const Socket* reused = find(r.sockets, second.inode());
  REQUIRE(reused);
  CHECK(reused->protocol == "udp");
  CHECK(reused->local == Address{"::1", second.port()});
  // And the next poll trusts it without reading its link again (nor
  // listing the directory: the count is unchanged and nothing closed).
  std::size_t skipped = session.fds.listings_skipped();
  REQUIRE(collect_from_netlink(::getpid(), session).ok());
  CHECK(session.fds.links_read() <= steady);
  CHECK(session.fds.listings_skipped() == skipped + 1);
}

TEST_CASE("real netlink: steady polls skip listing the fd directory, and still see new sockets",
          "[netlink][real]") {
  NetlinkSession session;
  Fd listener = bound(AF_INET, SOCK_STREAM, true);
  Fd client = connected_to(AF_INET, SOCK_STREAM, listener.port());
  REQUIRE(collect_from_netlink(::getpid(), session).ok());  // lists
  std::size_t skipped = session.fds.listings_skipped();
  REQUIRE(collect_from_netlink(::getpid(), session).ok());
  REQUIRE(collect_from_netlink(::getpid(), session).ok());
  // Linux 6.2 and later count a process's descriptors in st_size of
  // /proc/PID/fd; older kernels list every poll (nothing to skip).
  struct stat st {};
  REQUIRE(::stat("/proc/self/fd", &st) == 0);
  if (st.st_size > 0) CHECK(session.fds.listings_skipped() == skipped + 2);
  // A new socket raises the count: listed, and found.
  Fd added = bound(AF_INET6, SOCK_DGRAM, false);
  ResolveResult r = collect_from_netlink(::getpid(), session);
  REQUIRE(r.ok());
  CHECK(find(r.sockets, added.inode()));
  CHECK(find(r.sockets, client.inode()));
}
