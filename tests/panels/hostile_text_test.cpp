// Escape sequences, bidi overrides and invalid UTF-8 in every string field
// of the events tor (or an impostor) can send: the parsers keep them
// verbatim, and ui::sanitize(), which every panel applies before drawing,
// turns each into visible text with no control byte and no invalid UTF-8
// left. (The same strings over a fake control port:
// tests/control/hostile_peer_test.cpp.)
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "control/events.h"
#include "ui/text.h"

using namespace relaymon;

namespace {

// OSC title change with BEL, clear screen, bad bytes, a truncated sequence,
// a right-to-left override; no space, so it stays one token.
const std::string kEvil = "\x1b]0;owned\x07\x1b[2J\xff\xfe\xc3(\xe2\x80\xae";
// The same bytes as a control-spec quoted string (C escapes).
const std::string kEvilQuoted = "\"\\033]0;owned\\007\\033[2J\\377\\376\\303(\\342\\200\\256\"";

control::Reply reply_of(const std::string& wire) {
  control::Reply reply;
  std::size_t start = 0;
  while (start < wire.size()) {
    auto end = wire.find("\r\n", start);
    std::string line = wire.substr(start, end - start);
    start = end + 2;
    control::ReplyLine rl;
    rl.code = std::stoi(line.substr(0, 3));
    rl.separator = line[3];
    rl.text = line.substr(4);
    reply.lines.push_back(rl);
  }
  return reply;
}

bool clean_for_terminal(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    auto d = ui::decode_utf8(text, pos);
    if (!d.valid) return false;
    if (d.code_point < 0x20 || d.code_point == 0x7f ||
        (d.code_point >= 0x80 && d.code_point < 0xa0))
      return false;
    if (d.code_point >= 0x202a && d.code_point <= 0x202e) return false;
    if (d.code_point >= 0x2066 && d.code_point <= 0x2069) return false;
    pos += static_cast<std::size_t>(d.length);
  }
  return true;
}

// The string fields of a parsed event, as the panels would draw them.
std::vector<std::string> strings_of(const control::Event& event) {
  std::vector<std::string> out{event.type, event.raw};
  for (const auto& p : event.args.positional) out.push_back(p);
  for (const auto& kv : event.args.keywords) out.push_back(kv.value);
  if (auto* e = event.get<control::LogEvent>()) out.push_back(e->message);
  if (auto* e = event.get<control::StatusEvent>()) {
    out.push_back(e->action);
    for (const auto& kv : e->arguments) out.push_back(kv.value);
  }
  auto circ = [&](const control::CircEvent& c) {
    for (const auto& r : c.path) out.push_back(r.nickname);
    out.insert(out.end(), {c.purpose, c.hs_state, c.reason, c.remote_reason, c.rend_query});
    if (c.socks_username) out.push_back(*c.socks_username);
  };
  if (auto* e = event.get<control::CircEvent>()) circ(*e);
  if (auto* e = event.get<control::StreamEvent>()) {
    out.insert(out.end(), {e->target.address, e->purpose, e->reason, e->source});
    if (e->socks_password) out.push_back(*e->socks_password);
  }
  if (auto* e = event.get<control::OrConnEvent>())
    out.insert(out.end(), {e->target.raw, e->reason});
  if (auto* e = event.get<control::SignalEvent>()) out.push_back(e->signal);
  if (auto* e = event.get<control::GuardEvent>()) out.insert(out.end(), {e->name, e->status});
  if (auto* e = event.get<control::NetworkStatusEvent>()) out.push_back(e->document);
  if (auto* e = event.get<control::ConfChangedEvent>()) {
    for (const auto& entry : e->entries) out.push_back(entry.value.value_or(""));
  }
  if (auto* e = event.get<control::AddrMapEvent>()) {
    out.insert(out.end(), {e->address, e->new_address, e->error});
  }
  return out;
}

}  // namespace

