// A hostile or broken control port, played by scripted fake peers (hence
// "fake" in each name): a reply promising 1 GB, thousands of events per
// second, a peer that accepts and never answers, replies out of order or
// unasked for, a close mid-reply with reconnection, and escape sequences or
// invalid UTF-8 in every string field of the events. The memory bound the
// client promises (SECURITY.md: one line at most FramingLimits::max_line,
// one reply or event at most max_reply) is measured from /proc/self/statm,
// or, under AddressSanitizer, from its count of live heap bytes (RSS there
// is dominated by the quarantine of freed blocks, up to 256 MiB, which says
// nothing about the client).
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#if defined(__SANITIZE_ADDRESS__)
// Declared here because GCC ships no <sanitizer/allocator_interface.h>;
// the function is part of the ASan runtime GCC links.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include "control/auth.h"
#include "control/events.h"
#include "control/getinfo.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"

using namespace relaymon;
using namespace relaymon::testing;
namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

#if defined(__SANITIZE_ADDRESS__)
std::size_t memory_in_use() { return __sanitizer_get_current_allocated_bytes(); }
#else
std::size_t memory_in_use() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}
#endif

// A peer that reads the client's first line, then answers it with a data
// block that never ends, written as fast as the client reads it, until the
// client hangs up or `limit` bytes have gone out. Backpressure comes from
// TCP, so the peer itself buffers one chunk only.
class EndlessDataPeer {
 public:
  EndlessDataPeer(asio::io_context& io, std::size_t limit)
      : acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
        socket_(io),
        limit_(limit),
        chunk_("250+protocolinfo=\r\n") {
    std::string line(1000, 'x');
    line += "\r\n";
    while (chunk_.size() < (1u << 20)) chunk_ += line;
    acceptor_.async_accept(socket_, [this](const boost::system::error_code& ec) {
      if (ec) return;
      asio::async_read_until(socket_, request_, '\n',
                             [this](const boost::system::error_code& e, std::size_t) {
                               if (!e) pump();
                             });
    });
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t sent() const { return sent_; }
  bool stopped() const { return stopped_; }
  std::size_t peak_memory() const { return peak_memory_; }

 private:
  void pump() {
    peak_memory_ = std::max(peak_memory_, memory_in_use());
    if (sent_ >= limit_) {
      stopped_ = true;
      return;
    }
    asio::async_write(socket_, asio::buffer(chunk_),
                      [this](const boost::system::error_code& ec, std::size_t n) {
                        sent_ += n;
                        if (ec) {
                          stopped_ = true;
                          return;
                        }
                        pump();
                      });
  }

  tcp::acceptor acceptor_;
  tcp::socket socket_;
  asio::streambuf request_;
  std::size_t limit_;
  std::string chunk_;
  std::size_t sent_ = 0;
  std::size_t peak_memory_ = 0;
  bool stopped_ = false;
};

bool answer_auth(FakeSession& s, const std::string& line) {
  if (answer_protocolinfo(s, line, "NULL")) return true;
  if (line.rfind("AUTHENTICATE", 0) == 0 || line.rfind("SETEVENTS", 0) == 0) {
    s.send("250 OK\r\n");
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("fake tor promising a 1 GB reply: stopped at max_reply, memory stays bounded") {
  constexpr std::size_t kGigabyte = std::size_t{1} << 30;
  ControllerHarness h;
  EndlessDataPeer peer(h.io, kGigabyte);
  auto options = tcp_options(peer.port());
  const control::FramingLimits limits = options.limits;  // the defaults relaymon runs with
  REQUIRE(limits.max_reply == 64u << 20);
  h.make(options);
  std::size_t before = memory_in_use();
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready(120s));
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kProtocol);
  CHECK_THAT(h.fatal->message, Catch::Contains("reply larger than 67108864 bytes"));
  REQUIRE(run_until(
      h.io, [&] { return peer.stopped(); }, 60s));
  // The client read a little more than max_reply (socket buffers hold a few
  // MB more) and then hung up: nowhere near the gigabyte.
  CHECK(peer.sent() > limits.max_reply);
  CHECK(peer.sent() < limits.max_reply + (32u << 20));
  // Growth while reading: the reply under construction (with string
  // growth slack) and the sanitizer's quarantine in ASan builds; a client
  // without the limit would take the whole gigabyte.
  INFO("RSS grew by " << (peer.peak_memory() - before) / (1 << 20) << " MiB");
  CHECK(peer.peak_memory() - before < 4 * limits.max_reply + (64u << 20));
}

TEST_CASE("fake tor promising 1 GB with a small max_reply: stops within that limit") {
  ControllerHarness h;
  EndlessDataPeer peer(h.io, std::size_t{1} << 30);
  auto options = tcp_options(peer.port());
  options.limits.max_reply = 2u << 20;
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready(60s));
  REQUIRE(h.fatal);
  CHECK_THAT(h.fatal->message, Catch::Contains("reply larger than 2097152 bytes"));
  REQUIRE(run_until(
      h.io, [&] { return peer.stopped(); }, 60s));
  CHECK(peer.sent() < (2u << 20) + (32u << 20));
}

