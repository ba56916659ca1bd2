// The config editor against a real tor (DisableNetwork 1) in a real
// terminal (tmux): editing one line of a multi-line option sends every
// line, so tor keeps the others (issue 15, item 6); a port option shows its
// value once; an option written in the torrc with its default value is
// marked as set; the interpreter's /help and /info.
#include <catch2/catch.hpp>
#include <chrono>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "support/tmux.h"
#include "support/tor_process.h"

using namespace relaymon::testing;

namespace {

// The config page's row of one option, or "" when it is not on screen.
std::string row_of(const std::string& screen, const std::string& option) {
  std::istringstream lines(screen);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" " + option + " ") != std::string::npos) return line;
  }
  return "";
}

}  // namespace

TEST_CASE("tmux: editing one line of ExitPolicy keeps tor's other lines") {
  TorConfig config;
  config.extra_torrc =
      "ExitPolicy accept 127.0.0.1:80\n"
      "ExitPolicy accept 127.0.0.1:443\n"
      "ExitPolicy reject *:*\n"
      "ExitPolicyRejectPrivate 1\n"
      "MaxCircuitDirtiness 600\n";
  TorProcess tor(config);
  TmuxSession tmux(std::string(RELAYMON_BINARY) +
                       " -c /dev/null -i 127.0.0.1:" + std::to_string(tor.control_port()),
                   120, 40);
  REQUIRE(tmux.wait_for("Tor 0.4.9.11"));
  tmux.keys("5");
  REQUIRE(tmux.wait_for("* ExitPolicy "));
  std::string screen = tmux.screen();
  INFO(screen);
  // Written in the torrc with its default value: still the operator's.
  // (The name column is 22 wide: "ExitPolicyRejectPri...".)
  CHECK(screen.find("* ExitPolicyRejectPri") != std::string::npos);
  // GETCONF answers SocksPort once (SocksPortLines is not asked as well).
  std::string socks = row_of(screen, "SocksPort");
  CHECK(socks.find("0, 0") == std::string::npos);
  CHECK(socks.find(" 0") != std::string::npos);
  // tor answers GETCONF with seconds; the page says it in words.
  CHECK(row_of(screen, "MaxCircuitDirtiness").find("10 minutes") != std::string::npos);

  // Select ExitPolicy: Enter shows which option the prompt edits.
  bool editing = false;
  for (int i = 0; i < 20 && !editing; ++i) {
    tmux.keys("Enter");
    editing = tmux.wait_for("set ExitPolicy (3 lines, | between) to: ", std::chrono::seconds(2));
    if (editing) break;
    tmux.keys("Escape");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // not read as Alt-Down
    tmux.keys("Down");
  }
  INFO(tmux.screen());
  REQUIRE(editing);
  // The description comes from tor's own manual when Debian's tor installed
  // it, else from relaymon's short list.
  bool manual = access("/usr/share/man/man1/tor.1.gz", R_OK) == 0;
  CHECK(tmux.screen().find(manual ? "ExitPolicy: Set an exit policy for this server."
                                  : "ExitPolicy: Which destinations this relay allows") !=
        std::string::npos);
  CHECK(tmux.wait_for("accept 127.0.0.1:80 | accept 127.0.0.1:443 | reject *:*"));
  // Edit the last line only: "reject *:*" becomes "reject 127.0.0.1:22".
  for (int i = 0; i < 3; ++i) tmux.keys("BSpace");
  tmux.literal("127.0.0.1:22");
  tmux.keys("Enter");
  REQUIRE(tmux.wait_for("Set ExitPolicy to 3 lines: "));
  tmux.keys("y");
  REQUIRE(tmux.wait_for("ExitPolicy set (3 lines)", std::chrono::seconds(10)));

  // tor's own answer: every other line intact.
  tmux.keys("7");
  REQUIRE(tmux.wait_for(">>> "));
  tmux.literal("GETCONF ExitPolicy");
  tmux.keys("Enter");
  REQUIRE(tmux.wait_for("reject 127.0.0.1:22", std::chrono::seconds(10)));
  screen = tmux.screen();
  INFO(screen);
  CHECK(screen.find("ExitPolicy=accept 127.0.0.1:80") != std::string::npos);
  CHECK(screen.find("ExitPolicy=accept 127.0.0.1:443") != std::string::npos);
  CHECK(screen.find("ExitPolicy=reject 127.0.0.1:22") != std::string::npos);

  // relaymon's own interpreter commands, as nyx has them.
  tmux.literal("/help");
  tmux.keys("Enter");
  CHECK(tmux.wait_for("relaymon's commands: /help", std::chrono::seconds(5)));
  tmux.literal("/info version");
  tmux.keys("Enter");
  CHECK(tmux.wait_for("version=0.4.9.11", std::chrono::seconds(5)));
  CHECK(tmux.alive());
}
