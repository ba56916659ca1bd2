// Typed events from real tor 0.4.9.11 bytes (the testnet captures:
// BW, CIRC, CIRC_BW, CONN_BW, STREAM, WARN) and, for event types the
// captures do not hold, hand-written samples in the control-spec's format
// (test names say "spec sample"). Malformed events must give errors.
#include <catch2/catch.hpp>

#include <map>

#include "control/events.h"
#include "fixture_replies.h"

using namespace relaymon::control;
using relaymon::control::testing::frame;
using relaymon::control::testing::frame_fixture;
using relaymon::control::testing::kClient;
using relaymon::control::testing::kExit;

namespace {

Event parse_ok(const Reply& reply) {
  auto result = parse_event(reply);
  if (auto* err = std::get_if<ParseError>(&result)) FAIL("parse failed: " << err->message);
  return std::get<Event>(std::move(result));
}

// `wire` is one event as tor sends it, CRLFs included.
Event parse_wire(std::string_view wire) {
  auto replies = frame(wire);
  REQUIRE(replies.size() == 1);
  return parse_ok(replies.front());
}

std::string error_of(const Reply& reply) {
  auto result = parse_event(reply);
  const auto* err = std::get_if<ParseError>(&result);
  REQUIRE(err != nullptr);
  CHECK_FALSE(err->message.empty());
  return err->message;
}

std::string wire_error(std::string_view wire) {
  auto replies = frame(wire);
  REQUIRE(replies.size() == 1);
  return error_of(replies.front());
}

// A copy, so that payload<T>(parse_wire(...)) outlives the temporary Event.
template <typename T>
T payload(const Event& e) {
  const T* p = e.get<T>();
  INFO("event type " << e.type);
  REQUIRE(p != nullptr);
  return *p;
}

std::vector<Event> parse_all(const std::vector<Reply>& replies) {
  std::vector<Event> out;
  for (const auto& r : replies) out.push_back(parse_ok(r));
  return out;
}

Reply line_reply(int code, char sep, std::string text, std::string data = {}) {
  Reply r;
  r.lines.push_back(ReplyLine{code, sep, std::move(text), std::move(data)});
  return r;
}

}  // namespace

TEST_CASE("events-raw captures: every event parses, none unknown", "[events]") {
  struct Expect {
    std::string_view dir;
    std::map<std::string, int> counts;
  };
  const Expect cases[] = {
      {kExit, {{"BW", 64}, {"CIRC", 17}, {"CIRC_BW", 3}, {"CONN_BW", 467}}},
      {kClient,
       {{"BW", 69},
        {"CIRC", 1196},
        {"CIRC_BW", 310},
        {"CONN_BW", 127},
        {"STREAM", 955},
        {"WARN", 14}}},
  };
  for (const auto& c : cases) {
    INFO(c.dir);
    const auto replies = frame_fixture(std::string(c.dir) + "events-raw.txt");
    std::map<std::string, int> counts;
    for (const auto& reply : replies) {
      // The captures hold only single-line events.
      CHECK(reply.lines.size() == 1);
      CHECK(event_type(reply) != "");
      const Event e = parse_ok(reply);
      CHECK(e.type == event_type(reply));
      CHECK_FALSE(std::holds_alternative<UnknownEvent>(e.payload));
      ++counts[e.type];
    }
    CHECK(counts == c.counts);
  }
}

