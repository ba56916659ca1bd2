// Control-spec quoted strings and argument lists (control-spec 2.1, 2.1.1,
// 4.1). Tor writes many "QuotedString"s as C strings, so unquote() reads
// \n \t \r and octal \0..\377 as C escapes and any other backslashed
// character as itself, which is what the spec recommends to controllers.
// Pure functions: no allocation beyond the result, never throw on bad input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace relaymon::control {

// Why a reply or event could not be parsed; shown to the user and logged.
struct ParseError {
  std::string message;
};

// `quoted` must be exactly one quoted string: opening quote, content,
// closing quote, nothing after. nullopt if unterminated, if an escape is
// cut off, if an octal escape exceeds \377, or if anything trails.
std::optional<std::string> unquote(std::string_view quoted);

// The quoted form of `raw` for sending to tor: backslash, quote, CR, LF and
// tab escaped by name, other control bytes (and DEL) as three-digit octal.
// unquote(quote(s)) == s for every s.
std::string quote(std::string_view raw);

// Length of the quoted string starting at text[0] == '"' including both
// quotes, or nullopt if it is not terminated. Escapes are skipped, not checked.
std::optional<std::size_t> quoted_length(std::string_view text);

struct KeyValue {
  std::string key;    // as tor sent it (case preserved)
  std::string value;  // unquoted if it was quoted
};

// The arguments of one reply or event line, "POS POS KEY=VALUE KEY=\"v\"".
// Positional arguments and keywords each keep their order; a quoted
// positional argument (ADDRMAP's expiry) is unquoted.
struct ArgList {
  std::vector<std::string> positional;
  std::vector<KeyValue> keywords;

  // First keyword named `key` (ASCII case-insensitive), or nullptr.
  const std::string* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
};

// Bounds that keep a hostile peer from making us build huge vectors.
inline constexpr std::size_t kMaxArgs = 4096;

// Splits `text` on spaces into an ArgList. A token is a keyword when it
// starts with 1*(ALNUM / "_") followed by "="; anything else (e.g.
// "$FP=nick") is positional. Errors: an unterminated or malformed quoted
// string, a closing quote not followed by a space, more than kMaxArgs tokens.
std::variant<ArgList, ParseError> tokenize_args(std::string_view text);

// True for 1*(ALNUM / "_"), the control-spec keyword alphabet.
bool is_keyword(std::string_view s);

}  // namespace relaymon::control
