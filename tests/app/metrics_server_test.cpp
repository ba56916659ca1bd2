// The /metrics server against clients that misbehave, on 127.0.0.1: more
// idle connections than the session cap, and an accept loop that cannot
// accept because the process is out of descriptors (RLIMIT_NOFILE lowered
// in this test process, then restored).
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "app/metrics.h"

using namespace relaymon::app;
using namespace std::chrono_literals;

namespace {

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A blocking client connection to 127.0.0.1:port.
Fd connect_to(std::uint16_t port) {
  Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(s.fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return s;
}

// Reads until the server closes (true) or `timeout` passes (false).
bool closed_within(int fd, std::chrono::milliseconds timeout, std::string* text = nullptr) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return true;  // EOF, or reset
    if (text) text->append(buffer, static_cast<std::size_t>(n));
  }
  return false;
}

std::string get_metrics(std::uint16_t port) {
  Fd s = connect_to(port);
  std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(s.fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  std::string response;
  CHECK(closed_within(s.fd, 5s, &response));
  return response;
}

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

TEST_CASE("metrics server: connections past the cap are closed at once, /metrics still served",
          "[metrics]") {
  boost::asio::io_context io;
  auto server = std::make_shared<MetricsServer>(io, *parse_listen_address("127.0.0.1:0"),
                                                [] { return std::string("relaymon_up 1\n"); });
  server->start();
  auto port = server->local_endpoint().port();
  std::thread runner([&io] { io.run(); });

  // 16 idle connections hold every session; they send nothing.
  std::vector<Fd> idle;
  for (int i = 0; i < 16; ++i) idle.push_back(connect_to(port));
  std::this_thread::sleep_for(200ms);  // let the server accept them
  for (auto& c : idle) CHECK_FALSE(closed_within(c.fd, 50ms));
  // Four more: each is closed by the server at once.
  for (int i = 0; i < 4; ++i) {
    Fd extra = connect_to(port);
    CHECK(closed_within(extra.fd, 2s));
  }
  // Once the idle ones go, a scrape is answered again.
  idle.clear();
  std::this_thread::sleep_for(200ms);
  std::string response = get_metrics(port);
  CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 200 OK") && Catch::Contains("relaymon_up 1"));

  boost::asio::post(io, [&] { server->stop(); });
  io.stop();
  runner.join();
}

TEST_CASE("metrics server out of descriptors (RLIMIT_NOFILE): accept backs off, CPU stays low",
          "[metrics]") {
  boost::asio::io_context io;
  auto server = std::make_shared<MetricsServer>(io, *parse_listen_address("127.0.0.1:0"),
                                                [] { return std::string("relaymon_up 1\n"); });
  server->start();
  auto port = server->local_endpoint().port();
  io.poll();  // the first accept is waiting

  // The client socket exists before the limit drops; connecting needs no
  // new descriptor, and the kernel completes the handshake into the
  // backlog, where the server's accept() then fails with EMFILE.
  Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(client.fd >= 0);
  int lowest_free = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(lowest_free >= 0);
  ::close(lowest_free);
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(lowest_free);  // no new descriptor can be made
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &low) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int connected = ::connect(client.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int probe = ::open("/dev/null", O_RDONLY | O_CLOEXEC);  // proves the limit bites

  double before = cpu_seconds();
  auto wall_start = std::chrono::steady_clock::now();
  io.run_for(1s);
  double used = cpu_seconds() - before;
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  ::setrlimit(RLIMIT_NOFILE, &saved);
  if (probe >= 0) ::close(probe);
  REQUIRE(connected == 0);
  REQUIRE(probe < 0);

  INFO("CPU " << used << " s over " << wall << " s, " << server->accept_errors()
              << " failed accepts");
  CHECK(server->accept_errors() > 0);  // the limit did stop the accepts
  CHECK(server->accept_errors() < 50);
  CHECK(used < 0.25);  // the unpaused loop used the whole second (0.8 s measured)

  // With descriptors back, the waiting connection is accepted and served.
  std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(client.fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size()));
  std::string response;
  bool done = false;
  for (int i = 0; i < 150 && !done; ++i) {
    io.run_for(20ms);
    pollfd p{client.fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) done = closed_within(client.fd, 1s, &response);
  }
  CHECK_THAT(response, Catch::StartsWith("HTTP/1.1 200 OK") && Catch::Contains("relaymon_up 1"));
  server->stop();
  io.poll();
}

TEST_CASE("metrics server: an idle connection is closed at its read deadline", "[metrics]") {
  boost::asio::io_context io;
  MetricsServerLimits limits;
  limits.max_sessions = 2;
  limits.read_timeout = 500ms;
  auto server = std::make_shared<MetricsServer>(
      io, *parse_listen_address("127.0.0.1:0"), [] { return std::string("relaymon_up 1\n"); },
      limits);
  server->start();
  auto port = server->local_endpoint().port();
  std::thread runner([&io] { io.run(); });

  // Both sessions taken by clients that send half a request and stop.
  Fd slow1 = connect_to(port);
  Fd slow2 = connect_to(port);
  const std::string partial = "GET /metrics HTTP/1.1\r\nHost: ";
  ::send(slow1.fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  ::send(slow2.fd, partial.data(), partial.size(), MSG_NOSIGNAL);
  auto start = std::chrono::steady_clock::now();
  CHECK(closed_within(slow1.fd, 3s));
  CHECK(closed_within(slow2.fd, 3s));
  auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= 400ms);
  CHECK(waited < 2500ms);
  // The slots are free again.
  CHECK_THAT(get_metrics(port), Catch::StartsWith("HTTP/1.1 200 OK"));

  boost::asio::post(io, [&] { server->stop(); });
  io.stop();
  runner.join();
}
