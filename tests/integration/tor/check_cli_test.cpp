// relaymon --check as Nagios/Icinga run it, against a real tor
// (DisableNetwork 1): the plugin line, perfdata with units, -w/-c
// thresholds in the guidelines' range syntax, and exit 3 with one line
// whenever tor cannot be reached or refuses us.
#include <catch2/catch.hpp>
#include <regex>

#include "support/run_command.h"
#include "support/tor_process.h"

using namespace relaymon::testing;

namespace {

std::string endpoint(const TorProcess& tor) {
  return "127.0.0.1:" + std::to_string(tor.control_port());
}

long lines(const std::string& out) {
  return std::count(out.begin(), out.end(), '\n');
}

}  // namespace

TEST_CASE("real tor: --check prints one plugin line with perfdata for every figure") {
  TorProcess tor;
  auto result =
      run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-i", endpoint(tor)});
  INFO(result.out << result.err);
  CHECK(lines(result.out) == 1);
  // Whatever relaymon's alerts say of this tor, the line matches its status.
  static const char* names[] = {"OK", "WARNING", "CRITICAL"};
  REQUIRE(result.exit_code >= 0);
  REQUIRE(result.exit_code <= 2);
  CHECK(result.out.rfind(std::string("RELAYMON ") + names[result.exit_code] + " - ", 0) == 0);
  std::smatch m;
  REQUIRE(std::regex_search(result.out, m, std::regex(R"( descriptors=(\d+);;;0;(\d+) )")));
  CHECK(std::stol(m[1]) > 0);
  CHECK(std::stol(m[2]) > std::stol(m[1]));
  CHECK(std::regex_search(result.out, std::regex(R"( descriptors_pct=[0-9.]+%;;;0;100 )")));
  CHECK(std::regex_search(result.out, std::regex(R"( uptime=\d+s;;;0 )")));
  CHECK(std::regex_search(result.out, std::regex(R"( conns=\d+;;;0 )")));
  CHECK(std::regex_search(result.out, std::regex(R"( bw_read=\d+c bw_written=\d+c\n$)")));
}

TEST_CASE("real tor: --check -w/-c thresholds decide the status (-c METRIC=RANGE is critical)") {
  TorProcess tor;
  // relaymon's own control connection is one: "conns=0" (0..0) warns.
  auto warn = run_command(
      {RELAYMON_BINARY, "--config", "/dev/null", "--check", "-w", "conns=0", "-i", endpoint(tor)});
  INFO(warn.out << warn.err);
  CHECK(warn.out.find(": conns ") != std::string::npos);
  CHECK(warn.out.find(" conns=") != std::string::npos);
  CHECK(std::regex_search(warn.out, std::regex(R"( conns=\d+;0;;0 )")));
  CHECK(warn.exit_code >= 1);
  // "@0:100": critical whenever the percentage is anything at all.
  auto crit = run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-c",
                           "descriptors_pct=@0:100", "-w", "uptime=1:", "-i", endpoint(tor)});
  INFO(crit.out << crit.err);
  CHECK(crit.exit_code == 2);
  CHECK(crit.out.rfind("RELAYMON CRITICAL - ", 0) == 0);
  CHECK(crit.out.find("descriptors_pct ") != std::string::npos);
  CHECK(std::regex_search(crit.out, std::regex(R"( descriptors_pct=[0-9.]+%;;@0:100;0;100 )")));
  CHECK(std::regex_search(crit.out, std::regex(R"( uptime=\d+s;1:;;0 )")));
  // Thresholds that hold: the status is relaymon's alerts alone.
  auto plain =
      run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-i", endpoint(tor)});
  auto quiet = run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-w",
                            "descriptors_pct=100", "-c", "conns=100000", "-i", endpoint(tor)});
  CHECK(quiet.exit_code == plain.exit_code);
}

TEST_CASE(
    "real tor: --check is CRITICAL (2) when tor does not answer, UNKNOWN (3) when it refuses, with "
    "one reason line") {
  std::uint16_t port = 0;
  {
    TorProcess tor;
    port = tor.control_port();
  }
  auto gone = run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-t", "2", "-i",
                           "127.0.0.1:" + std::to_string(port)});
  INFO(gone.out << gone.err);
  // The monitored service is down: CRITICAL, as check_tcp says of a refused port.
  CHECK(gone.exit_code == 2);
  CHECK(lines(gone.out) == 1);
  CHECK(gone.out.rfind("RELAYMON CRITICAL - 127.0.0.1:" + std::to_string(port) + ": ", 0) == 0);
  CHECK(gone.out.find("nothing is listening") != std::string::npos);

  TorProcess locked(TorConfig::Auth::kPassword);
  auto refused =
      run_command({RELAYMON_BINARY, "--config", "/dev/null", "--check", "-i", endpoint(locked)},
                  {"RELAYMON_PASSWORD=wrong"});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK(lines(refused.out) == 1);
  CHECK(refused.out.find("refused password authentication") != std::string::npos);
}
