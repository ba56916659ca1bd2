// Typed --watch --events lines, field by field, from the sample events of
// tor's controller libraries and the control-spec
// (fixtures/control-events/library-samples.txt) and from real tor 0.4.9.11
// captures; every line is validated against the published schemas.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "control/events.h"
#include "control/framing.h"
#include "export/event_json.h"
#include "support/fixtures.h"
#include "support/json_schema.h"

using namespace relaymon;
using namespace relaymon::exporter;
using nlohmann::json;

namespace {

const model::TimePoint kNow = model::TimePoint(std::chrono::seconds(1'800'000'000));

// name -> the event's bytes, CRLF line ends.
const std::map<std::string, std::string>& samples() {
  static const std::map<std::string, std::string> all = [] {
    std::map<std::string, std::string> out;
    std::istringstream in(testing::read_fixture("control-events/library-samples.txt"));
    std::string name, bytes, line;
    auto flush = [&] {
      if (!name.empty()) out[name] = bytes;
      name.clear();
      bytes.clear();
    };
    while (std::getline(in, line)) {
      if (line.empty()) {
        flush();
      } else if (line.rfind("# name: ", 0) == 0) {
        name = line.substr(8);
      } else if (line[0] != '#') {
        bytes += line + "\r\n";
      }
    }
    flush();
    return out;
  }();
  return all;
}

std::vector<control::Reply> frame(const std::string& bytes) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  REQUIRE_FALSE(framer.feed(bytes, replies));
  return replies;
}

// What --watch prints for one event reply: the typed line, or the
// malformed line when the parser refuses it.
json line_of(const control::Reply& reply) {
  auto parsed = control::parse_event(reply);
  if (const auto* error = std::get_if<control::ParseError>(&parsed)) {
    return malformed_event_json("exit1", control::event_type(reply), *error, kNow);
  }
  return event_json("exit1", std::get<control::Event>(parsed), kNow);
}

json sample(const std::string& name) {
  INFO(name);
  REQUIRE(samples().count(name) == 1);
  auto replies = frame(samples().at(name));
  REQUIRE(replies.size() == 1);
  return line_of(replies[0]);
}

json router(const char* fingerprint, const char* nickname) {
  return {{"fingerprint", fingerprint ? json(fingerprint) : json(nullptr)},
          {"nickname", nickname ? json(nickname) : json(nullptr)}};
}

}  // namespace

TEST_CASE("event json: every library sample gives one schema-valid line, malformed as such",
          "[event_json]") {
  REQUIRE(samples().size() >= 70);
  std::string lines;
  for (const auto& [name, bytes] : samples()) {
    INFO(name);
    auto replies = frame(bytes);
    REQUIRE(replies.size() == 1);
    json j = line_of(replies[0]);
    bool malformed = name.rfind("malformed-", 0) == 0;
    CHECK(j["type"] == (malformed ? "malformed" : "event"));
    CHECK(j["schema"] == 2);
    CHECK(j["relay"] == "exit1");
    CHECK(j["time"] == "2027-01-15T08:00:00Z");
    lines += j.dump() + "\n";
  }
  CHECK(testing::watch_schema_errors(lines) == "");
}

TEST_CASE("event json: no destination, client address, onion or SOCKS credential survives",
          "[event_json]") {
  // Each of these is in some sample: a stream's target or source, an
  // address map, an onion service, a client's ADDR:PORT, SOCKS
  // credentials, an address in a STATUS argument or a log line.
  const char* secrets[] = {"127.0.0.1",
                           "encrypted.google.com",
                           "74.125.227.129",
                           "176.28.51.238",
                           "www.google.com",
                           "2001:db8::1",
                           "atagar",
                           "75.119.206.243",
                           "example.com",
                           "192.0.43.10",
                           "duckduckgo",
                           "4a2f6ef74fe3",
                           "Mario",
                           "princess",
                           "xxxxxxxxxxxxxxxx",
                           "87.248.112.181",
                           "ajhb7kljbiru65qo",
                           "b3oeducbhjmbqmgw2i3jtz4fekkrinwj",
                           "71.35.143.230",
                           "205.171.3.25",
                           "192.0.2.10",
                           "198.51.100",
                           "203.0.113.9",
                           "example.org",
                           "example.net",
                           "141.70.120.13",
                           "77.223.43.54"};
  for (const auto& [name, bytes] : samples()) {
    std::string text = sample(name).dump();
    for (const char* secret : secrets) {
      INFO(name << ": " << text);
      CHECK(text.find(secret) == std::string::npos);
    }
  }
}

TEST_CASE("event json: CIRC and CIRC_MINOR field by field", "[event_json]") {
  json j = sample("stem-circ-extended");
  CHECK(j["event"] == "CIRC");
  CHECK(j["id"] == "7");
  CHECK(j["status"] == "EXTENDED");
  CHECK(j["path"] == json::array({router("999A226EBED397F331B612FE1E4CFAE5C1F201BA", "piyaz")}));
  CHECK(j["build_flags"] == json::array({"NEED_CAPACITY"}));
  CHECK(j["purpose"] == "GENERAL");
  CHECK(j["hs_state"].is_null());
  CHECK(j["time_created"] == "2012-11-08T16:48:38.417238");
  CHECK(j["reason"].is_null());
  CHECK(j["remote_reason"].is_null());
  CHECK(j["other"] == json::object());

  j = sample("stem-circ-failed");
  CHECK(j["status"] == "FAILED");
  CHECK(j["reason"] == "DESTROYED");
  CHECK(j["remote_reason"] == "OR_CONN_CLOSED");
  CHECK(j["path"][0]["nickname"] == "ergebnisoffen");

  j = sample("stem-circ-launched-old");
  CHECK(j["id"] == "4");
  CHECK(j["path"] == json::array());
  CHECK(j["build_flags"] == json::array());
  CHECK(j["purpose"].is_null());

  // tor 0.2.1's ServerID path: a fingerprint alone, then nicknames alone.
  j = sample("stem-circ-built-old");
  CHECK(j["path"] ==
        json::array({router("E57A476CD4DFBD99B4EE52A100A58610AD6E80B9", nullptr),
                     router(nullptr, "hamburgerphone"), router(nullptr, "PrivacyRepublic14")}));

  j = sample("txtorcon-circ-built");
  CHECK(j["path"].size() == 3);
  CHECK(j["path"][2] == router("253DFF1838A2B7782BE7735F74E50090D46CA1BC", "chomsky"));

  j = sample("txtorcon-circ-no-path-flags");
  CHECK(j["build_flags"] == json::array({"IS_INTERNAL", "NEED_CAPACITY", "NEED_UPTIME"}));
  CHECK(j["path"] == json::array());

  // Extra 650- lines of an extended event carry keywords; unknown ones
  // land in "other", numbers as numbers.
  j = sample("txtorcon-circ-multiline");
  CHECK(j["id"] == "1000");
  CHECK(j["path"] == json::array({router(nullptr, "moria1"), router(nullptr, "moria2")}));
  CHECK(j["other"] == json{{"extramagic", 99}, {"anonymity", "high"}});

  // SOCKS credentials are known and never shown.
  j = sample("stem-circ-credentials");
  CHECK(j["other"] == json::object());
  CHECK(j.dump().find("socks") == std::string::npos);

  j = sample("stem-circ-minor");
  CHECK(j["event"] == "CIRC_MINOR");
  CHECK(j["status"] == "PURPOSE_CHANGED");
  CHECK(j["purpose"] == "MEASURE_TIMEOUT");
  CHECK(j["old_purpose"] == "TESTING");
  CHECK(j["old_hs_state"].is_null());
  CHECK(j["path"] == json::array({router("67B2BDA4264D8A189D9270E28B1D30A262838243", "europa1")}));
}

TEST_CASE("event json: STREAM field by field, the target only as its port", "[event_json]") {
  json j = sample("stem-stream-new");
  CHECK(j["event"] == "STREAM");
  CHECK(j["id"] == "18");
  CHECK(j["status"] == "NEW");
  CHECK(j["circuit_id"].is_null());  // tor's "0": unattached
  CHECK(j["target_port"] == 443);
  CHECK(j["purpose"] == "USER");
  CHECK_FALSE(j.contains("target"));
  CHECK_FALSE(j.contains("source_addr"));
  CHECK(j["other"] == json::object());

  j = sample("stem-stream-remap");
  CHECK(j["circuit_id"] == "26");
  CHECK(j["status"] == "REMAP");
  CHECK(j["source"] == "EXIT");
  CHECK(j["target_port"] == 443);

  j = sample("stem-stream-closed-reset");
  CHECK(j["id"] == "21");
  CHECK(j["reason"] == "CONNRESET");
  CHECK(j["remote_reason"].is_null());

  j = sample("stem-stream-dir-fetch");
  CHECK(j["purpose"] == "DIR_FETCH");
  CHECK(j["target_port"] == 443);

  j = sample("stem-stream-dns-request");
  CHECK(j["target_port"] == 0);
  CHECK(j["purpose"] == "DNS_REQUEST");

  j = sample("stem-stream-newresolve-ipv6");
  CHECK(j["status"] == "NEWRESOLVE");
  CHECK(j["target_port"] == 0);

  j = sample("txtorcon-stream-isolation");
  CHECK(j["status"] == "CONTROLLER_WAIT");
  CHECK(j["client_protocol"] == "SOCKS5");
  CHECK(j["nym_epoch"] == 0);
  CHECK(j["session_group"] == -5);
  CHECK(j["iso_fields"] == json::array({"SOCKS_USERNAME", "SOCKS_PASSWORD", "CLIENTADDR",
                                        "SESSION_GROUP", "NYM_EPOCH"}));

  j = sample("txtorcon-stream-remap-cache");
  CHECK(j["source"] == "CACHE");
  CHECK(j["target_port"] == 80);
}

TEST_CASE("event json: ORCONN peers are relays or \"client\"", "[event_json]") {
  json j = sample("stem-orconn-closed");
  CHECK(j["event"] == "ORCONN");
  CHECK(j["status"] == "CLOSED");
  CHECK(j["reason"] == "DONE");
  CHECK(j["peer"] == router("A1130635A0CDA6F60C276FBF6994EFBD4ECADAB1", "tama"));
  CHECK(j["id"].is_null());
  CHECK(j["circuits"].is_null());

  j = sample("stem-orconn-connected");
  CHECK(j["peer"] == "client");
  CHECK(j["circuits"] == 20);
  CHECK(j["id"] == "18");
  CHECK(j["status"] == "CONNECTED");

  j = sample("stem-orconn-launched");
  CHECK(j["peer"] == router("7ED90E2833EE38A75795BA9237B0A4560E51E1A0", "GreenDragon"));
  CHECK(j["status"] == "LAUNCHED");
}

TEST_CASE("event json: BW, CIRC_BW, CONN_BW and STREAM_BW as numbers", "[event_json]") {
  json j = sample("stem-bw");
  CHECK(j["read"] == 15);
  CHECK(j["written"] == 25);
  CHECK(j["by_type"] == json::object());
  j = sample("stem-bw-by-type");
  CHECK(j["read"] == 10);
  CHECK(j["by_type"] == json{{"or", 5}, {"exit", 500}});

  j = sample("stem-circ-bw");
  CHECK(j["id"] == "11");
  CHECK(j["read"] == 272);
  CHECK(j["written"] == 817);
  CHECK(j["event_time"].is_null());
  CHECK(j["delivered_read"].is_null());
  CHECK(j["slow_start"].is_null());
  j = sample("stem-circ-bw-extra-counts");
  CHECK(j["event_time"] == "2012-12-06T13:51:11.433755");
  CHECK(j["delivered_read"] == 12);
  CHECK(j["overhead_read"] == 34);
  CHECK(j["delivered_written"] == 56);
  CHECK(j["overhead_written"] == 78);
  j = sample("spec-circ-bw-congestion");
  CHECK(j["slow_start"] == true);
  CHECK(j["cwnd"] == 124);
  CHECK(j["rtt_ms"] == 5);
  CHECK(j["min_rtt_ms"] == 2);

  j = sample("stem-conn-bw");
  CHECK(j["id"] == "11");
  CHECK(j["conn_type"] == "DIR");
  CHECK(j["read"] == 272);
  CHECK(j["written"] == 817);

  // STREAM_BW sends written before read (control-spec 4.1.13).
  j = sample("stem-stream-bw");
  CHECK(j["id"] == "2");
  CHECK(j["written"] == 15);
  CHECK(j["read"] == 25);
  CHECK(j["event_time"].is_null());
  j = sample("stem-stream-bw-time");
  CHECK(j["id"] == "Stream02");
  CHECK(j["event_time"] == "2012-12-06T13:51:11.433755");
}

TEST_CASE("event json: log and STATUS events with scrubbed text and typed arguments",
          "[event_json]") {
  json j = sample("stem-log-debug");
  CHECK(j["event"] == "DEBUG");
  CHECK(j["severity"] == "DEBUG");
  CHECK(j["message"] == "connection_edge_process_relay_cell(): Got an extended cell! Yay.");
  j = sample("spec-log-multiline");
  CHECK(j["message"] == "Could not connect to [scrubbed]:443\nand then gave up.");

  j = sample("stem-status-client-bootstrap-stuck");
  CHECK(j["event"] == "STATUS_CLIENT");
  CHECK(j["severity"] == "WARN");
  CHECK(j["action"] == "BOOTSTRAP");
  CHECK(j["arguments"] == json{{"progress", 80},
                               {"tag", "conn_or"},
                               {"summary", "Connecting to the Tor network"},
                               {"warning", "Network is unreachable"},
                               {"reason", "NOROUTE"},
                               {"count", 5},
                               {"recommendation", "warn"}});
  j = sample("stem-status-general-consensus");
  CHECK(j["action"] == "CONSENSUS_ARRIVED");
  CHECK(j["arguments"] == json::object());
  j = sample("stem-status-server-reachability");
  CHECK(j["arguments"] == json{{"oraddress", "[scrubbed]:9050"}});
  j = sample("stem-status-server-dns-timeout");
  CHECK(j["arguments"] ==
        json{{"ns", "[scrubbed]"}, {"status", "DOWN"}, {"err", "request timed out."}});
  j = sample("spec-status-client-dangerous-socks");
  CHECK(j["arguments"] == json{{"protocol", "SOCKS5"}, {"address", "[scrubbed]"}});
  j = sample("spec-status-client-bad-hostname");
  CHECK(j["arguments"] == json{{"hostname", "[scrubbed]"}});
  j = sample("spec-status-server-external-address");
  CHECK(j["arguments"] ==
        json{{"address", "[scrubbed]"}, {"hostname", "[scrubbed]"}, {"method", "DIRSERV"}});
  j = sample("spec-status-general-clock-skew");
  CHECK(j["arguments"] == json{{"skew", -120}, {"source", "[scrubbed]"}});
}

TEST_CASE("event json: the other typed events", "[event_json]") {
  json j = sample("stem-addrmap");
  CHECK(j["event"] == "ADDRMAP");
  CHECK(j["expiry"] == "2012-11-19 00:50:13");
  CHECK(j["utc_expiry"] == "2012-11-19 08:50:13");
  CHECK(j["cached"].is_null());
  CHECK(j["error"].is_null());
  CHECK_FALSE(j.contains("address"));
  CHECK(sample("stem-addrmap-never")["expiry"] == "NEVER");
  CHECK(sample("stem-addrmap-error")["error"] == "yes");
  CHECK(sample("stem-addrmap-cached")["cached"] == true);
  CHECK(sample("stem-addrmap-cached-malformed")["cached"].is_null());

  j = sample("stem-guard-bad");
  CHECK(j["guard_type"] == "ENTRY");
  CHECK(j["guard"] == router("5D0034A368E0ABAF663D21847E1C9B6CFA09752A", "caerSidi"));
  CHECK(j["status"] == "BAD");
  CHECK(sample("stem-guard-new")["guard"] ==
        router("36B5DBA788246E8369DBAF58577C6BC044A9A374", nullptr));

  j = sample("stem-hs-desc");
  CHECK(j["action"] == "REQUESTED");
  CHECK(j["auth_type"] == "NO_AUTH");
  CHECK(j["hs_dir"] == router("67B2BDA4264D8A189D9270E28B1D30A262838243", "europa1"));
  CHECK(j["reason"].is_null());
  CHECK(sample("stem-hs-desc-unknown-dir")["hs_dir"].is_null());
  CHECK(sample("stem-hs-desc-failed")["reason"] == "NOT_FOUND");

  j = sample("stem-newdesc-multiple");
  CHECK(j["relays"] ==
        json::array({router("BE938957B2CA5F804B3AFC2C1EE6673170CDBBF8", "Moonshine"),
                     router("B4BE08B22D4D2923EDC3970FD1B93D0448C6D8FF", "Unnamed")}));

  j = sample("stem-ns");
  CHECK(j["event"] == "NS");
  CHECK(j["relay_count"] == 1);
  CHECK(j["relays"][0] == json{{"fingerprint", "75B07161C26B8934EB731B2ECB83D465C311C020"},
                               {"nickname", "whnetz"},
                               {"flags", {"Fast", "HSDir", "Named", "Stable", "V2Dir", "Valid"}}});
  j = sample("stem-newconsensus");
  CHECK(j["relay_count"] == 2);
  CHECK(j["relays"][0]["fingerprint"] == "FFDE9B2A8E2CA32B2894C80A9F91DEC769F21526");
  CHECK(j["relays"][1]["nickname"] == "Unnamed");
  CHECK(j["relays"][1]["flags"] == json::array({"Fast", "Guard", "Running", "Stable", "Valid"}));
  CHECK(j["malformed_entries"] == 0);

  j = sample("stem-conf-changed-reset");
  CHECK(j["changes"] == json::array({{{"option", "ExitNodes"}, {"value", "caerSidi"}},
                                     {{"option", "ExitPolicy"}, {"value", nullptr}},
                                     {{"option", "MaxCircuitDirtiness"}, {"value", "20"}}}));
  j = sample("stem-conf-changed-multiple");
  CHECK(j["changes"][0] == json{{"option", "ExitPolicy"}, {"value", "accept [scrubbed]"}});
  CHECK(j["changes"].size() == 3);

  CHECK(sample("stem-signal")["signal"] == "DEBUG");
  CHECK(sample("stem-network-liveness")["status"] == "UP");
}

TEST_CASE("event json: unknown events as their words and keywords, scrubbed", "[event_json]") {
  json j = sample("stem-buildtimeout-set");
  CHECK(j["event"] == "BUILDTIMEOUT_SET");
  CHECK(j["positional"] == json::array({"COMPUTED"}));
  CHECK(j["keywords"]["total_times"] == 124);
  CHECK(j["keywords"]["timeout_ms"] == 9019);
  CHECK(j["keywords"]["alpha"] == "0.855662");
  j = sample("stem-clients-seen");
  CHECK(j["keywords"] == json{{"time_started", "2008-12-25 23:50:43"},
                              {"country_summary", "us=16,de=8,uk=8"},
                              {"ip_versions", "v4=16,v6=40"}});
  j = sample("stem-cell-stats");
  CHECK(j["keywords"]["outbound_queue"] == 19403);
  CHECK(j["keywords"]["outbound_added"] == "create_fast:1,relay_early:2");
  j = sample("stem-status-specific");
  CHECK(j["event"] == "STATUS_SPECIFIC");
  CHECK(j["positional"] == json::array({"NOTICE", "CONSENSUS_ARRIVED"}));
  j = sample("stem-transport-launched");
  CHECK(j["positional"] == json::array({"server", "obfs1", "[scrubbed]", "1111"}));
  j = sample("spec-unknown-with-hostname");
  CHECK(j["positional"] == json::array({"[scrubbed]:443"}));
  CHECK(j["keywords"] == json{{"target", "[scrubbed]"}, {"count", 3}});
}

TEST_CASE("event json: malformed events name the type and the problem, never a value",
          "[event_json]") {
  json j = sample("malformed-stem-stream-no-port");
  CHECK(j["type"] == "malformed");
  CHECK(j["event"] == "STREAM");
  CHECK(j["error"] == "STREAM event: bad target: no port in the address");
  j = sample("malformed-stem-orconn-ncircs");
  CHECK(j["event"] == "ORCONN");
  CHECK(j["error"] == "ORCONN event: NCIRCS= is not a number");
  CHECK(sample("malformed-stem-circ-id-too-long")["error"] == "CIRC event: bad circuit id");
  CHECK(sample("malformed-stem-bw-one-number")["error"] == "BW event: missing bytes written");
  CHECK(sample("malformed-stem-conn-bw-no-id")["error"] ==
        "CONN_BW event: missing ID= (connection)");
  // A type that is not even a keyword is null, not repeated.
  control::ParseError bad{"bad event type"};
  CHECK(malformed_event_json("r", "B@D", bad, kNow)["event"].is_null());
}

TEST_CASE("event json: snake_case names for keywords relaymon has no field for", "[event_json]") {
  CHECK(snake_case("BUILD_FLAGS") == "build_flags");
  CHECK(snake_case("TimeStarted") == "time_started");
  CHECK(snake_case("HSDir") == "hs_dir");
  CHECK(snake_case("IPVersions") == "ip_versions");
  CHECK(snake_case("error") == "error");
  CHECK(snake_case("V3Ident") == "v3_ident");
}

TEST_CASE("event json: real tor 0.4.9.11 captures are all typed, schema-valid and scrubbed",
          "[event_json]") {
  const char* captures[] = {
      "tor-0.4.9.11-testnet/control/client-labclient7/events-raw.txt",
      "tor-0.4.9.11-testnet/control/exit-labexit4/events-raw.txt",
      "tor-0.4.9.11-local/session-recv.txt",
      "testnet-capture/control/client1/events-raw.txt",
      "testnet-capture/control/exit1/events-raw.txt",
  };
  std::map<std::string, long> seen;
  std::string lines;
  for (const char* capture : captures) {
    for (const auto& reply : frame(testing::read_fixture(capture))) {
      if (control::event_type(reply).empty()) continue;  // a command's reply
      json j = line_of(reply);
      std::string text = j.dump();
      INFO(capture << ": " << text);
      REQUIRE(j["type"] == "event");
      CHECK_FALSE(j.contains("positional"));  // every 0.4.9 event here has a shape
      CHECK(text.find("127.0.0.1") == std::string::npos);
      CHECK(text.find(".exit") == std::string::npos);
      // ADDRMAP's destinations (the operator's ContactInfo may stay).
      CHECK(text.find("www.example.invalid") == std::string::npos);
      CHECK(text.find("relaymon.example.invalid") == std::string::npos);
      CHECK(text.find("10.40.40.40") == std::string::npos);
      CHECK(text.find("\"w1r") == std::string::npos);  // SOCKS usernames
      ++seen[j["event"].get<std::string>()];
      lines += text + "\n";
    }
  }
  for (const char* type : {"CIRC", "STREAM", "ORCONN", "BW", "CIRC_BW", "CONN_BW", "WARN", "NOTICE",
                           "STATUS_CLIENT", "SIGNAL", "ADDRMAP", "CONF_CHANGED"}) {
    INFO(type);
    CHECK(seen[type] > 0);
  }
  CHECK(testing::watch_schema_errors(lines) == "");
}

TEST_CASE("event json: a real CIRC_BW and STREAM from the loopback network, field by field",
          "[event_json]") {
  auto replies = frame(
      "650 CIRC_BW ID=57 READ=2855999 WRITTEN=92129 TIME=2026-11-21T22:21:32.839187 "
      "DELIVERED_READ=2708273 OVERHEAD_READ=86005 DELIVERED_WRITTEN=3439 OVERHEAD_WRITTEN=86699 "
      "SS=1 CWND=124 RTT=0 MIN_RTT=0\r\n"
      "650 STREAM 322 NEW 0 127.0.0.1:18080 SOURCE_ADDR=127.0.0.1:52184 PURPOSE=USER "
      "SOCKS_USERNAME=\"w1r15\" SOCKS_PASSWORD=\"x\" CLIENT_PROTOCOL=SOCKS5 NYM_EPOCH=0 "
      "SESSION_GROUP=-4 ISO_FIELDS=SOCKS_USERNAME,SOCKS_PASSWORD,CLIENTADDR,SESSION_GROUP,"
      "NYM_EPOCH\r\n");
  REQUIRE(replies.size() == 2);
  // Both lines are copied from the client's events-raw.txt.
  auto raw = testing::read_fixture("tor-0.4.9.11-testnet/control/client-labclient7/events-raw.txt");
  CHECK(raw.find("650 CIRC_BW ID=57 READ=2855999 WRITTEN=92129") != std::string::npos);
  CHECK(raw.find("650 STREAM 322 NEW 0 127.0.0.1:18080 SOURCE_ADDR=127.0.0.1:52184") !=
        std::string::npos);
  json bw = line_of(replies[0]);
  CHECK(bw["delivered_read"] == 2708273);
  CHECK(bw["overhead_written"] == 86699);
  CHECK(bw["slow_start"] == true);
  CHECK(bw["rtt_ms"] == 0);
  json stream = line_of(replies[1]);
  CHECK(stream["id"] == "322");
  CHECK(stream["target_port"] == 18080);
  CHECK(stream["session_group"] == -4);
  CHECK(stream["client_protocol"] == "SOCKS5");
  CHECK(stream["other"] == json::object());
}

TEST_CASE("event json: a log line with invalid UTF-8 still makes one line", "[event_json]") {
  auto replies = frame("650 WARN caf\xc3 \xff\xfe broken\r\n");
  REQUIRE(replies.size() == 1);
  std::string line = json_line(line_of(replies[0]));
  CHECK(line.find("\\ufffd") == std::string::npos);       // replaced, not escaped text
  CHECK(line.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  CHECK(line.find('\n') == std::string::npos);
  CHECK(json::parse(line)["message"].get<std::string>().find("broken") != std::string::npos);
}
