// One HTTP GET of tor's MetricsPort (/metrics), on the shared io_context.
// tor serves it as plain HTTP/1.0 on the address the operator chose
// (normally 127.0.0.1, with MetricsPortPolicy); the body is Prometheus
// text, parsed by model/prometheus_text.h. Boost.Beast does the HTTP
// (its parser bounds the header and the body), so nothing here parses it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace relaymon::session {

struct MetricsReply {
  std::optional<std::string> body;  // set on a 200 answer
  std::string error;                // otherwise why not ("connection refused", "HTTP 403")
};

// `address` is an IPv4 or IPv6 literal (no brackets). At most `body_limit`
// bytes of body are accepted; a larger one is an error, not a cut.
void fetch_metrics(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                   std::chrono::milliseconds timeout, std::function<void(MetricsReply)> done,
                   std::size_t body_limit = 16 * 1024 * 1024);

}  // namespace relaymon::session
