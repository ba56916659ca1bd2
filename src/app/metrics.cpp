#include "app/metrics.h"

#include <fmt/format.h>

#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <csignal>
#include <map>

#include "analysis/alerts.h"
#include "app/headless.h"
#include "export/metrics_text.h"

namespace relaymon::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using exporter::MetricsRelay;
using exporter::render_metrics;

std::optional<tcp::endpoint> parse_listen_address(const std::string& text) {
  std::string host = "127.0.0.1";
  std::string port_text = text;
  if (auto colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
    return std::nullopt;
  boost::system::error_code error;
  auto address = asio::ip::make_address(host, error);
  if (error) return std::nullopt;
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

namespace {

// One HTTP connection: read a request, answer, repeat until the peer closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::function<std::string()> render)
      : stream_(std::move(socket)), render_(std::move(render)) {}
  void start() { read(); }

 private:
  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(30));
    auto self = shared_from_this();
    http::async_read(stream_, buffer_, request_, [self](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->answer();
    });
  }
  void answer() {
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request_.version());
    response->keep_alive(request_.keep_alive());
    response->set(http::field::server, "relaymon");
    std::string target(request_.target());
    if (request_.method() != http::verb::get && request_.method() != http::verb::head) {
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
  http::request<http::string_body> request_;
  std::function<std::string()> render_;
};

}  // namespace

MetricsServer::MetricsServer(asio::io_context& io, const tcp::endpoint& endpoint,
                             std::function<std::string()> render)
    : acceptor_(io, endpoint), render_(std::move(render)) {}

void MetricsServer::start() {
  accept();
}

void MetricsServer::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void MetricsServer::accept() {
  auto self = shared_from_this();
  acceptor_.async_accept([self](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
    } else {
      std::make_shared<Session>(std::move(socket), self->render_)->start();
    }
    self->accept();
  });
}

int run_metrics(const Options& options, const Config& config, const std::vector<Target>& targets) {
  auto endpoint = parse_listen_address(options.metrics);
  if (!endpoint) {
    fmt::print(stderr, "relaymon: --metrics \"{}\": expected [ADDR:]PORT\n", options.metrics);
    return 2;
  }
  asio::io_context io;
  auto monitors = make_monitors(io, options, config, targets, false);
  std::shared_ptr<MetricsServer> server;
  try {
    server = std::make_shared<MetricsServer>(io, *endpoint, [&monitors] {
      std::vector<MetricsRelay> relays;
      for (const auto& m : monitors) {
        MetricsRelay r;
        r.snapshot = m->snapshot();
        r.collected = m->collected();
        r.label = relay_label(*r.snapshot);
        relays.push_back(std::move(r));
      }
      return render_metrics(relays);
    });
  } catch (const boost::system::system_error& e) {
    fmt::print(stderr, "relaymon: cannot listen on {}: {}\n", options.metrics, e.code().message());
    return 1;
  }
  server->start();
  for (auto& m : monitors) m->start();
  fmt::print(stderr, "relaymon: serving /metrics on {}:{}\n", endpoint->address().to_string(),
             server->local_endpoint().port());
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    server->stop();
    for (auto& m : monitors) m->stop();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace relaymon::app
