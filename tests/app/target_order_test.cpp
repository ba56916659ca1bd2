// Relays are watched and listed in command-line order, -i and -s
// interleaved as typed (issue 15: -s used to come after every -i).
#include <catch2/catch.hpp>

#include "app/options.h"
#include "support/run_command.h"

using namespace relaymon;

TEST_CASE("targets: -s before -i stays first", "[options]") {
  app::Options options;
  options.control_ports = {"127.0.0.1:9"};
  options.control_sockets = {"/nonexistent/relaymon-order.sock"};
  options.control_order = {{'s', "/nonexistent/relaymon-order.sock"}, {'i', "127.0.0.1:9"}};
  std::string error;
  auto targets = app::resolve_targets(options, app::Config{}, error);
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].endpoints.front().to_string().find("relaymon-order.sock") != std::string::npos);
  CHECK(targets[1].endpoints.front().to_string() == "127.0.0.1:9");
}

TEST_CASE("relaymon reports relays in the order given on the command line", "[options]") {
  auto result = testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "-t", "2",
                                      "-s", "/nonexistent/relaymon-order.sock", "-i", "127.0.0.1:9",
                                      "-s", "/nonexistent/relaymon-order2.sock"});
  INFO(result.err);
  CHECK(result.exit_code == 1);
  auto first = result.err.find("relaymon-order.sock");
  auto port = result.err.find("127.0.0.1:9");
  auto last = result.err.find("relaymon-order2.sock");
  REQUIRE(first != std::string::npos);
  REQUIRE(port != std::string::npos);
  REQUIRE(last != std::string::npos);
  CHECK(first < port);
  CHECK(port < last);
}