TEST_CASE("BW from the exit's capture", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kExit) + "events-raw.txt"));
  const auto& first = payload<BwEvent>(events.at(0));
  CHECK(first.read == 0);
  CHECK(first.written == 16558);
  // The exit's busiest second: 5,890,092 read, 6,117,987 written.
  bool found = false;
  for (const auto& e : events) {
    if (const auto* bw = e.get<BwEvent>(); bw && bw->read == 5890092) {
      CHECK(bw->written == 6117987);
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("BW from the .async.txt captures (event during SETEVENTS)", "[events]") {
  const auto exit = frame_fixture(std::string(kExit) + "31-setevents-single-circ.async.txt");
  REQUIRE(exit.size() == 1);
  const auto& bw = payload<BwEvent>(parse_ok(exit[0]));
  CHECK(bw.read == 675502);
  CHECK(bw.written == 633955);
  const auto client = frame_fixture(std::string(kClient) + "31-setevents-single-circ.async.txt");
  REQUIRE(client.size() == 1);
  CHECK(payload<BwEvent>(parse_ok(client[0])).written == 238363);
}

TEST_CASE("CIRC from the exit's capture: launched, extended, built, closed", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kExit) + "events-raw.txt"));
  std::vector<const CircEvent*> c36;
  const CircEvent* closed21 = nullptr;
  for (const auto& e : events) {
    if (const auto* c = e.get<CircEvent>()) {
      if (c->id == "36") c36.push_back(c);
      if (c->id == "21" && c->status == "CLOSED") closed21 = c;
    }
  }
  REQUIRE(c36.size() >= 4);
  CHECK(c36[0]->status == "LAUNCHED");
  CHECK(c36[0]->path.empty());
  CHECK(c36[0]->build_flags == std::vector<std::string>{"NEED_CAPACITY"});
  CHECK(c36[0]->purpose == "GENERAL");
  CHECK(c36[0]->time_created == "2026-11-21T22:21:39.922362");
  CHECK(c36[1]->status == "EXTENDED");
  REQUIRE(c36[1]->path.size() == 1);
  CHECK(c36[1]->path[0] == RouterRef{"2AB6D6690E4C7C39B56B344E076D05AF95F79CB7", "labauth0"});
  const CircEvent* built = nullptr;
  for (const auto* c : c36) {
    if (c->status == "BUILT") built = c;
  }
  REQUIRE(built != nullptr);
  REQUIRE(built->path.size() == 3);
  CHECK(built->path[1].nickname == "labrelay3");
  CHECK(built->path[2] == RouterRef{"409DB424584D21D4AE19B549113BF9D4EAFFE456", "labexit5"});
  REQUIRE(closed21 != nullptr);
  CHECK(closed21->reason == "FINISHED");
  CHECK(closed21->remote_reason.empty());
}

TEST_CASE("CIRC from the client's capture: REMOTE_REASON, FAILED, SOCKS credentials", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kClient) + "events-raw.txt"));
  const CircEvent* c126 = nullptr;
  const CircEvent* c198 = nullptr;
  std::map<std::string, int> purposes;
  for (const auto& e : events) {
    if (const auto* c = e.get<CircEvent>()) {
      if (c->id == "126" && c->status == "CLOSED") c126 = c;
      if (c->id == "198" && c->status == "FAILED") c198 = c;
      ++purposes[c->purpose];
    }
  }
  REQUIRE(c126 != nullptr);
  CHECK(c126->build_flags ==
        std::vector<std::string>{"ONEHOP_TUNNEL", "IS_INTERNAL", "NEED_CAPACITY"});
  CHECK(c126->reason == "DESTROYED");
  CHECK(c126->remote_reason == "FINISHED");
  CHECK_FALSE(c126->socks_username.has_value());
  REQUIRE(c198 != nullptr);
  CHECK(c198->reason == "TIMEOUT");
  CHECK(c198->socks_username == "w1r46");
  CHECK(c198->socks_password == "x");
  CHECK(c198->path.size() == 3);
  CHECK(purposes["GENERAL"] > 0);
  CHECK(purposes["MEASURE_TIMEOUT"] > 0);
}

