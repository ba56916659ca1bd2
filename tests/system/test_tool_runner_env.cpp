// The environment a tool gets from ToolRun: never RELAYMON_PASSWORD, even
// when it is in relaymon's own environment (the app removes it at start;
// this is the second line).
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "system/tool_runner.h"

using namespace relaymon::system;

TEST_CASE("tool runner: the child never sees RELAYMON_PASSWORD", "[runner]") {
  ::setenv("RELAYMON_PASSWORD", "do-not-pass-on", 1);
  ::setenv("RELAYMON_TEST_OTHER", "passed", 1);
  boost::asio::io_context io;
  std::optional<ToolResult> result;
  ToolRun::start(io, {"sh", "-c", "echo \"${RELAYMON_PASSWORD-unset} $RELAYMON_TEST_OTHER\""}, {},
                 [&](ToolResult r) { result = std::move(r); });
  io.run();
  ::unsetenv("RELAYMON_PASSWORD");
  ::unsetenv("RELAYMON_TEST_OTHER");
  REQUIRE(result);
  REQUIRE(std::holds_alternative<ToolOutput>(*result));
  CHECK(std::get<ToolOutput>(*result).stdout_text == "unset passed\n");
}
