#include "app/metrics_server.h"

#include "control/close_on_exec.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace relaymon::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Counts itself among the server's sessions for as long as it lives.
class Slot {
 public:
  explicit Slot(std::shared_ptr<std::atomic<std::size_t>> count) : count_(std::move(count)) {
    ++*count_;
  }
  ~Slot() { --*count_; }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::shared_ptr<std::atomic<std::size_t>> count_;
};

// One HTTP connection: read a request, answer, repeat until the peer closes
// or a deadline passes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::function<std::string()> render, MetricsServerLimits limits,
          std::shared_ptr<std::atomic<std::size_t>> count)
      : stream_(std::move(socket)),
        render_(std::move(render)),
        limits_(limits),
        slot_(std::move(count)) {}
  void start() { read(); }

 private:
  void read() {
    // A GET has no body; a few bytes of one are tolerated, not megabytes.
    parser_.emplace();
    parser_->body_limit(1024);
    stream_.expires_after(limits_.read_timeout);
    auto self = shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) {
      if (ec) return;  // closed, too large, or the deadline: the session ends
      self->answer(self->parser_->release());
    });
  }
  void answer(const http::request<http::string_body>& request) {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request.version());
    response->keep_alive(request.keep_alive());
    response->set(http::field::server, "relaymon");
    std::string target(request.target());
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      response->result(http::status::method_not_allowed);
      response->body() = "GET only\n";
    } else if (target == "/metrics" || target.rfind("/metrics?", 0) == 0) {
      response->result(http::status::ok);
      response->set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      response->body() = render_();
    } else {
      response->result(http::status::not_found);
      response->set(http::field::content_type, "text/plain");
      response->body() = "relaymon serves /metrics\n";
    }
    response->prepare_payload();
    stream_.expires_after(limits_.write_timeout);
    auto self = shared_from_this();
    http::async_write(stream_, *response, [self, response](beast::error_code ec, std::size_t) {
      if (ec || !response->keep_alive()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      self->read();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::function<std::string()> render_;
  MetricsServerLimits limits_;
  Slot slot_;
};

}  // namespace

MetricsServer::MetricsServer(asio::io_context& io, const tcp::endpoint& endpoint,
                             std::function<std::string()> render, MetricsServerLimits limits)
    : acceptor_(io, endpoint),
      backoff_timer_(io),
      render_(std::move(render)),
      limits_(limits),
      backoff_(limits.accept_backoff_initial) {
  control::set_close_on_exec(acceptor_.native_handle());
}

void MetricsServer::start() {
  accept();
}

void MetricsServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  backoff_timer_.cancel();
}

void MetricsServer::accept() {
  auto self = shared_from_this();
  acceptor_.async_accept([self](boost::system::error_code ec, tcp::socket socket) {
    if (!self->acceptor_.is_open() || ec == asio::error::operation_aborted) return;
    if (ec) {
      // EMFILE and friends leave the connection in the backlog, so an
      // immediate retry fails again at once: pause, doubling up to a limit.
      ++self->accept_errors_;
      self->accept_later();
      return;
    }
    self->backoff_ = self->limits_.accept_backoff_initial;
    control::set_close_on_exec(socket.native_handle());
    if (*self->sessions_ >= self->limits_.max_sessions) {
      // Full: refuse this one at once rather than queue it behind sessions
      // that may be idle until their deadline.
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(std::move(socket), self->render_, self->limits_, self->sessions_)
          ->start();
    }
    self->accept();
  });
}

void MetricsServer::accept_later() {
  backoff_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, limits_.accept_backoff_max);
  std::weak_ptr<MetricsServer> weak = weak_from_this();
  backoff_timer_.async_wait([weak](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || !self->acceptor_.is_open()) return;
    self->accept();
  });
}

}  // namespace relaymon::app
