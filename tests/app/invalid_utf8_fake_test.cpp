// Issue 12, item 2: no byte from tor may end a JSON output. A scripted fake
// control port ("fake": a real tor's log text is what its log calls were
// given, which a test cannot make invalid on purpose) sends a WARN with a
// 0xff byte and a nickname of "\377"; --watch --json goes on and
// --snapshot --json prints, both with U+FFFD in place of the byte.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/fake_control_port.h"
#include "support/json_schema.h"
#include "text/text.h"

using namespace relaymon;
using namespace relaymon::testing;

namespace {

const std::string kReplacement = "\xef\xbf\xbd";  // U+FFFD in UTF-8

// Answers GETCONF with every key asked (Nickname with an invalid byte),
// GETINFO version, and refuses every other GETINFO as tor does an unknown key.
void answer(FakeSession& s, const std::string& line) {
  if (answer_protocolinfo(s, line, "NULL")) return;
  if (line.rfind("GETCONF ", 0) == 0) {
    auto keys = text::split_words(line.substr(8));
    std::string reply;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string value = keys[i] == "Nickname" ? "=relay\xff"
                                                  "x"
                                                : "";
      reply += (i + 1 == keys.size() ? "250 " : "250-") + keys[i] + value + "\r\n";
    }
    s.send(reply);
  } else if (line.rfind("GETINFO version", 0) == 0) {
    s.send("250-version=0.4.9.11\r\n250 OK\r\n");
  } else if (line.rfind("GETINFO ", 0) == 0) {
    s.send("552 Unrecognized key\r\n");
  } else if (line.rfind("SETEVENTS", 0) == 0) {
    s.send("250 OK\r\n");
    s.send("650 WARN a byte \xff tor's log should never have\r\n");
    s.send("650 WARN the next warning\r\n");
  } else {
    s.send("250 OK\r\n");
  }
}

CommandResult run_against_fake(std::vector<std::string> mode, int seconds) {
  mode.insert(mode.begin(), {"--timeout", "1"});
  return run_relaymon_against(answer, mode, seconds);
}

}  // namespace

TEST_CASE("fake control port: a WARN with an invalid UTF-8 byte, --watch --json goes on") {
  auto r = run_against_fake({"--watch", "--json"}, 4);
  INFO(r.out << r.err);
  // Ended by the test's timeout: not by an exception (json type_error 316).
  CHECK(r.err.find("terminate called") == std::string::npos);
  std::istringstream lines(r.out);
  std::vector<std::string> warnings;
  for (std::string l; std::getline(lines, l);) {
    auto j = nlohmann::json::parse(l);  // every line is valid JSON
    if (j.value("severity", "") == "WARN") warnings.push_back(j.dump());
  }
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].find("a byte " + kReplacement + " tor's log") != std::string::npos);
  CHECK(warnings[1].find("the next warning") != std::string::npos);
  CHECK(watch_schema_errors(r.out) == "");
}

TEST_CASE("fake control port: a nickname with an invalid UTF-8 byte, --snapshot --json prints") {
  auto r = run_against_fake({"--snapshot", "--json"}, 20);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["relays"].size() == 1);
  CHECK(doc["relays"][0]["relay"]["nickname"] == "relay" + kReplacement + "x");
  CHECK(snapshot_schema_errors(r.out) == "");
}