TEST_CASE("hostile strings in every event field: parsed verbatim, sanitised for the terminal") {
  const std::string fp = "$" + std::string(40, 'A');
  const std::vector<std::string> wires = {
      fmt::format("650 NOTICE {}\r\n", kEvil),
      fmt::format("650 WARN {}\r\n", kEvil),
      fmt::format("650 STATUS_SERVER NOTICE {} ADDRESS={} MSG={}\r\n", kEvil, kEvil, kEvilQuoted),
      fmt::format("650 STATUS_GENERAL WARN CLOCK_SKEW SOURCE={}\r\n", kEvilQuoted),
      fmt::format(
          "650 CIRC 7 BUILT {}~relay PURPOSE={} HS_STATE={} REASON={} SOCKS_USERNAME={}\r\n", fp,
          kEvil, kEvil, kEvil, kEvilQuoted),
      fmt::format("650 STREAM 5 NEW 0 {}:443 PURPOSE={} SOCKS_PASSWORD={}\r\n", kEvil, kEvil,
                  kEvilQuoted),
      fmt::format("650 ORCONN {}~relay CLOSED REASON={} ID=3\r\n", fp, kEvil),
      fmt::format("650 GUARD ENTRY {}~relay {}\r\n", fp, kEvil),
      // GUARD keeps an unparsable peer name as sent.
      fmt::format("650 GUARD ENTRY {}~{} UP\r\n", fp, kEvil),
      fmt::format("650 SIGNAL {}\r\n", kEvil),
      fmt::format("650 ADDRMAP {} {} NEVER error={}\r\n", kEvil, kEvil, kEvil),
      fmt::format("650-CONF_CHANGED\r\n650-Nickname={}\r\n650-ContactInfo={}\r\n650 OK\r\n", kEvil,
                  kEvil),
  };
  for (const auto& wire : wires) {
    INFO(ui::sanitize(wire));
    auto parsed = control::parse_event(reply_of(wire));
    REQUIRE(std::holds_alternative<control::Event>(parsed));
    std::vector<std::string> fields = strings_of(std::get<control::Event>(parsed));
    // Verbatim: the exact hostile bytes survive parsing in some field.
    bool verbatim = false;
    for (const auto& f : fields) verbatim = verbatim || f.find(kEvil) != std::string::npos;
    CHECK(verbatim);
    // Neutralised: nothing the terminal would interpret is left.
    for (const auto& f : fields) {
      std::string shown = ui::sanitize(f);
      CHECK(clean_for_terminal(shown));
      if (f.find(kEvil) != std::string::npos) {
        CHECK_THAT(shown, Catch::Contains("\\x1b") && Catch::Contains("\\xff"));
      }
    }
  }
}

TEST_CASE("hostile nicknames and event names are refused, and the error is safe to show") {
  // A nickname is 1-19 alphanumerics and an event name a keyword: anything
  // else makes the event a parse error, whose message is drawn like any text.
  const std::string fp = "$" + std::string(40, 'A');
  const std::vector<std::string> wires = {
      fmt::format("650 CIRC 7 BUILT {}~{}\r\n", fp, kEvil),
      fmt::format("650 CIRC 7 EXTENDED {}~relay,{}~{}\r\n", fp, fp, kEvil),
      fmt::format("650 ORCONN {}~{} CONNECTED ID=3\r\n", fp, kEvil),
      fmt::format("650 {} {}\r\n", kEvil, kEvil),
  };
  for (const auto& wire : wires) {
    INFO(ui::sanitize(wire));
    auto parsed = control::parse_event(reply_of(wire));
    REQUIRE(std::holds_alternative<control::ParseError>(parsed));
    CHECK(clean_for_terminal(ui::sanitize(std::get<control::ParseError>(parsed).message)));
  }
}

TEST_CASE("ui::sanitize on every single byte and on truncated UTF-8 leaves only printable text") {
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    CHECK(clean_for_terminal(ui::sanitize(one)));
    CHECK(clean_for_terminal(ui::sanitize("a" + one + "\xe2\x80")));
  }
  CHECK(ui::sanitize("relay-é-名") == "relay-é-名");  // printable UTF-8 passes unchanged
}
