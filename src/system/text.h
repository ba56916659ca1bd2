// Small allocation-free text helpers shared by the system-tool parsers.
// Internal to src/system (not part of the layer's interface).
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Calls fn(line) for every line, without the "\n" or a trailing "\r".
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
    pos = end + 1;
  }
}

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

template <typename T>
std::optional<T> to_number(std::string_view s, int base = 10) {
  T value{};
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

inline std::optional<double> to_double(std::string_view s) {
  double value{};
  if (s.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace relaymon::system::text
