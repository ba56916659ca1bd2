// The monitor alone owns tor's event subscription ("fake": a scripted
// control port that drops the connection, to count what a reconnect sends).
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "session/monitor.h"
#include "support/fake_control_port.h"
#include "support/monitor_stop.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("fake control port: after a reconnect exactly one SETEVENTS goes out, with the union",
          "[monitor][fake]") {
  boost::asio::io_context io;
  int session = 0;
  std::vector<std::vector<std::string>> setevents(3);  // per connection
  FakeControlPort port(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0) {
      ++session;
      s.send("250 OK\r\n");
    } else if (line == "GETINFO events/names") {
      s.send("250-events/names=BW CIRC ORCONN WARN NOTICE ERR STREAM\r\n250 OK\r\n");
    } else if (line.rfind("SETEVENTS", 0) == 0) {
      if (session < 3) setevents[static_cast<std::size_t>(session)].push_back(line);
      s.send("250 OK\r\n");
    } else if (line == "QUIT-NOW-PLEASE") {
      s.close();  // tor goes away
    } else if (line.rfind("GETINFO ", 0) == 0) {
      s.send("552 Unrecognized key\r\n");
    } else if (line.rfind("GETCONF ", 0) == 0) {
      s.send("250 " + line.substr(8) + "\r\n");
    } else {
      s.send("510 Unrecognized command\r\n");
    }
  });
  session::MonitorSettings settings;
  control::ControlEndpoint endpoint;
  endpoint.port = port.port();
  settings.endpoints = {endpoint};
  settings.events = {"BW", "CIRC", "WARN"};
  settings.timeout = std::chrono::seconds(5);
  auto monitor = std::make_shared<session::RelayMonitor>(io, settings);
  monitor->start();
  REQUIRE(run_until(io, [&] { return monitor->ready() && !setevents[1].empty(); }));
  CHECK(setevents[1].front() == "SETEVENTS BW CIRC WARN");
  bool done = false;
  monitor->want_events("interpreter", {"STREAM"}, [&](const std::string&) { done = true; });
  monitor->set_logged_events({"ORCONN"}, [&](const std::string&) {});
  REQUIRE(run_until(io, [&] { return done && setevents[1].size() == 3; }));
  CHECK(setevents[1].back() == "SETEVENTS BW CIRC ORCONN STREAM WARN");

  // tor goes away; the next connection gets the whole union, once.
  monitor->command("QUIT-NOW-PLEASE", [](auto, auto) {});
  REQUIRE(run_until(io, [&] { return session == 2 && monitor->ready(); }));
  io.run_for(std::chrono::milliseconds(500));
  REQUIRE(setevents[2].size() == 1);
  CHECK(setevents[2].front() == "SETEVENTS BW CIRC ORCONN STREAM WARN");
  stop_monitor(io, monitor);
}