TEST_CASE("fake tor sending an endless line at the default limit: stopped after max_line") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession& s, const std::string&) {
    s.send("250-" + std::string(3u << 20, 'x'));  // 3 MiB, no CRLF ever
  });
  auto options = tcp_options(fake.port());
  REQUIRE(options.limits.max_line == 1u << 20);
  h.make(options);
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready());
  REQUIRE(h.fatal);
  CHECK(h.fatal->kind == control::ErrorKind::kProtocol);
  CHECK_THAT(h.fatal->message, Catch::Contains("line longer than 1048576 bytes without CRLF"));
}

TEST_CASE("fake tor sending thousands of events per second: the client keeps up, memory flat") {
  // Events are counted, not stored, as the monitor folds them into bounded
  // state; what is measured is the client's own buffering.
  asio::io_context io;
  FakeSession* session = nullptr;
  FakeControlPort fake(io, [&](FakeSession& s, const std::string& line) {
    session = &s;
    answer_auth(s, line);
  });
  auto options = tcp_options(fake.port());
  long events = 0;
  bool ready = false;
  std::optional<control::Error> failure;
  control::ControllerCallbacks callbacks;
  callbacks.on_ready = [&](const control::Session&) { ready = true; };
  callbacks.on_event = [&](const control::Reply& reply) {
    auto parsed = control::parse_event(reply);
    if (std::holds_alternative<control::Event>(parsed)) ++events;
  };
  callbacks.on_fatal = [&](const control::Error& e) { failure = e; };
  callbacks.on_disconnected = [&](const control::Error& e, std::chrono::milliseconds) {
    failure = e;
  };
  auto controller = std::make_shared<control::Controller>(io, options, callbacks);
  controller->start();
  REQUIRE(run_until(io, [&] { return ready; }));
  REQUIRE(session != nullptr);

  // 2,000 events every 100 ms (20,000 a second) for 3 seconds.
  constexpr int kBatches = 30, kPerBatch = 2000;
  std::string batch;
  for (int i = 0; i < kPerBatch; ++i) {
    batch +=
        fmt::format("650 CIRC_BW ID={} READ=498 WRITTEN=0 TIME=2026-11-22T01:00:00.000000\r\n", i);
    if (i % 4 == 0) batch += "650 BW 1024 2048\r\n";
  }
  long per_batch = kPerBatch + kPerBatch / 4;
  asio::steady_timer timer(io);
  int sent = 0;
  std::size_t before = memory_in_use(), peak = before;
  std::function<void()> tick = [&] {
    session->send(batch);
    ++sent;
    peak = std::max(peak, memory_in_use());
    if (sent < kBatches) {
      timer.expires_after(100ms);
      timer.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) tick();
      });
    }
  };
  auto start = std::chrono::steady_clock::now();
  tick();
  bool all = run_until(
      io, [&] { return events == per_batch * kBatches || failure.has_value(); }, 30s);
  auto took = std::chrono::steady_clock::now() - start;
  peak = std::max(peak, memory_in_use());
  controller->stop();
  CHECK_FALSE(failure);
  REQUIRE(all);
  CHECK(events == per_batch * kBatches);
  // Sent over 2.9 s; a client that keeps up is done shortly after.
  CHECK(took < 10s);
  INFO("RSS grew by " << (peak - before) / 1024 << " KiB");
  CHECK(peak - before < (16u << 20));
}

