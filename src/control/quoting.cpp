#include "control/quoting.h"

#include <fmt/format.h>

namespace relaymon::control {

namespace {

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

std::optional<std::string> unquote(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '"') return std::nullopt;
  std::string out;
  out.reserve(quoted.size() - 2);
  std::size_t i = 1;
  while (i < quoted.size()) {
    const char c = quoted[i];
    if (c == '"') {
      // The closing quote must be the last byte.
      if (i + 1 != quoted.size()) return std::nullopt;
      return out;
    }
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= quoted.size()) return std::nullopt;
    const char e = quoted[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      default:
        if (is_octal(e)) {
          // One to three octal digits, as in C; tor never emits more than \377.
          unsigned value = static_cast<unsigned>(e - '0');
          for (int digits = 1; digits < 3 && i < quoted.size() && is_octal(quoted[i]); ++digits) {
            value = value * 8 + static_cast<unsigned>(quoted[i] - '0');
            ++i;
          }
          if (value > 0xff) return std::nullopt;
          out.push_back(static_cast<char>(value));
        } else {
          out.push_back(e);
        }
    }
  }
  return std::nullopt;  // no closing quote
}

std::string quote(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 2);
  out.push_back('"');
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += fmt::format("\\{:03o}", u);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::optional<std::size_t> quoted_length(std::string_view text) {
  if (text.empty() || text.front() != '"') return std::nullopt;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // skip the escaped byte, whatever it is
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::nullopt;
}

bool is_keyword(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

const std::string* ArgList::find(std::string_view key) const {
  for (const auto& kv : keywords) {
    if (iequals(kv.key, key)) return &kv.value;
  }
  return nullptr;
}

std::variant<ArgList, ParseError> tokenize_args(std::string_view text) {
  ArgList args;
  std::size_t count = 0;
  std::size_t i = 0;
  // Reads a quoted string at text[i]; on success advances i past it.
  auto read_quoted = [&](std::string& out) -> std::optional<ParseError> {
    const auto len = quoted_length(text.substr(i));
    if (!len) return ParseError{fmt::format("unterminated quoted string at byte {}", i)};
    auto value = unquote(text.substr(i, *len));
    if (!value) return ParseError{fmt::format("bad escape in quoted string at byte {}", i)};
    if (i + *len < text.size() && !is_space(text[i + *len])) {
      return ParseError{fmt::format("text right after a closing quote at byte {}", i + *len)};
    }
    out = std::move(*value);
    i += *len;
    return std::nullopt;
  };

  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
      continue;
    }
    if (++count > kMaxArgs) return ParseError{fmt::format("more than {} arguments", kMaxArgs)};
    if (text[i] == '"') {
      std::string value;
      if (auto err = read_quoted(value)) return *err;
      args.positional.push_back(std::move(value));
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !is_space(text[end])) ++end;
    const std::string_view token = text.substr(i, end - i);
    const auto eq = token.find('=');
    if (eq == std::string_view::npos || !is_keyword(token.substr(0, eq))) {
      args.positional.emplace_back(token);
      i = end;
      continue;
    }
    KeyValue kv;
    kv.key = std::string(token.substr(0, eq));
    i += eq + 1;
    if (i < text.size() && text[i] == '"') {
      if (auto err = read_quoted(kv.value)) return *err;
    } else {
      kv.value = std::string(text.substr(i, end - i));
      i = end;
    }
    args.keywords.push_back(std::move(kv));
  }
  return args;
}

}  // namespace relaymon::control
