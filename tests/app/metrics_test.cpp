// /metrics: the exposition text from synthetic snapshots, and a real HTTP
// scrape of the Beast server on 127.0.0.1 with every line validated.
#include <catch2/catch.hpp>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "app/metrics.h"
#include "export/metrics_text.h"

using namespace relaymon;
using namespace relaymon::app;
using namespace relaymon::exporter;
namespace http = boost::beast::http;

namespace {

std::vector<MetricsRelay> relays() {
  MetricsRelay a;
  a.label = "exit1";
  a.collected = true;
  model::Snapshot sa;
  sa.control.connected = true;
  sa.tor.traffic_read = 123456789012ULL;
  sa.tor.traffic_written = 5;
  sa.tor.uptime_seconds = 60;
  sa.process.descriptors_used = 30;
  sa.process.descriptor_limit = 1024;
  sa.bandwidth.edit().push_back({model::Clock::now(), 10, 20});
  model::Connection c;
  c.category = model::Category::kExit;
  sa.connections = {c, c};
  model::Alert alert;
  alert.id = "private-address";
  alert.severity = model::Severity::kWarning;
  sa.alerts = {alert};
  sa.crosscheck.matched = 7;
  a.snapshot = std::make_shared<const model::Snapshot>(sa);
  MetricsRelay b;
  b.label = "odd \"name\"\\";
  return {a, b};
}

// Validates Prometheus text format 0.0.4 line by line; returns samples.
std::map<std::string, double> validate(const std::string& text) {
  static const std::regex help(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  static const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped)$)");
  static const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (-?[0-9.e+]+|NaN|\+Inf|-Inf)$)");
  std::map<std::string, double> samples;
  std::set<std::string> typed;
  std::istringstream in(text);
  std::string line;
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  while (std::getline(in, line)) {
    INFO(line);
    std::smatch m;
    if (std::regex_match(line, help)) continue;
    if (std::regex_match(line, m, type)) {
      CHECK(typed.insert(m[1]).second);  // one TYPE per family
      continue;
    }
    REQUIRE(std::regex_match(line, m, sample));
    CHECK(typed.count(m[1]) == 1);  // declared before its samples
    samples[line.substr(0, line.rfind(' '))] = std::stod(line.substr(line.rfind(' ') + 1));
  }
  return samples;
}

}  // namespace

TEST_CASE("synthetic metrics: every line is valid exposition format, labelled per relay",
          "[metrics]") {
  auto samples = validate(render_metrics(relays()));
  CHECK(samples.at(R"(relaymon_up{relay="exit1"})") == 1);
  CHECK(samples.at(R"(relaymon_up{relay="odd \"name\"\\"})") == 0);
  CHECK(samples.at(R"(relaymon_connections{relay="exit1",category="exit"})") == 2);
  CHECK(samples.at(
            R"(relaymon_alerts_active{relay="exit1",id="private-address",severity="warning"})") ==
        1);
  CHECK(samples.at(
            R"(relaymon_alerts_active{relay="exit1",id="tor-version",severity="critical"})") == 0);
  CHECK(samples.at(R"(relaymon_traffic_read_bytes_total{relay="exit1"})") == 123456789012.0);
  CHECK(samples.at(R"(relaymon_descriptors_limit{relay="exit1"})") == 1024);
  CHECK(samples.at(R"(relaymon_crosscheck_connections{relay="exit1",result="matched"})") == 7);
  CHECK(samples.at(R"(relaymon_bandwidth_bytes_per_second{relay="exit1",direction="written"})") ==
        20);
}

TEST_CASE("metrics listen address: port alone means 127.0.0.1", "[metrics]") {
  auto e = parse_listen_address("9100");
  REQUIRE(e);
  CHECK(e->address().to_string() == "127.0.0.1");
  CHECK(e->port() == 9100);
  CHECK(parse_listen_address("[::1]:9100")->address().to_string() == "::1");
  CHECK(parse_listen_address("127.0.0.2:0")->address().to_string() == "127.0.0.2");
  CHECK_FALSE(parse_listen_address("70000"));
  CHECK_FALSE(parse_listen_address("nothere:9100"));
}

TEST_CASE("metrics server: /metrics scraped over HTTP on 127.0.0.1, 404 elsewhere", "[metrics]") {
  boost::asio::io_context io;
  auto server = std::make_shared<MetricsServer>(io, *parse_listen_address("127.0.0.1:0"),
                                                [] { return render_metrics(relays()); });
  server->start();
  auto port = server->local_endpoint().port();
  std::thread runner([&io] { io.run(); });
  auto get = [port](const std::string& target) {
    boost::asio::io_context client_io;
    boost::beast::tcp_stream stream(client_io);
    stream.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "127.0.0.1");
    http::write(stream, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return response;
  };
  auto ok = get("/metrics");
  auto missing = get("/");
  server->stop();
  io.stop();
  runner.join();
  CHECK(ok.result() == http::status::ok);
  CHECK(std::string(ok[http::field::content_type]).rfind("text/plain; version=0.0.4", 0) == 0);
  auto samples = validate(ok.body());
  CHECK(samples.count(R"(relaymon_up{relay="exit1"})") == 1);
  CHECK(missing.result() == http::status::not_found);
}
