// What a system-tool parser could not read. Parsers never throw: a line they
// do not understand is skipped and counted here, so a resolver can tell "the
// tool printed nothing" from "the tool printed something we cannot read".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relaymon::system {

struct ParseDiagnostics {
  std::size_t lines = 0;              // non-empty lines seen (headers included)
  std::size_t skipped = 0;            // lines that were not a header and could not be parsed
  std::vector<std::string> examples;  // the first few skipped lines, truncated

  static constexpr std::size_t kMaxExamples = 5;
  static constexpr std::size_t kMaxExampleLength = 160;

  void skip(std::string_view line) {
    ++skipped;
    if (examples.size() < kMaxExamples) examples.emplace_back(line.substr(0, kMaxExampleLength));
  }
};

}  // namespace relaymon::system
