// relaymon's screen in a real terminal (tmux), on relays of the loopback
// network: every page opens, the connections page names relays, resizing
// never crashes, and quitting gives the terminal back.
#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "support/testnet.h"
#include "support/tmux.h"

using namespace relaymon::testing;

namespace {

std::string relaymon_on(const TestnetInstance& instance, const std::string& after = "") {
  std::string command = std::string("RELAYMON_PASSWORD=") + instance.password + " " +
                        RELAYMON_BINARY + " -i 127.0.0.1:" + std::to_string(instance.control_port);
  return after.empty() ? command : command + "; " + after;
}

}  // namespace

TEST_CASE("tmux: the exit relay's header, every page, and named relay connections") {
  Testnet net;
  auto exit = net.first("exit");
  TmuxSession tmux(relaymon_on(exit), 120, 40);
  REQUIRE(tmux.wait_for(exit.nickname + " - "));
  CHECK(tmux.wait_for("Tor 0.4.9.11"));
  CHECK(tmux.wait_for(exit.fingerprint));

  const std::vector<std::pair<std::string, std::string>> pages = {
      {"2", "Log ("},  {"3", "Connections ("}, {"4", "Alerts ("},   {"5", "Config ("},
      {"6", "Torrc "}, {"8", "Health of "},    {"1", "Bandwidth ("}};
  for (const auto& [key, title] : pages) {
    tmux.keys(key);
    INFO("page " << key << " screen:\n" << tmux.screen());
    CHECK(tmux.wait_for(title, std::chrono::seconds(5)));
  }
  tmux.keys("Right");
  CHECK(tmux.wait_for("Log (", std::chrono::seconds(5)));
  // tor logs to a file relaymon can read (issue 15, item 11): the log
  // starts with tor's earlier lines, and says so. The path may wrap onto
  // the next row (its length is the checkout's), hence \s+ before it.
  std::regex prefilled(R"(the log starts with tor's last [1-9][0-9]* lines from\s+\S+notice\.log)");
  bool read_file = false;
  for (int i = 0; i < 25 && !read_file; ++i) {
    read_file = std::regex_search(tmux.screen(), prefilled);
    if (!read_file) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(tmux.screen());
  CHECK(read_file);

  // The help lists every page's keys and scrolls to the last of them.
  tmux.keys("h");
  CHECK(tmux.wait_for("(up/down scroll, esc closes)", std::chrono::seconds(5)));
  tmux.keys("End");
  CHECK(tmux.wait_for("health page:", std::chrono::seconds(5)));
  tmux.keys("Escape");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  // The connections page names relay peers by their consensus nicknames.
  // A client's connections are all outbound to relays it chose (an exit on
  // a fresh network may have only inbound ones, which share 127.0.0.1 and
  // so cannot be told apart by address).
  auto client = net.first("client");
  TmuxSession client_tmux(relaymon_on(client), 120, 40);
  REQUIRE(client_tmux.wait_for("relaymon - "));
  client_tmux.keys("3");
  REQUIRE(client_tmux.wait_for("Connections ("));
  bool named = false;
  for (int i = 0; i < 50 && !named; ++i) {
    std::string screen = client_tmux.screen();
    for (const auto& relay : net.all()) {
      if (relay.role != "client" && screen.find(" " + relay.nickname + " ") != std::string::npos) {
        named = true;
      }
    }
    if (!named) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(client_tmux.screen());
  CHECK(named);

  // Enter on a relay connection shows that relay's consensus entry, with
  // its flags (Snapshot::peer_relays, filled by the program). Rows are
  // tried from the top; listeners and the control connection have none.
  bool entry = false;
  std::string details;
  for (int row = 0; row < 12 && !entry; ++row) {
    client_tmux.keys("Enter");
    client_tmux.wait_for("first seen: ", std::chrono::seconds(3));
    details = client_tmux.screen();
    entry = details.find("Consensus entry:") != std::string::npos;
    if (entry) break;
    client_tmux.keys("Escape");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // not read as Alt-Down
    client_tmux.keys("Down");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(details);
  REQUIRE(entry);
  CHECK(details.find("flags: ") != std::string::npos);
  CHECK(details.find("Running") != std::string::npos);
  CHECK(details.find("not in the consensus relaymon has") == std::string::npos);

  // The client's circuits (issue 15, item 9): an age for each, hops with
  // their roles, and Enter for one circuit's hops.
  client_tmux.keys("Escape");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  client_tmux.keys("c");
  REQUIRE(client_tmux.wait_for("Circuits (", std::chrono::seconds(5)));
  std::regex built_with_age(
      R"(BUILT +\S+ +([0-9]+m )?[0-9]+s +[0-9.]+ \S?B +[0-9.]+ \S?B +G \S+ > M \S+ > E \S+)");
  bool aged = false;
  for (int i = 0; i < 50 && !aged; ++i) {
    aged = std::regex_search(client_tmux.screen(), built_with_age);
    if (!aged) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(client_tmux.screen());
  CHECK(aged);
  // What each circuit carried, from the CIRC_BW events the monitor
  // subscribes to (issue 11): with downloads flowing through the client,
  // some built circuit has read kilobytes.
  // The page lists circuits oldest first: on a network some minutes old
  // (CI's has 70 circuits by now) those carrying the downloads can be
  // below the first screenful, so each look pages through the whole list.
  net.start_traffic(60);
  std::regex carried(R"(BUILT +\S+ +([0-9]+m )?[0-9]+s +[0-9.]+ [KMG]iB )");
  auto some_page_shows = [&](const std::regex& wanted) {
    client_tmux.keys("Home");
    for (int page = 0; page < 8; ++page) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      if (std::regex_search(client_tmux.screen(), wanted)) return true;
      client_tmux.keys("PageDown");
    }
    return false;
  };
  bool read_some = false;
  for (int look = 0; look < 20 && !read_some; ++look) read_some = some_page_shows(carried);
  INFO(client_tmux.screen());
  CHECK(read_some);
  client_tmux.keys("Enter");
  CHECK(client_tmux.wait_for("hops:", std::chrono::seconds(5)));
  std::string circuit = client_tmux.screen();
  INFO(circuit);
  CHECK(circuit.find("1. guard") != std::string::npos);
  CHECK(circuit.find(" Circuit ") != std::string::npos);
}

TEST_CASE("tmux: resizing to 40x12 and back does not crash") {
  Testnet net;
  auto middle = net.first("middle");
  TmuxSession tmux(relaymon_on(middle), 120, 40);
  REQUIRE(tmux.wait_for(middle.nickname + " - "));
  for (int page = 1; page <= 6; ++page) {
    tmux.keys(std::to_string(page));
    tmux.resize(40, 12);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(tmux.alive());
    tmux.resize(20, 5);
    CHECK(tmux.wait_for("too small", std::chrono::seconds(5)));
    tmux.resize(120, 40);
    CHECK(tmux.wait_for(middle.nickname + " - ", std::chrono::seconds(5)));
  }
  CHECK(tmux.alive());
}

TEST_CASE("tmux: q then y quits and the terminal is usable again") {
  Testnet net;
  auto client = net.first("client");
  TmuxSession tmux(relaymon_on(client, "stty -a; echo RELAYMON-EXITED-$?"), 120, 40);
  REQUIRE(tmux.wait_for("relaymon - "));
  tmux.keys("q");
  REQUIRE(tmux.wait_for("Quit relaymon? (y/n)"));
  tmux.keys("n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(tmux.alive());
  tmux.keys("q");
  REQUIRE(tmux.wait_for("Quit relaymon? (y/n)"));
  tmux.keys("y");
  REQUIRE(tmux.wait_for("RELAYMON-EXITED-0"));
  std::string screen = tmux.screen();
  // The shell's terminal modes are back: echo and canonical input on.
  CHECK(screen.find(" echo ") != std::string::npos);
  CHECK(screen.find("-echo ") == std::string::npos);
  CHECK(screen.find(" icanon") != std::string::npos);
  CHECK(screen.find("-icanon") == std::string::npos);
}
