// Events the captures do not hold, as hand-written samples in the
// control-spec's format (section 4.1); every test name says "spec sample".
#include <catch2/catch.hpp>

#include <map>

#include "control/events.h"
#include "event_helpers.h"

using namespace relaymon::control;
using namespace relaymon::control::testing;

TEST_CASE("spec sample: CIRC extended with extra lines (control-spec 4.1)", "[events]") {
  const Event e = parse_wire(
      "650-CIRC 1000 EXTENDED moria1,moria2 0xBEEF\r\n"
      "650-EXTRAMAGIC=99\r\n"
      "650 ANONYMITY=high\r\n");
  const auto& c = payload<CircEvent>(e);
  CHECK(c.id == "1000");
  REQUIRE(c.path.size() == 2);
  CHECK(c.path[0] == RouterRef{"", "moria1"});
  CHECK(*e.args.find("EXTRAMAGIC") == "99");
  CHECK(*e.args.find("ANONYMITY") == "high");
  CHECK(e.raw == "1000 EXTENDED moria1,moria2 0xBEEF\nEXTRAMAGIC=99\nANONYMITY=high");
}

TEST_CASE("spec sample: CIRC with HS fields and the '=' LongName form", "[events]") {
  const auto& c = payload<CircEvent>(
      parse_wire("650 CIRC 7 BUILT $aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=relayA,"
                 "$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB BUILD_FLAGS=IS_INTERNAL,NEED_UPTIME "
                 "PURPOSE=HS_CLIENT_REND HS_STATE=HSCR_JOINED "
                 "REND_QUERY=abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx "
                 "TIME_CREATED=2024-01-02T03:04:05.678901\r\n"));
  REQUIRE(c.path.size() == 2);
  CHECK(c.path[0].fingerprint == std::string(40, 'A'));  // normalised to upper case
  CHECK(c.path[0].nickname == "relayA");
  CHECK(c.path[1].nickname.empty());
  CHECK(c.hs_state == "HSCR_JOINED");
  CHECK(c.rend_query.size() == 56);
  CHECK(c.purpose == "HS_CLIENT_REND");
}

TEST_CASE("spec sample: CIRC_MINOR", "[events]") {
  const auto& c = payload<CircMinorEvent>(parse_wire(
      "650 CIRC_MINOR 12 PURPOSE_CHANGED $CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC~relayC "
      "BUILD_FLAGS=IS_INTERNAL PURPOSE=HS_CLIENT_INTRO HS_STATE=HSCI_CONNECTING "
      "TIME_CREATED=2024-01-02T03:04:05.000000 OLD_PURPOSE=HS_VANGUARDS\r\n"));
  CHECK(c.id == "12");
  CHECK(c.status == "PURPOSE_CHANGED");
  CHECK(c.purpose == "HS_CLIENT_INTRO");
  CHECK(c.old_purpose == "HS_VANGUARDS");
  CHECK(c.old_hs_state.empty());
  REQUIRE(c.path.size() == 1);
  CHECK(c.path[0].nickname == "relayC");
}

TEST_CASE("spec sample: ORCONN by relay name and by address", "[events]") {
  const auto& relay = payload<OrConnEvent>(
      parse_wire("650 ORCONN $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~labauth0 CLOSED REASON=DONE "
                 "NCIRCS=3 ID=17\r\n"));
  REQUIRE(relay.target.router.has_value());
  CHECK(relay.target.router->nickname == "labauth0");
  CHECK_FALSE(relay.target.endpoint.has_value());
  CHECK(relay.status == "CLOSED");
  CHECK(relay.reason == "DONE");
  CHECK(relay.ncircs == 3u);
  CHECK(relay.conn_id == "17");

  const auto& inbound =
      payload<OrConnEvent>(parse_wire("650 ORCONN 127.0.0.1:48990 NEW ID=18\r\n"));
  REQUIRE(inbound.target.endpoint.has_value());
  CHECK(inbound.target.endpoint->address == "127.0.0.1");
  CHECK(inbound.target.endpoint->port == 48990);
  CHECK(inbound.status == "NEW");
  CHECK_FALSE(inbound.ncircs.has_value());

  const auto& v6 = payload<OrConnEvent>(parse_wire("650 ORCONN [::1]:5004 LAUNCHED ID=19\r\n"));
  REQUIRE(v6.target.endpoint.has_value());
  CHECK(v6.target.endpoint->address == "::1");
}

TEST_CASE("spec sample: STREAM_BW", "[events]") {
  const auto& s = payload<StreamBwEvent>(
      parse_wire("650 STREAM_BW 322 1210 52388 2024-01-02T03:04:05.000000\r\n"));
  CHECK(s.id == "322");
  CHECK(s.written == 1210);
  CHECK(s.read == 52388);
  CHECK(s.time == "2024-01-02T03:04:05.000000");
}

TEST_CASE("spec sample: BW with a per-type breakdown", "[events]") {
  const Event e = parse_wire("650 BW 100 200 OR=50 EXIT=25\r\n");
  CHECK(payload<BwEvent>(e).read == 100);
  CHECK(*e.args.find("EXIT") == "25");
}

