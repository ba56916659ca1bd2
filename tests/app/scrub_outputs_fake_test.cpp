// Issue 12, item 5: one scrubber for every output. A scripted fake control
// port ("fake": a test cannot make a real tor log a public client's
// address) sends the spellings the old --watch scrubber missed, in a WARN,
// an inbound client's ORCONN and a STATUS_GENERAL subject; neither --watch
// text nor --watch --json may print any of them.
#include <catch2/catch.hpp>

#include "support/fake_control_port.h"
#include "support/json_schema.h"

using namespace relaymon::testing;

namespace {

// Addresses of documentation ranges, in the spellings that slipped through.
const std::vector<std::string> kAddresses = {"2001:1900:2100:1:0:1:0:22", "203.0.113.5",
                                             "::ffff:198.51.100.7", "2001:db8::42"};

CommandResult watch_fake(std::vector<std::string> mode) {
  mode.insert(mode.begin(), {"--watch", "--events", "ORCONN,STATUS_GENERAL"});
  return run_relaymon_against(
      [](FakeSession& s, const std::string& line) {
        if (answer_protocolinfo(s, line, "NULL")) return;
        if (line.rfind("SETEVENTS", 0) == 0) {
          s.send("250 OK\r\n");
          s.send("650 WARN Client at 2001:1900:2100:1:0:1:0:22 sent a bad cell\r\n");
          s.send("650 WARN Rejecting connection from OR:203.0.113.5, too many\r\n");
          s.send("650 WARN peer ([::ffff:198.51.100.7]:443) closed\r\n");
          s.send("650 ORCONN [2001:db8::42]:50123 CONNECTED ID=7\r\n");
          s.send(
              "650 STATUS_GENERAL WARN TOO_MANY_CONNECTIONS CURRENT=4000 "
              "SOURCE=2001:1900:2100:1:0:1:0:22\r\n");
          s.send("650 WARN the last line\r\n");
        } else if (line.rfind("GETINFO events/names", 0) == 0) {
          s.send("250-events/names=ORCONN STATUS_GENERAL WARN ERR NOTICE\r\n250 OK\r\n");
        } else if (line.rfind("GETINFO ", 0) == 0) {
          s.send("552 Unrecognized key\r\n");
        } else {
          s.send("250 OK\r\n");
        }
      },
      mode, 4);
}

void check_scrubbed(const CommandResult& r) {
  INFO(r.out << r.err);
  CHECK(r.out.find("the last line") != std::string::npos);  // every line got through
  CHECK(r.out.find("[scrubbed]") != std::string::npos);
  for (const auto& address : kAddresses) {
    CHECK(r.out.find(address) == std::string::npos);
    CHECK(r.err.find(address) == std::string::npos);
  }
  // No fragment of the digit-only IPv6 either.
  CHECK(r.out.find("2100:1:0:1") == std::string::npos);
}

}  // namespace

TEST_CASE("fake control port: addresses in every spelling are scrubbed from --watch text") {
  check_scrubbed(watch_fake({}));
}

TEST_CASE("fake control port: addresses in every spelling are scrubbed from --watch --json") {
  auto r = watch_fake({"--json"});
  check_scrubbed(r);
  CHECK(watch_schema_errors(r.out) == "");
}
