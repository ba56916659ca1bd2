// Typed events from real tor 0.4.9.11 bytes: the testnet captures (BW,
// CIRC, CIRC_BW, CONN_BW, STREAM, WARN). Hand-written spec samples are in
// events_spec_test.cpp, malformed input in events_malformed_test.cpp.
#include <catch2/catch.hpp>

#include <map>

#include "control/events.h"
#include "event_helpers.h"

using namespace relaymon::control;
using namespace relaymon::control::testing;

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

TEST_CASE("STREAM isolation fields from the client's capture, typed and kept as keywords",
          "[events]") {
  const auto events = parse_all(frame_fixture(std::string(kClient) + "events-raw.txt"));
  // The capture's streams come from two listeners: SOCKS (session group
  // -4, isolated by SOCKS auth and client address) and tor's own (-2).
  std::map<std::int64_t, int> groups;
  for (const auto& e : events) {
    if (e.type != "STREAM") continue;
    REQUIRE(e.args.find("NYM_EPOCH") != nullptr);
    CHECK(*e.args.find("NYM_EPOCH") == "0");
    const auto* s = e.get<StreamEvent>();
    REQUIRE(s != nullptr);
    CHECK(s->nym_epoch == 0u);
    REQUIRE(s->session_group.has_value());
    ++groups[*s->session_group];
    CHECK(*e.args.find("SESSION_GROUP") == std::to_string(*s->session_group));
    if (*s->session_group == -4) {
      CHECK(s->iso_fields == std::vector<std::string>{"SOCKS_USERNAME", "SOCKS_PASSWORD",
                                                      "CLIENTADDR", "SESSION_GROUP", "NYM_EPOCH"});
    } else {
      CHECK(s->iso_fields == std::vector<std::string>{"SESSION_GROUP"});
    }
  }
  CHECK(groups == std::map<std::int64_t, int>{{-4, 939}, {-2, 16}});
}

TEST_CASE("STREAM isolation fields: absent is empty, a bad number is an error", "[events]") {
  const auto plain = parse_wire("650 STREAM 18 SUCCEEDED 26 74.125.227.129:443\r\n");
  const auto* s = plain.get<StreamEvent>();
  REQUIRE(s != nullptr);
  CHECK_FALSE(s->nym_epoch);
  CHECK_FALSE(s->session_group);
  CHECK(s->iso_fields.empty());
  CHECK(wire_error("650 STREAM 1 NEW 0 a.example:80 NYM_EPOCH=x\r\n") ==
        "STREAM event: NYM_EPOCH= is not a number");
  CHECK(wire_error("650 STREAM 1 NEW 0 a.example:80 SESSION_GROUP=-\r\n") ==
        "STREAM event: SESSION_GROUP= is not a number");
  CHECK(wire_error("650 STREAM 1 NEW 0 a.example:80 SESSION_GROUP=99999999999999999999\r\n") ==
        "STREAM event: SESSION_GROUP= is not a number");
  const auto big =
      parse_wire("650 STREAM 1 NEW 0 a.example:80 SESSION_GROUP=-9223372036854775807\r\n");
  CHECK(big.get<StreamEvent>()->session_group == -9223372036854775807LL);
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
