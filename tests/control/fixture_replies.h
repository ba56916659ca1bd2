// Test helper: a captured control-port byte file, framed into replies with
// the real ReplyFramer, so parser tests start from tor's exact bytes.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "control/framing.h"
#include "control/reply.h"

namespace relaymon::control::testing {

// The bytes of tests/fixtures/<relative>, byte-exact.
inline std::string read_fixture(std::string_view relative) {
  const std::string path = std::string(RELAYMON_FIXTURES) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every reply and event in `bytes`; the bytes must frame cleanly and completely.
inline std::vector<Reply> frame(std::string_view bytes) {
  ReplyFramer framer;
  std::vector<Reply> replies;
  const auto err = framer.feed(bytes, replies);
  INFO("framing error: " << (err ? err->message : std::string("none")));
  REQUIRE_FALSE(err.has_value());
  REQUIRE(framer.idle());
  return replies;
}

inline std::vector<Reply> frame_fixture(std::string_view relative) {
  return frame(read_fixture(relative));
}

// The one reply a single-command fixture file holds.
inline Reply single_reply(std::string_view relative) {
  auto replies = frame_fixture(relative);
  REQUIRE(replies.size() == 1);
  return replies.front();
}

constexpr std::string_view kExit = "tor-0.4.9.11-testnet/control/exit-labexit4/";
constexpr std::string_view kClient = "tor-0.4.9.11-testnet/control/client-labclient7/";
constexpr std::string_view kExtra = "tor-0.4.9.11-testnet/control/extra-getinfo/";

}  // namespace relaymon::control::testing
