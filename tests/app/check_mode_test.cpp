// --check as the program: exit status 2 (CRITICAL) when tor cannot be
// reached, 3 (UNKNOWN) when the command line is wrong, one line on standard
// output either way (the
// verdict itself: tests/export/check_line_test.cpp; against a real tor:
// tests/integration/tor/check_cli_test.cpp).
#include <catch2/catch.hpp>

#include "app/check_mode.h"
#include "export/check_line.h"
#include "support/run_command.h"

using namespace relaymon;
using namespace relaymon::app;
using namespace relaymon::exporter;

TEST_CASE("relaymon --check exits 2 (CRITICAL) with one line when tor cannot be reached",
          "[check]") {
  auto result = testing::run_command(
      {RELAYMON_BINARY, "-c", "/dev/null", "--check", "--timeout", "2", "-i", "127.0.0.1:9"});
  CHECK(result.exit_code == 2);
  CHECK(result.out.rfind("RELAYMON CRITICAL - ", 0) == 0);
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 1);
}

TEST_CASE("relaymon --check: a bad command line is UNKNOWN (3) with one line on stdout",
          "[check]") {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"--check", "--watch"},
           {"--check", "--events", "CIRC"},
           {"--check", "--json"},
           {"--check", "--no-such-option"},
           {"--check", "-w", "descriptors_pct=oops"},
           {"--check", "-c", "bandwidth=10"},
           {"--check", "-c", "/nonexistent/relaymon.conf"},
       }) {
    std::vector<std::string> argv = {RELAYMON_BINARY, "-i", "127.0.0.1:9"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = testing::run_command(argv);
    INFO(args[1] << " " << result.out << result.err);
    CHECK(result.exit_code == 3);
    CHECK(result.out.rfind("RELAYMON UNKNOWN - ", 0) == 0);
    CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 1);
  }
}

TEST_CASE("relaymon without --check keeps exit 2 for a bad command line", "[check]") {
  CHECK(testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--watch", "--snapshot"})
            .exit_code == 2);
  CHECK(testing::run_command({RELAYMON_BINARY, "-c", "/dev/null", "--snapshot", "-w", "conns=1"})
            .exit_code == 2);
}