TEST_CASE("CIRC_BW from the exit's capture", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kExit) + "events-raw.txt"));
  const CircBwEvent* c = nullptr;
  for (const auto& e : events) {
    if (const auto* bw = e.get<CircBwEvent>(); bw && bw->id == "36") c = bw;
  }
  REQUIRE(c != nullptr);
  CHECK(c->read == 1018);
  CHECK(c->written == 1018);
  CHECK(c->time == "2026-11-21T22:21:40.886663");
  CHECK(c->delivered_read == 137u);
  CHECK(c->overhead_read == 859u);
  CHECK(c->delivered_written == 334u);
  CHECK(c->overhead_written == 662u);
  CHECK(c->slow_start == 1u);
  CHECK(c->cwnd == 124u);
  CHECK(c->rtt_ms == 0u);
  CHECK(c->min_rtt_ms == 0u);
}

TEST_CASE("CONN_BW from the exit's capture: OR, EXIT and DIR", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kExit) + "events-raw.txt"));
  const auto& first = payload<ConnBwEvent>(events.at(1));
  CHECK(first.id == "4");
  CHECK(first.type == "OR");
  CHECK(first.read == 10096);
  CHECK(first.written == 123498);
  std::map<std::string, int> types;
  for (const auto& e : events) {
    if (const auto* c = e.get<ConnBwEvent>()) ++types[c->type];
  }
  // events-summary.txt: {'OR': 209, 'EXIT': 240, 'DIR': 18}
  CHECK(types == std::map<std::string, int>{{"OR", 209}, {"EXIT", 240}, {"DIR", 18}});
}

TEST_CASE("STREAM from the client's capture", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kClient) + "events-raw.txt"));
  const StreamEvent* closed = nullptr;
  const StreamEvent* fresh = nullptr;
  for (const auto& e : events) {
    if (const auto* s = e.get<StreamEvent>()) {
      if (s->id == "319" && s->status == "CLOSED") closed = s;
      if (s->id == "322" && s->status == "NEW") fresh = s;
    }
  }
  REQUIRE(closed != nullptr);
  CHECK(closed->circuit_id == "57");
  CHECK(closed->target.address == "127.0.0.1.0CCB3A6A5C3CB4776CE1B3298D7ED864E3AF0381.exit");
  CHECK(closed->target.port == 18080);
  CHECK(closed->reason == "END");
  CHECK(closed->remote_reason == "DONE");
  CHECK(closed->socks_username == "w1r14");
  CHECK(closed->client_protocol == "SOCKS5");
  REQUIRE(fresh != nullptr);
  CHECK(fresh->circuit_id == "0");
  CHECK(fresh->target.address == "127.0.0.1");
  REQUIRE(fresh->source_addr.has_value());
  CHECK(fresh->source_addr->port == 52184);
  CHECK(fresh->purpose == "USER");
}

TEST_CASE("STREAM keeps keywords it has no field for", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kClient) + "events-raw.txt"));
  for (const auto& e : events) {
    if (e.type != "STREAM") continue;
    REQUIRE(e.args.find("NYM_EPOCH") != nullptr);
    CHECK(*e.args.find("NYM_EPOCH") == "0");
    CHECK(*e.args.find("SESSION_GROUP") == "-4");
    break;
  }
}

TEST_CASE("WARN log events from the client's capture", "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kClient) + "events-raw.txt"));
  int warns = 0;
  for (const auto& e : events) {
    if (const auto* log = e.get<LogEvent>()) {
      ++warns;
      CHECK(log->severity == "WARN");
      CHECK_THAT(log->message, Catch::StartsWith("Your application (using socks5 to port 18080)"));
      CHECK_THAT(log->message, Catch::EndsWith("suppressed in last 60 seconds]"));
      CHECK(e.args.positional.empty());  // free text is not tokenized
    }
  }
  CHECK(warns == 14);
}

TEST_CASE("event_type names the type, empty for non-events", "[events]") {
  CHECK(event_type(line_reply(650, ' ', "BW 1 2")) == "BW");
  CHECK(event_type(line_reply(650, '+', "NS", "r x\n")) == "NS");
  CHECK(event_type(line_reply(650, ' ', "SIGNAL")) == "SIGNAL");
  CHECK(event_type(line_reply(250, ' ', "OK")) == "");
  CHECK(event_type(Reply{}) == "");
}

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