TEST_CASE("spec sample: log events, single line and 650+ multi-line", "[events]") {
  const Event notice = parse_wire("650 NOTICE Bootstrapped 100% (done): Done\r\n");
  CHECK(payload<LogEvent>(notice).severity == "NOTICE");
  CHECK(payload<LogEvent>(notice).message == "Bootstrapped 100% (done): Done");

  const Event multi = parse_wire(
      "650+WARN\r\n"
      "first line of a long warning\r\n"
      "..second line began with a dot\r\n"
      ".\r\n"
      "650 OK\r\n");
  CHECK(payload<LogEvent>(multi).severity == "WARN");
  CHECK(payload<LogEvent>(multi).message ==
        "first line of a long warning\n.second line began with a dot");

  for (const char* sev : {"DEBUG", "INFO", "ERR"}) {
    const Event e = parse_wire(std::string("650 ") + sev + " x = \"y\r\n");
    CHECK(payload<LogEvent>(e).severity == sev);
    CHECK(payload<LogEvent>(e).message == "x = \"y");  // unbalanced quotes are just text
  }
  CHECK(payload<LogEvent>(parse_wire("650 NOTICE\r\n")).message.empty());
}

TEST_CASE("spec sample: STATUS_GENERAL, STATUS_CLIENT, STATUS_SERVER", "[events]") {
  const Event general = parse_wire("650 STATUS_GENERAL NOTICE CLOCK_JUMPED TIME=120\r\n");
  const auto& g = payload<StatusEvent>(general);
  CHECK(general.type == "STATUS_GENERAL");
  CHECK(g.severity == "NOTICE");
  CHECK(g.action == "CLOCK_JUMPED");
  CHECK(*g.find("TIME") == "120");

  const auto& c = payload<StatusEvent>(
      parse_wire("650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=75 TAG=enough_dirinfo "
                 "SUMMARY=\"Loaded enough directory info to build circuits\"\r\n"));
  CHECK(c.action == "BOOTSTRAP");
  CHECK(*c.find("SUMMARY") == "Loaded enough directory info to build circuits");
  CHECK(c.arguments.size() == 3);

  const Event server = parse_wire(
      "650 STATUS_SERVER WARN REACHABILITY_FAILED ORADDRESS=192.0.2.7:9001 FUTURE_KEY=1\r\n");
  const auto& s = payload<StatusEvent>(server);
  CHECK(server.type == "STATUS_SERVER");
  CHECK(s.severity == "WARN");
  CHECK(s.action == "REACHABILITY_FAILED");
  CHECK(*s.find("ORADDRESS") == "192.0.2.7:9001");
  CHECK(*s.find("FUTURE_KEY") == "1");  // unknown keywords kept
  CHECK(s.find("NOPE") == nullptr);
}

TEST_CASE("spec sample: NS and NEWCONSENSUS keep the document text", "[events]") {
  const std::string doc =
      "r labexit4 DMs6alw8tHds4bMpjX7YZOOvA4E 2024-01-01 00:00:00 127.0.0.1 5004 0\n"
      "s Exit Fast Running Valid\n"
      "w Bandwidth=1000\n";
  for (const char* type : {"NS", "NEWCONSENSUS"}) {
    std::string wire = std::string("650+") + type + "\r\n";
    for (std::size_t start = 0; start < doc.size();) {
      const auto nl = doc.find('\n', start);
      wire += doc.substr(start, nl - start) + "\r\n";
      start = nl + 1;
    }
    wire += ".\r\n650 OK\r\n";
    const Event e = parse_wire(wire);
    CHECK(e.type == type);
    CHECK(payload<NetworkStatusEvent>(e).document == doc);
  }
}

TEST_CASE("spec sample: NEWDESC lists relays", "[events]") {
  const auto& d = payload<NewDescEvent>(
      parse_wire("650 NEWDESC $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~labauth0 "
                 "$409DB424584D21D4AE19B549113BF9D4EAFFE456~labexit5\r\n"));
  REQUIRE(d.servers.size() == 2);
  CHECK(d.servers[1].nickname == "labexit5");
  CHECK(d.servers[0].fingerprint == "2AB6D6690E4C7C39B56B344E076D05AF95F79CB7");
}

TEST_CASE("spec sample: CONF_CHANGED with values, repeats and bare keys", "[events]") {
  const auto& c =
      payload<ConfChangedEvent>(parse_wire("650-CONF_CHANGED\r\n"
                                           "650-ExitPolicy=accept 127.0.0.1:*\r\n"
                                           "650-ExitPolicy=reject *:*\r\n"
                                           "650-ContactInfo\r\n"
                                           "650-Nickname=\r\n"
                                           "650 OK\r\n"));
  REQUIRE(c.entries.size() == 4);
  CHECK(c.entries[0] == ConfEntry{"ExitPolicy", "accept 127.0.0.1:*"});
  CHECK(c.entries[1] == ConfEntry{"ExitPolicy", "reject *:*"});
  CHECK(c.entries[2] == ConfEntry{"ContactInfo", std::nullopt});  // back to its default
  CHECK(c.entries[3] == ConfEntry{"Nickname", ""});
}

