// The resolvers against this test process itself: it listens on
// 127.0.0.1 (port 0), connects to itself, and every resolver must find the
// listener and both ends of the connection with the right ports and states.
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <set>
#include <tuple>

#include "system/proc_reader.h"
#include "system/resolver_chain.h"
#include "system/resolvers.h"
#include "system/ss_parser.h"
#include "system/tool_runner.h"

using namespace relaymon::system;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A listener and one connection to it, all on loopback, all ours.
struct LoopbackPair {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  tcp::socket client{io};
  tcp::socket server{io};
  std::uint16_t listen_port = 0;
  std::uint16_t client_port = 0;

  LoopbackPair() {
    listen_port = acceptor.local_endpoint().port();
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    client_port = client.local_endpoint().port();
  }
};

ResolveResult collect(Resolver& resolver, asio::io_context& io, int pid) {
  std::optional<ResolveResult> result;
  resolver.async_collect(pid, [&](ResolveResult r) { result = std::move(r); });
  io.restart();
  io.run();
  REQUIRE(result.has_value());
  return std::move(*result);
}

bool has(const Sockets& sockets, std::string_view state, Address local, Address remote) {
  for (const auto& s : sockets) {
    if (s.protocol == "tcp" && s.state == state && s.local == local && s.remote == remote) {
      return true;
    }
  }
  return false;
}

void check_finds_pair(const ResolveResult& r, const LoopbackPair& p) {
  INFO(r.resolver << ": " << r.message);
  REQUIRE(r.status == ResolveStatus::kOk);
  CHECK(r.diagnostics.skipped == 0);
  const std::string lo = "127.0.0.1";
  CHECK(has(r.sockets, "LISTEN", {lo, p.listen_port}, {"0.0.0.0", 0}));
  CHECK(has(r.sockets, "ESTAB", {lo, p.client_port}, {lo, p.listen_port}));
  CHECK(has(r.sockets, "ESTAB", {lo, p.listen_port}, {lo, p.client_port}));
  for (const auto& s : r.sockets) CHECK(s.pid == static_cast<int>(::getpid()));
}

}  // namespace

TEST_CASE("real `ss -tanp` output of this process", "[resolver][real]") {
  LoopbackPair pair;
  std::optional<ToolResult> result;
  ToolRun::start(pair.io, {"ss", "-tanp"}, {}, [&](ToolResult r) { result = std::move(r); });
  pair.io.run();
  REQUIRE(result.has_value());
  REQUIRE(std::holds_alternative<ToolOutput>(*result));
  ParseDiagnostics diag;
  auto all = parse_ss(std::get<ToolOutput>(*result).stdout_text, &diag);
  CHECK(diag.skipped == 0);
  auto ours = filter_by_pid(all, ::getpid());
  const std::string lo = "127.0.0.1";
  CHECK(has(ours, "LISTEN", {lo, pair.listen_port}, {"0.0.0.0", 0}));
  CHECK(has(ours, "ESTAB", {lo, pair.client_port}, {lo, pair.listen_port}));
  CHECK(has(ours, "ESTAB", {lo, pair.listen_port}, {lo, pair.client_port}));
}

TEST_CASE("ProcResolver finds this process's sockets", "[resolver][real]") {
  LoopbackPair pair;
  ProcResolver resolver(pair.io);
  auto r = collect(resolver, pair.io, ::getpid());
  check_finds_pair(r, pair);
  for (const auto& s : r.sockets) CHECK(s.inode.has_value());
}

TEST_CASE("SsResolver (ss -tuanpi) finds this process's sockets with counters",
          "[resolver][real]") {
  LoopbackPair pair;
  std::string hello = "hello";
  asio::write(pair.client, asio::buffer(hello));
  char buf[5];
  asio::read(pair.server, asio::buffer(buf));
  SsResolver resolver(pair.io);
  auto r = collect(resolver, pair.io, ::getpid());
  check_finds_pair(r, pair);
  // ss counts the SYN in bytes_acked (6 for 5 bytes) and omits zero counters.
  int seen = 0;
  for (const auto& s : r.sockets) {
    if (s.state != "ESTAB") continue;
    INFO(s.local.port << " -> " << s.remote.port);
    CHECK(s.rtt_ms.has_value());
    if (s.local.port == pair.client_port) {
      CHECK(s.bytes_sent == 5u);
      CHECK(s.bytes_acked == 6u);
      ++seen;
    } else {
      CHECK(s.bytes_received == 5u);
      ++seen;
    }
  }
  CHECK(seen == 2);
}