TEST_CASE("malformed: not an event, empty, bad type", "[events][malformed]") {
  CHECK_THAT(error_of(Reply{}), Catch::Contains("empty"));
  CHECK_THAT(error_of(line_reply(250, ' ', "OK")), Catch::Contains("code 250"));
  CHECK_THAT(error_of(line_reply(650, ' ', "")), Catch::Contains("bad event type"));
  CHECK_THAT(error_of(line_reply(650, ' ', " BW 1 2")), Catch::Contains("bad event type"));
  CHECK_THAT(error_of(line_reply(650, ' ', "B$W 1 2")), Catch::Contains("bad event type"));
  Reply mixed = line_reply(650, '-', "CIRC 1 BUILT");
  mixed.lines.push_back(ReplyLine{250, ' ', "OK", ""});
  CHECK_THAT(error_of(mixed), Catch::Contains("code 250"));
}

TEST_CASE("malformed: missing fields and bad numbers", "[events][malformed]") {
  const std::pair<const char*, const char*> cases[] = {
      {"650 BW\r\n", "missing bytes read"},
      {"650 BW 12\r\n", "missing bytes written"},
      {"650 BW -1 2\r\n", "not a number"},
      {"650 BW 1 2x\r\n", "not a number"},
      {"650 BW 99999999999999999999999 2\r\n", "not a number"},  // overflows 64 bits
      {"650 CIRC\r\n", "missing circuit id"},
      {"650 CIRC 12\r\n", "missing circuit status"},
      {"650 CIRC 12345678901234567 BUILT\r\n", "bad circuit id"},  // more than 16
      {"650 CIRC 1 BUILT $ABC~short\r\n", "bad path"},
      {"650 CIRC 1 BUILT $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~\r\n", "bad path"},
      {"650 CIRC 1 BUILT $2AB6D6690E4C7C39B56B344E076D05AF95F79CBZ~x\r\n", "bad path"},
      {"650 CIRC 1 BUILT a,,b\r\n", "bad path"},
      {"650 CIRC 1 BUILT SOCKS_USERNAME=\"open\r\n", "unterminated"},
      {"650 STREAM 1 NEW 0\r\n", "missing target"},
      {"650 STREAM 1 NEW 0 example.com\r\n", "no port"},
      {"650 STREAM 1 NEW 0 example.com:99999\r\n", "bad port"},
      {"650 STREAM 1 NEW 0 :80\r\n", "no address"},
      {"650 STREAM 1 NEW 0 [::1:80\r\n", "bracketed"},
      {"650 STREAM 1 NEW 0 a:80 SOURCE_ADDR=nowhere\r\n", "SOURCE_ADDR"},
      {"650 ORCONN\r\n", "missing connection target"},
      {"650 ORCONN 127.0.0.1:5000\r\n", "missing connection status"},
      {"650 ORCONN $XYZ CONNECTED\r\n", "bad target"},
      {"650 ORCONN a:1 CLOSED NCIRCS=many\r\n", "NCIRCS"},
      {"650 ORCONN a:1 CLOSED ID=bad-id\r\n", "bad connection ID"},
      {"650 CIRC_BW READ=1 WRITTEN=2\r\n", "missing ID"},
      {"650 CIRC_BW ID=1 WRITTEN=2\r\n", "missing READ"},
      {"650 CIRC_BW ID=1 READ=1 WRITTEN=2 CWND=x\r\n", "CWND"},
      {"650 STREAM_BW 1 2\r\n", "missing bytes read"},
      {"650 CONN_BW ID=1 READ=1 WRITTEN=2\r\n", "missing TYPE"},
      {"650 CONN_BW ID=1 TYPE=OR READ=abc WRITTEN=2\r\n", "READ"},
      {"650 STATUS_CLIENT NOTICE\r\n", "missing action"},
      {"650 STATUS_SERVER\r\n", "missing severity"},
      {"650 STATUS_GENERAL WARN X ARG=\"open\r\n", "unterminated"},
      {"650 NEWDESC\r\n", "no relays"},
      {"650 NEWDESC $1234\r\n", "short fingerprint"},
      {"650 SIGNAL\r\n", "missing signal"},
      {"650 GUARD ENTRY $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7\r\n", "missing guard status"},
      {"650 NETWORK_LIVENESS\r\n", "missing status"},
      {"650 ADDRMAP a.example b.example\r\n", "missing expiry"},
      {"650 HS_DESC REQUESTED abc NO_AUTH\r\n", "missing HSDir"},
      {"650 NS\r\n", "no data block"},
      {"650 CONF_CHANGED extra\r\n", "unexpected text"},
  };
  for (const auto& [wire, expect] : cases) {
    INFO(wire);
    const std::string msg = wire_error(wire);
    CHECK_THAT(msg, Catch::Contains(expect));
    // Every message names the event type it came from.
    const std::string_view type = std::string_view(wire).substr(4);
    CHECK_THAT(msg, Catch::StartsWith(std::string(type.substr(0, type.find_first_of(" \r")))));
  }
}

