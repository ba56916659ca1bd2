// Issue 12, item 7: tor's text never reaches the terminal raw outside the
// TUI. A scripted fake control port ("fake": a real tor does not put
// escape sequences in its replies) answers AUTHENTICATE with a 515 whose
// text retitles an xterm (ESC ] 0; ... BEL) and clears the screen (CSI 2J,
// also as the one-character C1 CSI); --snapshot, --snapshot --json,
// --check and --watch must print it escaped.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "support/fake_control_port.h"
#include "support/run_command.h"

using namespace relaymon::testing;

namespace {

const std::string kHostile =
    "515 Authentication failed: \x1b]0;owned\x07 \x1b[2J \xc2\x9b"
    "2J\r\n";

CommandResult run_against_hostile_fake(std::vector<std::string> mode, int seconds) {
  boost::asio::io_context io;
  FakeControlPort fake(io, [&](FakeSession& s, const std::string& line) {
    if (answer_protocolinfo(s, line, "NULL")) return;
    if (line.rfind("AUTHENTICATE", 0) == 0) {
      s.send(kHostile);
    } else {
      s.send("250 OK\r\n");
    }
  });
  std::thread runner([&io] { io.run(); });
  std::vector<std::string> argv = {RELAYMON_BINARY,
                                   "-c",
                                   "/dev/null",
                                   "--timeout",
                                   "1",
                                   "-i",
                                   "127.0.0.1:" + std::to_string(fake.port())};
  argv.insert(argv.end(), mode.begin(), mode.end());
  auto result = run_command(argv, {}, seconds);
  io.stop();
  runner.join();
  return result;
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