TEST_CASE("fake tor that accepts and never answers: times out, reconnects with backoff") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession&, const std::string&) {});
  auto options = tcp_options(fake.port());
  options.reconnect = true;
  options.command_timeout = 200ms;
  options.backoff_initial = 50ms;
  options.backoff_max = 200ms;
  h.make(options);
  h.controller->start();
  REQUIRE(run_until(
      h.io, [&] { return h.disconnects.size() >= 3; }, 20s));
  CHECK_FALSE(h.fatal);
  CHECK(h.ready_count == 0);
  CHECK(fake.sessions() >= 3);
  for (const auto& e : h.disconnects) {
    CHECK(e.kind == control::ErrorKind::kTimeout);
    CHECK_THAT(e.message, Catch::Contains("PROTOCOLINFO"));
  }
}

TEST_CASE("fake tor answering out of order: replies go to commands in sending order") {
  // The control protocol has no request ids: replies are matched to
  // commands in order. A peer that swaps two answers gives each command the
  // other's keys; parse_getinfo then simply lacks the key asked for.
  ControllerHarness h;
  FakeSession* session = nullptr;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_auth(s, line)) return;
    if (line == "GETINFO version") {
      session = &s;  // held back until "uptime" was asked too
      return;
    }
    if (line == "GETINFO uptime") {
      s.send("250-uptime=262\r\n250 OK\r\n250-version=0.4.9.11\r\n250 OK\r\n");
    }
  });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  std::vector<control::Reply> replies;
  h.controller->command("GETINFO version",
                        [&](auto, control::Reply r) { replies.push_back(std::move(r)); });
  h.controller->command("GETINFO uptime",
                        [&](auto, control::Reply r) { replies.push_back(std::move(r)); });
  REQUIRE(run_until(h.io, [&] { return replies.size() == 2; }));
  CHECK(session != nullptr);
  auto first = control::parse_getinfo(replies[0]);
  REQUIRE(std::holds_alternative<control::InfoMap>(first));
  CHECK(std::get<control::InfoMap>(first).find("version") == nullptr);
  CHECK(std::get<control::InfoMap>(first).find("uptime") != nullptr);
  CHECK(h.controller->ready());
}

TEST_CASE("fake tor sending a reply nobody asked for: dropped, reported, reconnected") {
  ControllerHarness h;
  int sessions = 0;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (line.rfind("PROTOCOLINFO", 0) == 0) ++sessions;
    if (answer_auth(s, line)) {
      // Right after the first session authenticates, an extra reply.
      if (sessions == 1 && line.rfind("AUTHENTICATE", 0) == 0) s.send("250 OK\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  auto options = tcp_options(fake.port());
  options.reconnect = true;
  options.backoff_initial = 50ms;
  h.make(options);
  h.controller->start();
  REQUIRE(run_until(h.io, [&] { return !h.disconnects.empty() && h.controller->ready(); }));
  CHECK_FALSE(h.fatal);
  CHECK(h.disconnects.front().kind == control::ErrorKind::kProtocol);
  CHECK_THAT(h.disconnects.front().message, Catch::Contains("nobody asked for"));
  CHECK(fake.sessions() == 2);
}

TEST_CASE("fake tor closing mid-reply after startup: the command fails, the client reconnects") {
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_auth(s, line)) return;
    if (line == "GETINFO ns/all") {
      s.send("250+ns/all=\r\nr labrelay3 AAAA BBBB 2026-11-22 01:00:00 127.0.0.1 5003 0\r\n");
      s.close();
      return;
    }
    s.send("250 OK\r\n");
  });
  auto options = tcp_options(fake.port());
  options.reconnect = true;
  options.backoff_initial = 50ms;
  h.make(options);
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [error, reply] = h.call("GETINFO ns/all");
  REQUIRE(error);
  CHECK(error->kind == control::ErrorKind::kClosed);
  CHECK_THAT(error->message, Catch::Contains("mid-reply"));
  REQUIRE(h.wait_ready());
  CHECK(h.ready_count == 2);
  CHECK(fake.sessions() == 2);
}

