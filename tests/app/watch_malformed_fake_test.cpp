// --watch --json reports an event tor sent that relaymon cannot parse as a
// "malformed" line and goes on ("fake": a scripted control port sends the
// broken event, which a real tor does not).
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/fake_control_port.h"
#include "support/json_schema.h"
#include "support/run_command.h"

using namespace relaymon;
using namespace relaymon::testing;

TEST_CASE("fake control port: a malformed STREAM event is a malformed line, the stream goes on",
          "[watch][fake]") {
  boost::asio::io_context io;
  FakeControlPort fake(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("SETEVENTS", 0) == 0) {
      s.send("250 OK\r\n");
      // A STREAM without its circuit and target, then a good CIRC.
      s.send("650 STREAM 12 NEW\r\n");
      s.send(
          "650 CIRC 7 BUILT $AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~relay1 PURPOSE=GENERAL\r\n");
    } else if (line.rfind("GETINFO events/names", 0) == 0) {
      s.send("250-events/names=STREAM CIRC BW WARN ERR NOTICE\r\n250 OK\r\n");
    } else if (line.rfind("GETINFO ", 0) == 0) {
      s.send("552 Unrecognized key\r\n");
    } else {
      s.send("250 OK\r\n");
    }
  });
  std::thread runner([&io] { io.run(); });
  auto result = run_command({RELAYMON_BINARY, "--watch", "--json", "--events", "STREAM,CIRC", "-i",
                             "127.0.0.1:" + std::to_string(fake.port())},
                            {}, 4);
  io.stop();
  runner.join();
  INFO(result.out << result.err);
  std::istringstream lines(result.out);
  std::vector<nlohmann::json> seen;
  bool connected = false;
  for (std::string l; std::getline(lines, l);) {
    auto j = nlohmann::json::parse(l);
    // --watch says when it connects; the events come after.
    if (j["type"] == "connection") {
      connected |= j["state"] == "connected" && seen.empty();
      continue;
    }
    seen.push_back(j);
  }
  CHECK(connected);
  REQUIRE(seen.size() >= 2);
  CHECK(seen[0]["type"] == "malformed");
  CHECK(seen[0]["event"] == "STREAM");
  CHECK(seen[1]["type"] == "event");
  CHECK(seen[1]["event"] == "CIRC");
  CHECK(watch_schema_errors(result.out) == "");
}
