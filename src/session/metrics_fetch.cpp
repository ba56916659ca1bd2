#include "session/metrics_fetch.h"

#include <fmt/format.h>

#include "control/close_on_exec.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace relaymon::session {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// Everything one GET needs, alive until its last handler ran.
struct MetricsGet : std::enable_shared_from_this<MetricsGet> {
  MetricsGet(asio::io_context& io, std::chrono::milliseconds timeout,
             std::function<void(MetricsReply)> done, std::size_t body_limit)
      : stream(io), timeout(timeout), done(std::move(done)) {
    parser.body_limit(body_limit);
  }

  void fail(const beast::error_code& ec, std::string_view what) {
    MetricsReply reply;
    reply.error = ec == beast::error::timeout
                      ? fmt::format("{}: no answer within {} ms", what, timeout.count())
                      : fmt::format("{}: {}", what, ec.message());
    finish(std::move(reply));
  }

  void finish(MetricsReply reply) {
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    if (done) {
      auto call = std::move(done);
      done = nullptr;
      call(std::move(reply));
    }
  }

  void start(const asio::ip::tcp::endpoint& endpoint, std::string host) {
    request.method(http::verb::get);
    request.target("/metrics");
    request.version(10);  // tor's MetricsPort speaks HTTP/1.0
    request.set(http::field::host, std::move(host));
    request.set(http::field::user_agent, "relaymon");
    // Opened here rather than by async_connect, to be close-on-exec before
    // any tool relaymon runs could inherit it.
    beast::error_code open_error;
    stream.socket().open(endpoint.protocol(), open_error);
    if (open_error) return fail(open_error, "cannot open a socket for the MetricsPort");
    control::set_close_on_exec(stream.socket().native_handle());
    stream.expires_after(timeout);
    auto self = shared_from_this();
    stream.async_connect(endpoint, [self](beast::error_code ec) {
      if (ec) return self->fail(ec, "cannot connect to the MetricsPort");
      http::async_write(self->stream, self->request, [self](beast::error_code ec, std::size_t) {
        if (ec) return self->fail(ec, "cannot send to the MetricsPort");
        http::async_read(
            self->stream, self->buffer, self->parser, [self](beast::error_code ec, std::size_t) {
              // HTTP/1.0: the body ends when tor closes.
              if (ec && ec != http::error::end_of_stream) {
                return self->fail(ec, "cannot read the MetricsPort");
              }
              auto& response = self->parser.get();
              MetricsReply reply;
              if (response.result() == http::status::ok) {
                reply.body = std::move(response.body());
              } else {
                reply.error =
                    fmt::format("the MetricsPort answered HTTP {}", response.result_int());
              }
              self->finish(std::move(reply));
            });
      });
    });
  }

  beast::tcp_stream stream;
  std::chrono::milliseconds timeout;
  std::function<void(MetricsReply)> done;
  beast::flat_buffer buffer;
  http::request<http::empty_body> request;
  http::response_parser<http::string_body> parser;
};

}  // namespace

void fetch_metrics(asio::io_context& io, const std::string& address, std::uint16_t port,
                   std::chrono::milliseconds timeout, std::function<void(MetricsReply)> done,
                   std::size_t body_limit) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    MetricsReply reply;
    reply.error = fmt::format("the MetricsPort address {} is not an IP address", address);
    asio::post(io, [done, reply] { done(reply); });
    return;
  }
  auto get = std::make_shared<MetricsGet>(io, timeout, std::move(done), body_limit);
  std::string host =
      ip.is_v6() ? fmt::format("[{}]:{}", address, port) : fmt::format("{}:{}", address, port);
  get->start(asio::ip::tcp::endpoint(ip, port), std::move(host));
}

}  // namespace relaymon::session
