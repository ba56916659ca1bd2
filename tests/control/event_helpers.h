// Test helpers for event parsing: parse framed wire bytes, fetch payloads.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "control/events.h"
#include "fixture_replies.h"

namespace relaymon::control::testing {

inline Event parse_ok(const Reply& reply) {
  auto result = parse_event(reply);
  if (auto* err = std::get_if<ParseError>(&result)) FAIL("parse failed: " << err->message);
  return std::get<Event>(std::move(result));
}

// `wire` is one event as tor sends it, CRLFs included.
inline Event parse_wire(std::string_view wire) {
  auto replies = frame(wire);
  REQUIRE(replies.size() == 1);
  return parse_ok(replies.front());
}

inline std::string error_of(const Reply& reply) {
  auto result = parse_event(reply);
  const auto* err = std::get_if<ParseError>(&result);
  REQUIRE(err != nullptr);
  CHECK_FALSE(err->message.empty());
  return err->message;
}

inline std::string wire_error(std::string_view wire) {
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

inline std::vector<Event> parse_all(const std::vector<Reply>& replies) {
  std::vector<Event> out;
  for (const auto& r : replies) out.push_back(parse_ok(r));
  return out;
}

inline Reply line_reply(int code, char sep, std::string text, std::string data = {}) {
  Reply r;
  r.lines.push_back(ReplyLine{code, sep, std::move(text), std::move(data)});
  return r;
}

}  // namespace relaymon::control::testing
