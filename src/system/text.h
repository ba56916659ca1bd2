// Small allocation-free text helpers of the system-tool parsers (the
// general ones are text/text.h).
// Internal to src/system (not part of the layer's interface).
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text/text.h"

namespace relaymon::system::text {

// Four address bytes (network order) as dotted decimal into `out`, without
// allocating (15 characters fit the small-string buffer). inet_ntop would
// do; this is the hot path of every socket of a poll.
inline void set_ipv4(const unsigned char* bytes, std::string& out) {
  out.clear();
  out.reserve(15);
  for (int k = 0; k < 4; ++k) {
    if (k) out.push_back('.');
    unsigned value = bytes[k];
    char digits[3];
    int n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (n > 0) out.push_back(digits[--n]);
  }
}

// The shared helpers (text/text.h), under the names the parsers use.
using ::relaymon::text::for_each_line;
using ::relaymon::text::is_space;
using ::relaymon::text::starts_with;
using ::relaymon::text::to_double;
using ::relaymon::text::to_number;
using ::relaymon::text::trim;

// Splits on runs of blanks into at most N fields; `rest` keeps what follows
// the last field taken (so a free-text last column survives intact).
template <std::size_t N>
struct Fields {
  std::array<std::string_view, N> at{};
  std::size_t count = 0;
  std::string_view rest;  // remainder after field N-1, leading blanks removed
};

template <std::size_t N>
Fields<N> split(std::string_view line, std::size_t max_fields = N) {
  Fields<N> f;
  if (max_fields > N) max_fields = N;
  std::size_t i = 0;
  while (f.count < max_fields) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i >= line.size()) break;
    std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    f.at[f.count++] = line.substr(start, i - start);
  }
  while (i < line.size() && is_space(line[i])) ++i;
  f.rest = trim(line.substr(i));
  return f;
}

}  // namespace relaymon::system::text