TEST_CASE("spec sample: SIGNAL, NETWORK_LIVENESS, GUARD", "[events]") {
  CHECK(payload<SignalEvent>(parse_wire("650 SIGNAL NEWNYM\r\n")).signal == "NEWNYM");
  CHECK(payload<NetworkLivenessEvent>(parse_wire("650 NETWORK_LIVENESS DOWN\r\n")).status ==
        "DOWN");
  const auto& g = payload<GuardEvent>(
      parse_wire("650 GUARD ENTRY $9753D0E4577D371BB994A3489E1FFABDFE799E72~labrelay3 UP\r\n"));
  CHECK(g.type == "ENTRY");
  CHECK(g.status == "UP");
  REQUIRE(g.router.has_value());
  CHECK(g.router->nickname == "labrelay3");
  // A name form we do not recognise is kept as text.
  const auto& odd = payload<GuardEvent>(parse_wire("650 GUARD ENTRY some:thing BAD_L2\r\n"));
  CHECK(odd.name == "some:thing");
  CHECK_FALSE(odd.router.has_value());
}

TEST_CASE("spec sample: ADDRMAP with quoted expiry and extended fields", "[events]") {
  const auto& a = payload<AddrMapEvent>(
      parse_wire("650 ADDRMAP www.example.com 192.0.2.1 \"2024-01-01 00:00:00\" "
                 "EXPIRES=\"2024-01-01 05:00:00\" CACHED=\"YES\" STREAMID=42\r\n"));
  CHECK(a.address == "www.example.com");
  CHECK(a.new_address == "192.0.2.1");
  CHECK(a.expiry == "2024-01-01 00:00:00");
  CHECK(a.utc_expiry == "2024-01-01 05:00:00");
  CHECK(a.cached == true);
  CHECK(a.stream_id == "42");
  const auto& failed = payload<AddrMapEvent>(
      parse_wire("650 ADDRMAP bad.example <error> NEVER error=yes CACHED=\"NO\"\r\n"));
  CHECK(failed.new_address == "<error>");
  CHECK(failed.expiry == "NEVER");
  CHECK(failed.error == "yes");
  CHECK(failed.cached == false);
}

TEST_CASE("spec sample: HS_DESC", "[events]") {
  const auto& h = payload<HsDescEvent>(parse_wire(
      "650 HS_DESC REQUESTED abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx NO_AUTH "
      "$409DB424584D21D4AE19B549113BF9D4EAFFE456~labexit5 "
      "b7vRbpVnQpLZu1Z8a9Kd0i6yXv7L9xL2q8m6hC0u0sE "
      "HSDIR_INDEX=" +
      std::string(64, 'A') + "\r\n"));
  CHECK(h.action == "REQUESTED");
  CHECK(h.auth_type == "NO_AUTH");
  REQUIRE(h.hs_dir_router.has_value());
  CHECK(h.hs_dir_router->nickname == "labexit5");
  CHECK(h.descriptor_id == "b7vRbpVnQpLZu1Z8a9Kd0i6yXv7L9xL2q8m6hC0u0sE");
  CHECK(h.hs_dir_index.size() == 64);
  const auto& f = payload<HsDescEvent>(
      parse_wire("650 HS_DESC FAILED UNKNOWN NO_AUTH UNKNOWN REASON=QUERY_NO_HSDIR\r\n"));
  CHECK(f.reason == "QUERY_NO_HSDIR");
  CHECK(f.hs_dir == "UNKNOWN");
  CHECK_FALSE(f.hs_dir_router.has_value());
  CHECK(f.descriptor_id.empty());
}

TEST_CASE("spec sample: unknown events are kept with raw text and arguments", "[events]") {
  const Event e =
      parse_wire("650 BUILDTIMEOUT_SET COMPUTED TOTAL_TIMES=124 TIMEOUT_MS=1500 ALPHA=1.5\r\n");
  CHECK(std::holds_alternative<UnknownEvent>(e.payload));
  CHECK(e.type == "BUILDTIMEOUT_SET");
  CHECK(e.raw == "COMPUTED TOTAL_TIMES=124 TIMEOUT_MS=1500 ALPHA=1.5");
  CHECK(e.args.positional == std::vector<std::string>{"COMPUTED"});
  CHECK(*e.args.find("ALPHA") == "1.5");

  // Unknown and not tokenizable: still kept, raw only.
  const Event odd = parse_wire("650 FUTURE_EVENT \"half a quote\r\n");
  CHECK(std::holds_alternative<UnknownEvent>(odd.payload));
  CHECK(odd.raw == "\"half a quote");
  CHECK(odd.args.positional.empty());

  // Unknown data events keep their data in raw.
  const Event content =
      parse_wire("650+HS_DESC_CONTENT abc UNKNOWN UNKNOWN\r\nhs-descriptor 3\r\n.\r\n650 OK\r\n");
  CHECK(content.type == "HS_DESC_CONTENT");
  CHECK(content.raw == "abc UNKNOWN UNKNOWN\nhs-descriptor 3");
}
