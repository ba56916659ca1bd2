// Text helpers every layer shares: splitting, trimming, case, numbers.
// The one home for them (issue 10): a layer that needs one of these
// includes "text/text.h" instead of writing its own. Views returned point
// into the argument.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace relaymon::text {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
// ASCII only: tor's keywords, option and event names are ASCII.
std::string lower(std::string_view s);
std::string upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);

// Calls fn(line) for each "\n"-separated line, a trailing "\r" removed. When
// fn returns bool, false stops the walk.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if constexpr (std::is_same_v<std::invoke_result_t<Fn, std::string_view>, bool>) {
      if (!fn(line)) return;
    } else {
      fn(line);
    }
  }
}

// Lines as strings; with skip_empty, blank lines are left out.
std::vector<std::string> split_lines(std::string_view text, bool skip_empty = true);
// Splits on any whitespace: "NOTICE WARN\nERR" -> {"NOTICE", "WARN", "ERR"}.
std::vector<std::string> split_words(std::string_view text);
// The same into views (cleared first), without allocating strings.
void split_words(std::string_view text, std::vector<std::string_view>& out);

std::string join(const std::vector<std::string>& words, std::string_view separator = " ");

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

// A TCP/UDP port: 1-65535 (0 too with allow_zero).
inline std::optional<std::uint16_t> to_port(std::string_view s, bool allow_zero = false) {
  auto v = to_number<unsigned>(s);
  if (!v || *v > 65535 || (*v == 0 && !allow_zero)) return std::nullopt;
  return static_cast<std::uint16_t>(*v);
}

}  // namespace relaymon::text
