// Test helpers for the model: captured control-port replies framed by the
// real ReplyFramer, and the value of one GETINFO key out of them.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "control/framing.h"
#include "control/reply.h"

namespace relaymon::model::testing {

inline const std::string kTestnet = "tor-0.4.9.11-testnet/";

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(RELAYMON_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  INFO("fixture " << path);
  REQUIRE(in.good());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The value of the first GETINFO key in a captured reply: the data block of
// a "250+key=" line, or the text after '=' of a "250-key=value" line.
inline std::string getinfo_value(const std::string& relative) {
  control::ReplyFramer framer;
  std::vector<control::Reply> replies;
  auto err = framer.feed(read_fixture(relative), replies);
  REQUIRE_FALSE(err.has_value());
  REQUIRE(replies.size() == 1);
  REQUIRE(replies[0].ok());
  const control::ReplyLine& line = replies[0].lines.front();
  if (line.separator == '+') return line.data;
  auto eq = line.text.find('=');
  REQUIRE(eq != std::string::npos);
  return line.text.substr(eq + 1);
}

}  // namespace relaymon::model::testing
