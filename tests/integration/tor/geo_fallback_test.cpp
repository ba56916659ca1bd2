// Countries from a real tor (DisableNetwork 1; Debian's tor loads
// /usr/share/tor/geoip and geoip6 by default): relaymon's fallback gives
// what tor itself answers to GETINFO ip-to-country, asked here directly
// too. A lookup is local to tor: no traffic.
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cctype>

#include "control/getinfo.h"
#include "session/monitor.h"
#include "session/tor_geo.h"
#include "support/controller_harness.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"
#include "support/tor_process.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

// tor's own answer, as relaymon shows it (upper case, "" for "??").
std::string ask_tor(ControllerHarness& h, const std::string& ip) {
  auto [error, reply] = h.call("GETINFO ip-to-country/" + ip);
  REQUIRE_FALSE(error);
  auto parsed = control::parse_getinfo(reply);
  REQUIRE(std::holds_alternative<control::InfoMap>(parsed));
  const std::string* value = std::get<control::InfoMap>(parsed).find("ip-to-country/" + ip);
  REQUIRE(value);
  std::string code = *value == "??" ? "" : *value;
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return code;
}

}  // namespace

TEST_CASE("real tor: the geo fallback returns tor's own ip-to-country answers") {
  TorProcess tor;
  ControllerHarness h(tcp_options(tor.control_port()));
  h.controller->start();
  REQUIRE(h.wait_ready());
  auto geo = std::make_shared<session::TorGeo>();
  geo->probe(*h.controller);
  // Public resolvers and registries (IPv4 and IPv6), one private address.
  const std::vector<std::string> addresses = {"8.8.8.8", "193.0.6.139", "1.1.1.1",
                                              "2001:67c:2e8:22::c100:68b", "127.0.0.1"};
  for (const auto& ip : addresses) CHECK_FALSE(geo->country(ip));  // not known yet: queued
  bool done = false;
  geo->resolve(*h.controller, [&] { done = true; });
  REQUIRE(run_until(h.io, [&] { return done; }));
  CHECK(geo->usable());
  int known = 0;
  for (const auto& ip : addresses) {
    std::string direct = ask_tor(h, ip);
    auto ours = geo->country(ip);
    INFO(ip << ": tor says '" << direct << "'");
    REQUIRE(ours);
    CHECK(*ours == direct);
    known += direct.empty() ? 0 : 1;
  }
  CHECK(known >= 3);  // tor's geoip covers the public ones
  CHECK(*geo->country("127.0.0.1") == "");
  // A v4-mapped address is the IPv4 one (and now cached).
  REQUIRE(geo->country("::ffff:8.8.8.8"));
  CHECK(*geo->country("::ffff:8.8.8.8") == ask_tor(h, "8.8.8.8"));
  CHECK_FALSE(geo->pending());
}

TEST_CASE("real tor: with no country database, the snapshot names tor as the geo source") {
  TorProcess tor;
  boost::asio::io_context io;
  session::MonitorSettings settings;
  control::ControlEndpoint endpoint;
  endpoint.port = tor.control_port();
  settings.endpoints = {endpoint};
  settings.poll_interval = std::chrono::milliseconds(300);
  settings.geo.country_path = "/nonexistent/relaymon-test-country.mmdb";
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  REQUIRE(run_until(io, [&] { return monitor->collected(); }));
  const model::Snapshot snapshot = *monitor->snapshot();
  stop_monitor(io, monitor);
  CHECK(snapshot.geo_source == "tor");
  CHECK_THAT(snapshot.geo_status, Catch::Contains("ip-to-country"));
}

TEST_CASE("real tor without geoip files: the snapshot's geo source is none") {
  TorConfig config;
  config.extra_torrc = "GeoIPFile /nonexistent/geoip\nGeoIPv6File /nonexistent/geoip6";
  TorProcess tor(config);
  boost::asio::io_context io;
  session::MonitorSettings settings;
  control::ControlEndpoint endpoint;
  endpoint.port = tor.control_port();
  settings.endpoints = {endpoint};
  settings.poll_interval = std::chrono::milliseconds(300);
  settings.geo.country_path = "/nonexistent/relaymon-test-country.mmdb";
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  REQUIRE(run_until(io, [&] { return monitor->collected(); }));
  const model::Snapshot snapshot = *monitor->snapshot();
  stop_monitor(io, monitor);
  CHECK(snapshot.geo_source == "none");
  CHECK_THAT(snapshot.geo_status, Catch::Contains("no IPv4 geoip"));
}
