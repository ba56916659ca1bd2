#include "app/metrics.h"

#include <fmt/format.h>

#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <map>

#include "analysis/alerts.h"
#include "app/headless.h"
#include "app/prometheus_text.h"

namespace relaymon::app {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

class Exposition {
 public:
  void family(const char* name, const char* type, const char* help) {
    current_ = name;
    text_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(const std::vector<std::pair<std::string, std::string>>& labels, double value) {
    std::string l;
    for (const auto& [k, v] : labels)
      l += fmt::format("{}{}=\"{}\"", l.empty() ? "" : ",", k, prometheus_label_value(v));
    text_ += fmt::format("{}{{{}}} {}\n", current_, l, value);
  }
  std::string text() && { return std::move(text_); }

 private:
  std::string current_;
  std::string text_;
};

}  // namespace

std::string render_metrics(const std::vector<MetricsRelay>& relays) {
  Exposition e;
  e.family("relaymon_up", "gauge", "1 when relaymon is connected to the relay's control port");
  for (const auto& r : relays) e.sample({{"relay", r.label}}, r.snapshot.control.connected ? 1 : 0);
  e.family("relaymon_collected", "gauge", "1 once a complete collection of the relay is in");
  for (const auto& r : relays) e.sample({{"relay", r.label}}, r.collected ? 1 : 0);
  e.family("relaymon_alerts_active", "gauge", "Active alerts by rule id and severity");
  for (const auto& r : relays) {
    std::map<std::pair<std::string, std::string>, long> counts;
    for (const auto& rule : analysis::rules()) {
      for (auto sev :
           {model::Severity::kInfo, model::Severity::kWarning, model::Severity::kCritical}) {
        counts[{std::string(rule.id), std::string(model::to_string(sev))}] = 0;
      }
    }
    for (const auto& a : r.snapshot.alerts) {
      if (a.active) ++counts[{a.id, std::string(model::to_string(a.severity))}];
    }
    for (const auto& [key, n] : counts) {
      e.sample({{"relay", r.label}, {"id", key.first}, {"severity", key.second}},
               static_cast<double>(n));
    }
  }
  e.family("relaymon_connections", "gauge", "tor's sockets by category");
  for (const auto& r : relays) {
    std::map<std::string, long> counts;
    for (int c = 0; c <= static_cast<int>(model::Category::kUnexpected); ++c) {
      counts[std::string(model::to_string(static_cast<model::Category>(c)))] = 0;
    }
    for (const auto& c : r.snapshot.connections)
      ++counts[std::string(model::to_string(c.category))];
    for (const auto& [category, n] : counts) {
      e.sample({{"relay", r.label}, {"category", category}}, static_cast<double>(n));
    }
  }
  e.family("relaymon_traffic_read_bytes_total", "counter", "Bytes tor has read (traffic/read)");
  for (const auto& r : relays) {
    if (r.snapshot.tor.traffic_read)
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot.tor.traffic_read));
  }
  e.family("relaymon_traffic_written_bytes_total", "counter",
           "Bytes tor has written (traffic/written)");
  for (const auto& r : relays) {
    if (r.snapshot.tor.traffic_written) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot.tor.traffic_written));
    }
  }
  e.family("relaymon_bandwidth_bytes_per_second", "gauge", "The last BW event, by direction");
  for (const auto& r : relays) {
    if (r.snapshot.bandwidth.empty()) continue;
    const auto& b = r.snapshot.bandwidth.back();
    e.sample({{"relay", r.label}, {"direction", "read"}}, static_cast<double>(b.read));
    e.sample({{"relay", r.label}, {"direction", "written"}}, static_cast<double>(b.written));
  }
  e.family("relaymon_descriptors_used", "gauge", "File descriptors tor has open");
  for (const auto& r : relays) {
    if (r.snapshot.process.descriptors_used) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot.process.descriptors_used));
    }
  }
  e.family("relaymon_descriptors_limit", "gauge", "tor's file descriptor limit");
  for (const auto& r : relays) {
    if (r.snapshot.process.descriptor_limit) {
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot.process.descriptor_limit));
    }
  }
  e.family("relaymon_crosscheck_connections", "gauge",
           "Cross-check of OR connections: matched, only_control, only_system, persistent");
  for (const auto& r : relays) {
    const auto& x = r.snapshot.crosscheck;
    e.sample({{"relay", r.label}, {"result", "matched"}}, static_cast<double>(x.matched));
    e.sample({{"relay", r.label}, {"result", "only_control"}}, static_cast<double>(x.only_control));
    e.sample({{"relay", r.label}, {"result", "only_system"}}, static_cast<double>(x.only_system));
    e.sample({{"relay", r.label}, {"result", "persistent"}},
             static_cast<double>(x.persistent.size()));
  }
  e.family("relaymon_uptime_seconds", "gauge", "tor's uptime");
  for (const auto& r : relays) {
    if (r.snapshot.tor.uptime_seconds)
      e.sample({{"relay", r.label}}, static_cast<double>(*r.snapshot.tor.uptime_seconds));
  }
  return std::move(e).text();
}

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
        r.label = relay_label(r.snapshot);
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
