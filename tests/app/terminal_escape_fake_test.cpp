// Issue 12, item 7: tor's text never reaches the terminal raw outside the
// TUI. A scripted fake control port ("fake": a real tor does not put
// escape sequences in its replies) answers AUTHENTICATE with a 515 whose
// text retitles an xterm (ESC ] 0; ... BEL) and clears the screen (CSI 2J,
// also as the one-character C1 CSI); --snapshot, --snapshot --json,
// --check and --watch must print it escaped.
#include <catch2/catch.hpp>

#include "support/fake_control_port.h"

using namespace relaymon::testing;

namespace {

const std::string kHostile =
    "515 Authentication failed: \x1b]0;owned\x07 \x1b[2J \xc2\x9b"
    "2J\r\n";

CommandResult run_against_hostile_fake(std::vector<std::string> mode, int seconds) {
  mode.insert(mode.begin(), {"--timeout", "1"});
  return run_relaymon_against(
      [](FakeSession& s, const std::string& line) {
        if (answer_protocolinfo(s, line, "NULL")) return;
        s.send(line.rfind("AUTHENTICATE", 0) == 0 ? kHostile : std::string("250 OK\r\n"));
      },
      mode, seconds);
}

void check_escaped(const CommandResult& r) {
  std::string all = r.out + r.err;
  INFO(all);
  CHECK(all.find('\x1b') == std::string::npos);
  CHECK(all.find('\x07') == std::string::npos);
  CHECK(all.find("\xc2\x9b") == std::string::npos);
}

}  // namespace

TEST_CASE("fake control port: escape sequences in a 515 reply are printed escaped (--snapshot)") {
  auto r = run_against_hostile_fake({"--snapshot"}, 20);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("\\x1b]0;owned\\x07") != std::string::npos);  // shown, not obeyed
  check_escaped(r);
}

TEST_CASE("fake control port: escape sequences in a 515 reply, --snapshot --json and --check") {
  check_escaped(run_against_hostile_fake({"--snapshot", "--json"}, 20));
  auto check = run_against_hostile_fake({"--check"}, 20);
  CHECK(check.exit_code >= 2);  // CRITICAL or UNKNOWN: tor is not reachable
  check_escaped(check);
}

TEST_CASE("fake control port: escape sequences in a 515 reply, --watch text and JSON") {
  check_escaped(run_against_hostile_fake({"--watch"}, 4));
  check_escaped(run_against_hostile_fake({"--watch", "--json"}, 4));
}