TEST_CASE("NetstatResolver finds this process's sockets", "[resolver][real]") {
  LoopbackPair pair;
  NetstatResolver resolver(pair.io);
  check_finds_pair(collect(resolver, pair.io, ::getpid()), pair);
}

TEST_CASE("LsofResolver finds this process's sockets", "[resolver][real]") {
  LoopbackPair pair;
  LsofResolver resolver(pair.io);
  check_finds_pair(collect(resolver, pair.io, ::getpid()), pair);
}

TEST_CASE("the four resolvers agree on this process's sockets", "[resolver][real]") {
  LoopbackPair pair;
  ProcResolver proc(pair.io);
  SsResolver ss(pair.io);
  NetstatResolver netstat(pair.io);
  LsofResolver lsof(pair.io);
  auto key = [](const Sockets& sockets) {
    std::set<std::tuple<std::string, int, std::string, int, std::string>> out;
    for (const auto& s : sockets) {
      if (s.protocol == "tcp") {
        out.emplace(s.local.ip, s.local.port, s.remote.ip, s.remote.port, s.state);
      }
    }
    return out;
  };
  auto from_proc = key(collect(proc, pair.io, ::getpid()).sockets);
  CHECK(from_proc.size() == 3);
  CHECK(key(collect(ss, pair.io, ::getpid()).sockets) == from_proc);
  CHECK(key(collect(netstat, pair.io, ::getpid()).sockets) == from_proc);
  CHECK(key(collect(lsof, pair.io, ::getpid()).sockets) == from_proc);
}

TEST_CASE("resolvers report a pid that does not exist as gone", "[resolver][real]") {
  // A child that has exited and been reaped: its pid is free.
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  asio::io_context io;
  ProcResolver proc(io);
  CHECK(collect(proc, io, pid).status == ResolveStatus::kProcessGone);
  SsResolver ss(io);
  CHECK(collect(ss, io, pid).status == ResolveStatus::kProcessGone);
}

// Reality, not a fake: a child drops to the user `nobody` and looks at this
// (root) process, as relaymon would look at a tor run by another user.
TEST_CASE("without permission: a typed result with what is shown and how to fix it",
          "[resolver][real][permission]") {
  REQUIRE(::geteuid() == 0);  // the test machine runs the suite as root
  passwd* nobody = ::getpwnam("nobody");
  REQUIRE(nobody);
  LoopbackPair pair;
  pid_t target = ::getpid();
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    if (::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0) ::_exit(10);
    std::string report;
    auto proc = collect_from_proc(target);
    report += std::string(to_string(proc.status)) + "\n" + proc.message + "\n";
    asio::io_context io;
    SsResolver ss(io);
    std::optional<ResolveResult> r;
    ss.async_collect(target, [&](ResolveResult x) { r = std::move(x); });
    io.run();
    report += std::string(to_string(r->status)) + "\n" + r->message + "\n";
    report += std::to_string(r->sockets.size()) + "\n";
    (void)!::write(pipe_fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) report.append(buf, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  INFO(report);
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < report.size();) {
    auto nl = report.find('\n', pos);
    lines.push_back(report.substr(pos, nl - pos));
    pos = nl + 1;
  }
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "no permission");
  CHECK_THAT(lines[1],
             Catch::Contains("reading /proc/" + std::to_string(target) + "/fd was refused"));
  CHECK_THAT(lines[1], Catch::Contains("user root"));
  CHECK_THAT(lines[1], Catch::Contains("Still shown: tor's own view from the control port"));
  CHECK_THAT(lines[1], Catch::Contains("`sudo -u root relaymon`"));
  CHECK(lines[2] == "no permission");
  CHECK_THAT(lines[3], Catch::Contains("ss shows no sockets for that pid"));
  CHECK(lines[4] == "0");
}
