// The HTTP side of --metrics: serves GET /metrics over Boost.Beast with the
// text `render` returns at request time. Whoever can reach the port is a
// possible adversary (any local user on 127.0.0.1), so the server is
// bounded: at most `max_sessions` connections at once (further ones are
// closed at once), each request read within `read_timeout`, and an accept
// error (descriptors exhausted: EMFILE, ENFILE) waits before the next
// accept instead of retrying at once, which spun a full core.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace relaymon::app {

struct MetricsServerLimits {
  std::size_t max_sessions = 16;
  std::chrono::milliseconds read_timeout{10000};  // one request, from its first byte wait on
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds accept_backoff_initial{50};  // doubling after each failed accept
  std::chrono::milliseconds accept_backoff_max{1000};
};

class MetricsServer : public std::enable_shared_from_this<MetricsServer> {
 public:
  MetricsServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                std::function<std::string()> render, MetricsServerLimits limits = {});
  void start();
  void stop();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  // Connections being served now (readable from any thread, for tests).
  std::size_t sessions() const { return *sessions_; }
  // Accepts that failed (and were retried after a pause).
  long accept_errors() const { return accept_errors_; }

 private:
  void accept();
  void accept_later();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_timer_;
  std::function<std::string()> render_;
  MetricsServerLimits limits_;
  std::chrono::milliseconds backoff_;
  std::shared_ptr<std::atomic<std::size_t>> sessions_ =
      std::make_shared<std::atomic<std::size_t>>(0);
  std::atomic<long> accept_errors_{0};
};

}  // namespace relaymon::app