TEST_CASE("fake tor with escape sequences and invalid UTF-8 in event strings: kept verbatim") {
  // The client layer keeps what tor said byte for byte (the UI sanitises at
  // drawing time: tests/panels/hostile_text_test.cpp).
  const std::string evil = "\x1b]0;owned\x07\x1b[2J\xff\xfe\xc3(\xe2\x80\xae";
  ControllerHarness h;
  FakeControlPort fake(h.io, [&](FakeSession& s, const std::string& line) {
    if (answer_auth(s, line)) return;
    if (line == "GETINFO version") {
      s.send("650 NOTICE " + evil + "\r\n");
      s.send("650 STATUS_SERVER NOTICE " + evil + " NAME=" + evil + "\r\n");
      s.send("650 CIRC 7 BUILT $" + std::string(40, 'A') + "~labrelay3 PURPOSE=" + evil +
             " REASON=" + evil + "\r\n");
      // A nickname is 1-19 alphanumerics: one that is not is refused.
      s.send("650 CIRC 8 BUILT $" + std::string(40, 'A') + "~" + evil + "\r\n");
      s.send("250-version=" + evil + "\r\n250 OK\r\n");
      return;
    }
    s.send("250 OK\r\n");
  });
  h.make(tcp_options(fake.port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto [error, reply] = h.call("GETINFO version");
  REQUIRE_FALSE(error);
  auto info = control::parse_getinfo(reply);
  REQUIRE(std::holds_alternative<control::InfoMap>(info));
  REQUIRE(std::get<control::InfoMap>(info).find("version"));
  CHECK(*std::get<control::InfoMap>(info).find("version") == evil);
  REQUIRE(h.events.size() == 4);

  auto notice = control::parse_event(h.events[0]);
  REQUIRE(std::holds_alternative<control::Event>(notice));
  const auto* log = std::get<control::Event>(notice).get<control::LogEvent>();
  REQUIRE(log);
  CHECK(log->message == evil);

  auto status = control::parse_event(h.events[1]);
  REQUIRE(std::holds_alternative<control::Event>(status));
  const auto* server = std::get<control::Event>(status).get<control::StatusEvent>();
  REQUIRE(server);
  CHECK(server->action == evil);
  REQUIRE(server->find("NAME"));
  CHECK(*server->find("NAME") == evil);

  auto circ = control::parse_event(h.events[2]);
  REQUIRE(std::holds_alternative<control::Event>(circ));
  const auto* circuit = std::get<control::Event>(circ).get<control::CircEvent>();
  REQUIRE(circuit);
  REQUIRE(circuit->path.size() == 1);
  CHECK(circuit->path[0].nickname == "labrelay3");
  CHECK(circuit->purpose == evil);
  CHECK(circuit->reason == evil);

  auto bad_nickname = control::parse_event(h.events[3]);
  CHECK(std::holds_alternative<control::ParseError>(bad_nickname));
}

TEST_CASE("fake tor naming /dev/zero as its cookie file: refused at once, nothing read forever") {
  // COOKIEFILE comes from the peer. Before the fix relaymon read the named
  // file to its end: /dev/zero exhausted memory, a FIFO blocked forever.
  ControllerHarness h;
  FakeControlPort fake(h.io, [](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "SAFECOOKIE", "/dev/zero")) return;
    s.send("250 OK\r\n");
  });
  h.make(tcp_options(fake.port()));
  auto start = std::chrono::steady_clock::now();
  h.controller->start();
  REQUIRE_FALSE(h.wait_ready(10s));
  REQUIRE(h.fatal);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK_THAT(h.fatal->message, Catch::Contains("/dev/zero"));
  CHECK_FALSE(std::any_of(fake.received().begin(), fake.received().end(),
                          [](const std::string& l) { return l.rfind("AUTH", 0) == 0; }));
}

TEST_CASE("read_cookie: only a regular 32-byte file, read with a bound (fake paths)") {
  char fifo[] = "/tmp/relaymon-fifo-XXXXXX";
  REQUIRE(::mkdtemp(fifo) != nullptr);
  std::string fifo_path = std::string(fifo) + "/cookie";
  REQUIRE(::mkfifo(fifo_path.c_str(), 0600) == 0);
  auto from_fifo = control::read_cookie(fifo_path);  // would block before the fix
  REQUIRE(std::holds_alternative<control::Error>(from_fifo));
  CHECK_THAT(std::get<control::Error>(from_fifo).message, Catch::Contains("not a regular file"));
  ::unlink(fifo_path.c_str());
  ::rmdir(fifo);

  auto from_zero = control::read_cookie("/dev/zero");
  REQUIRE(std::holds_alternative<control::Error>(from_zero));

  char big[] = "/tmp/relaymon-bigcookie-XXXXXX";
  int fd = ::mkstemp(big);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(big, std::ios::binary) << std::string(1 << 20, 'c');
  auto from_big = control::read_cookie(big);
  REQUIRE(std::holds_alternative<control::Error>(from_big));
  CHECK_THAT(std::get<control::Error>(from_big).message, Catch::Contains("holds 1048576 bytes"));
  ::unlink(big);
}
