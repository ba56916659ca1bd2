#include "app/metrics.h"

#include <fmt/format.h>

#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <map>

#include "analysis/alerts.h"
#include "app/headless.h"
#include "export/metrics_text.h"

namespace relaymon::app {

namespace asio = boost::asio;
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
