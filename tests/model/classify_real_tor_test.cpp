// The listener cases nyx gets wrong, with a real tor: an ORPort bound to
// 127.0.0.2 and another on [::1]. The tor runs as a relay with
// TestingTorNetwork 1 and a single made-up local DirAuthority (127.0.0.1:1,
// nothing listens there), so it never reaches beyond loopback; we connect to
// both ORPorts ourselves, then classify tor's sockets as `ss -tanp` shows them.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <thread>

#include "model/classify.h"
#include "support/controller_harness.h"
#include "support/tor_process.h"
#include "system/ss_parser.h"

using namespace relaymon;
using namespace relaymon::model;
using namespace relaymon::testing;

namespace {

// A plain TCP connection (no TLS): tor accepts it and waits for a handshake,
// the way a client's connection looks until it authenticates.
int connect_to(const Endpoint& e) {
  auto ip = IpAddr::parse(e.address);
  REQUIRE(ip);
  int fd = -1;
  if (ip->is_v4()) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(e.port);
    a.sin_addr.s_addr = htonl(static_cast<std::uint32_t>(ip->value));
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  } else {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(e.port);
    a.sin6_addr = in6addr_loopback;
    fd = ::socket(AF_INET6, SOCK_STREAM, 0);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  return fd;
}

std::string run(const char* command) {
  std::string out;
  FILE* p = ::popen(command, "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  REQUIRE(::pclose(p) == 0);
  return out;
}

std::string value_of(const control::Reply& reply) {
  REQUIRE(reply.ok());
  const control::ReplyLine& line = reply.lines.front();
  if (line.separator == '+') return line.data;
  return line.text.substr(line.text.find('=') + 1);
}

}  // namespace

TEST_CASE("real tor: ORPorts on 127.0.0.2 and [::1] classify as the ORPort (nyx gets both wrong)",
          "[classify][tor]") {
  relaymon::testing::TorConfig config;
  config.extra_torrc =
      "DisableNetwork 0\n"
      "TestingTorNetwork 1\n"
      "DirAuthority fakeauth orport=1 no-v2 v3ident=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "
      "127.0.0.1:1 BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n"
      "ORPort 127.0.0.2:auto\n"
      "ORPort [::1]:auto\n"
      "Address 127.0.0.2\n"
      "AssumeReachable 1\n"
      "PublishServerDescriptor 0\n"
      "ExitRelay 0\n"
      "Nickname relaymonmodel\n";
  relaymon::testing::TorProcess tor(config);
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());

  ClassifyContext ctx;
  for (const char* kind : {"or", "control"}) {
    auto [error, reply] = h.call(std::string("GETINFO net/listeners/") + kind);
    REQUIRE_FALSE(error);
    auto l = parse_listeners(kind, value_of(reply));
    ctx.listeners.insert(ctx.listeners.end(), l.begin(), l.end());
  }
  INFO(tor.log_tail());
  REQUIRE(ctx.listeners.size() == 3);
  const Endpoint or4 = ctx.listeners[0].endpoint;
  const Endpoint or6 = ctx.listeners[1].endpoint;
  CHECK(or4.address == "127.0.0.2");
  CHECK(or6.address == "::1");
  // Our end of the control connection, as the controller reports it.
  auto own = parse_ip_port(h.session->local_address);
  REQUIRE(own);
  ctx.own_control_local = system::Address{own->ip.to_string(), own->port};
  ctx.own_control_remote = system::Address{"127.0.0.1", tor.control_port()};

  int fd4 = connect_to(or4);
  int fd6 = connect_to(or6);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto [error, reply] = h.call("GETINFO orconn-status");
  REQUIRE_FALSE(error);
  ctx.orconns = parse_orconn_status(value_of(reply));

  system::Sockets sockets = system::filter_by_pid(system::parse_ss(run("ss -tanp")), tor.pid());
  ::close(fd4);
  ::close(fd6);
  std::vector<Connection> cs = classify(sockets, ctx);
  int listeners = 0, clients4 = 0, clients6 = 0, own_control = 0;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const Connection& c = cs[i];
    INFO(to_string(c.category) << " " << sockets[i].local.ip << ":" << sockets[i].local.port
                               << " -> " << sockets[i].remote.ip << ":" << sockets[i].remote.port);
    CHECK(c.category != Category::kUnexpected);
    if (c.category == Category::kListener) ++listeners;
    if (c.category == Category::kInboundClient) {
      CHECK(c.direction == Direction::kInbound);
      CHECK(c.scrubbed);
      CHECK(c.remote.port == 0);
      if (c.local == or4) ++clients4;
      if (c.local == or6) ++clients6;
    }
    if (c.is_own_control) ++own_control;
  }
  CHECK(listeners == 3);
  CHECK(clients4 == 1);
  CHECK(clients6 == 1);
  CHECK(own_control == 1);
}