TEST_CASE("malformed: CONF_CHANGED with a bad option line", "[events][malformed]") {
  CHECK_THAT(wire_error("650-CONF_CHANGED\r\n650-=value\r\n650 OK\r\n"),
             Catch::Contains("bad option name"));
  CHECK_THAT(wire_error("650-CONF_CHANGED\r\n650-Bad Key=1\r\n650 OK\r\n"),
             Catch::Contains("bad option name"));
}

TEST_CASE("malformed: an extra line of a known event with a broken quote", "[events][malformed]") {
  CHECK_THAT(wire_error("650-CIRC 1 BUILT\r\n650-X=\"open\r\n650 OK\r\n"),
             Catch::Contains("unterminated"));
}

TEST_CASE("no input makes parse_event throw: truncations and byte flips of real events",
          "[events][malformed]") {
  // A cheap deterministic stand-in until the fuzzer runs: every prefix of
  // one event of each captured type, and each byte replaced by a few
  // troublesome values.
  const auto client = frame_fixture(std::string(kClient) + "events-raw.txt");
  std::map<std::string, std::string> samples;
  for (const auto& r : client) samples.emplace(std::string(event_type(r)), r.lines[0].text);
  samples.emplace("CONF_CHANGED", "CONF_CHANGED");
  samples.emplace("ORCONN", "ORCONN $2AB6D6690E4C7C39B56B344E076D05AF95F79CB7~a CLOSED NCIRCS=1");
  samples.emplace("ADDRMAP", "ADDRMAP a b \"2024-01-01 00:00:00\" EXPIRES=\"x\"");
  REQUIRE(samples.size() >= 9);
  std::size_t parsed = 0;
  std::size_t errors = 0;
  for (const auto& [type, text] : samples) {
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      for (char sep : {' ', '-', '+'}) {
        Reply r = line_reply(650, sep, text.substr(0, cut), sep == '+' ? "x\n" : "");
        REQUIRE_NOTHROW(parse_event(r));
      }
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
      for (char bad : {'"', '\\', '=', ' ', '$', '~', ',', ':', '\0', '\xff'}) {
        std::string mutated = text;
        mutated[i] = bad;
        EventResult result{ParseError{}};
        REQUIRE_NOTHROW(result = parse_event(line_reply(650, ' ', mutated)));
        (std::holds_alternative<Event>(result) ? parsed : errors) += 1;
      }
    }
  }
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  CHECK(parsed > 0);
  CHECK(errors > 0);
}
