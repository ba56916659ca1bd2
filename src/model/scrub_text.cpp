#include "model/scrub_text.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "text/text.h"

namespace relaymon::model {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Characters an address (with brackets, port and zone) is made of.
bool address_char(char c) {
  return is_hex(c) || c == ':' || c == '.' || c == '[' || c == ']' || c == '%';
}

bool zone_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-';
}

bool is_ipv4(std::string_view s) {
  if (s.size() < 7 || s.size() > 15) return false;
  char buf[16];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  unsigned char out[4];
  if (inet_pton(AF_INET, buf, out) != 1) return false;
  return out[0] != 0;  // 0.0.0.0/8: no host there, and "0.4.9.11" is a tor version
}

bool is_ipv6(std::string_view s) {
  auto zone = s.find('%');
  if (zone != std::string_view::npos) s = s.substr(0, zone);
  if (s.size() < 2 || s.size() > 45 || s.find(':') == std::string_view::npos) return false;
  char buf[46];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  unsigned char out[16];
  return inet_pton(AF_INET6, buf, out) == 1;
}

bool is_port(std::string_view s) {
  return !s.empty() && s.size() <= 5 && text::to_number<unsigned>(s).value_or(70000) <= 65535;
}

// The length of the address at the start of `run` (a run of address
// characters), with its brackets, zone and ":port", or 0.
std::size_t address_prefix(std::string_view run) {
  if (run.front() == '[') {
    auto close = run.find(']');
    if (close == std::string_view::npos || !is_ipv6(run.substr(1, close - 1))) return 0;
    std::size_t end = close + 1;
    if (end < run.size() && run[end] == ':') {
      std::size_t p = end + 1;
      while (p < run.size() && run[p] >= '0' && run[p] <= '9') ++p;
      if (p > end + 1 && is_port(run.substr(end + 1, p - end - 1))) end = p;
    }
    return end;
  }
  // Longest first: "1:2:3:4:5:6:7:8" is IPv6, "1.2.3.4:80" is IPv4 and a port.
  for (std::size_t n = run.size(); n >= 2; --n) {
    std::string_view candidate = run.substr(0, n);
    if (candidate.back() == '.' || candidate.back() == '[' || candidate.back() == ']') continue;
    if (is_ipv6(candidate)) return n;
    if (is_ipv4(candidate)) {
      if (n < run.size() && run[n] == ':') {
        std::size_t p = n + 1;
        while (p < run.size() && run[p] >= '0' && run[p] <= '9') ++p;
        if (p > n + 1 && is_port(run.substr(n + 1, p - n - 1))) return p;
      }
      return n;
    }
  }
  return 0;
}

// Replaces the addresses in one word of text.
void scrub_addresses_into(std::string_view s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!address_char(s[i])) {
      out += s[i++];
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && address_char(s[end])) ++end;
    // A zone ("%eth0") goes on with letters.
    if (s.substr(i, end - i).find('%') != std::string_view::npos) {
      while (end < s.size() && zone_char(s[end])) ++end;
    }
    std::string_view run = s.substr(i, end - i);
    i = end;
    std::size_t colons = 0, dots = 0;
    for (char c : run) {
      colons += c == ':';
      dots += c == '.';
    }
    if (colons < 2 && dots < 3) {  // no address fits: hex words, fingerprints, times
      out.append(run);
      continue;
    }
    // Try an address at every start inside the run that is not in the
    // middle of a hex word ("OR:203.0.113.5" has it after the colon,
    // "::ffff:1.2.3.4" at the start).
    std::size_t k = 0;
    while (k < run.size()) {
      bool start = k == 0 || (!is_hex(run[k - 1]) && run[k - 1] != '.');
      std::size_t n = start ? address_prefix(run.substr(k)) : 0;
      if (n == 0) {
        out += run[k++];
        continue;
      }
      std::string_view matched = run.substr(k, n);
      std::string port;  // kept: "[scrubbed]:443"
      if (matched.front() == '[') {
        auto close = matched.find(']');
        if (close + 1 < matched.size()) port = std::string(matched.substr(close + 1));
      } else if (matched.find('.') != std::string_view::npos &&
                 matched.find(':') != std::string_view::npos &&
                 matched.find(':') > matched.find('.')) {
        port = std::string(matched.substr(matched.rfind(':')));  // IPv4:port
      }
      out += kScrubbed;
      out += port;
      k += n;
    }
  }
}

bool quote(char c) {
  return c == '"' || c == '\'';
}

// A quoted token that names a host: no blanks, a dot, not a number.
bool hostname_like(std::string_view s) {
  if (s.empty() || s.size() > 255 || s.find('.') == std::string_view::npos) return false;
  for (char c : s) {
    if (text::is_space(c)) return false;
  }
  bool letter = false;
  for (char c : s) letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return letter;
}

bool onion_word(std::string_view word) {
  auto dot = word.rfind(".onion");
  return dot != std::string_view::npos && dot > 0 &&
         (dot + 6 == word.size() || !zone_char(word[dot + 6]));
}

constexpr std::array kSensitive = {
    "SOURCE_ADDR", "SOURCE",     "ADDRESS",   "HOSTNAME",   "SOCKS_USERNAME", "SOCKS_PASSWORD",
    "REND_QUERY",  "HS_ADDRESS", "HSADDRESS", "NEWADDRESS", "DESTINATION",    "CLIENT_ADDRESS"};

}  // namespace

bool sensitive_keyword(std::string_view key) {
  for (std::string_view k : kSensitive) {
    if (text::iequals(key, k)) return true;
  }
  return false;
}

std::string scrub_destination(std::string_view target) {
  auto colon = target.rfind(':');
  auto close = target.find(']');
  bool in_brackets = close != std::string_view::npos && close > colon;
  if (colon == std::string_view::npos || in_brackets || !is_port(target.substr(colon + 1))) {
    return std::string(kScrubbed);
  }
  return std::string(kScrubbed) + std::string(target.substr(colon));
}

std::string scrub_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    // Quoted hostnames: "example.com", 'x.org'.
    if (quote(s[i])) {
      auto close = s.find(s[i], i + 1);
      if (close != std::string_view::npos && hostname_like(s.substr(i + 1, close - i - 1))) {
        out += s[i];
        out += kScrubbed;
        out += s[i];
        i = close + 1;
        continue;
      }
    }
    // A word: KEY=value with a sensitive key, an onion address, or text.
    std::size_t end = i;
    // A word ends at a blank, or at a quote that does not open a KEY="value".
    while (end < s.size() && !text::is_space(s[end]) &&
           !(end > i && quote(s[end]) && s[end - 1] != '=')) {
      ++end;
    }
    if (end == i) {
      out += s[i++];
      continue;
    }
    std::string_view word = s.substr(i, end - i);
    auto eq = word.find('=');
    if (eq != std::string_view::npos && eq > 0 && sensitive_keyword(word.substr(0, eq))) {
      out.append(word.substr(0, eq + 1));
      std::string_view value = word.substr(eq + 1);
      // A quoted value may hold blanks: skip to its closing quote.
      if (!value.empty() && quote(value.front())) {
        auto close = s.find(value.front(), i + eq + 2);
        end = close == std::string_view::npos ? s.size() : close + 1;
      }
      out += kScrubbed;
      i = end;
      continue;
    }
    if (onion_word(word)) {
      auto dot = word.rfind(".onion");
      std::size_t start = dot;
      while (start > 0 && zone_char(word[start - 1])) --start;
      out.append(word.substr(0, start));
      out += kScrubbed;
      out.append(word.substr(dot + 6));
    } else {
      scrub_addresses_into(word, out);
    }
    i = end;
  }
  return out;
}

namespace {

// "example.com", "host.example.com:443", "http://example.com/x": a host of
// dot-separated labels, none empty, the last (the top-level domain)
// letters only; a scheme, a path, a port and trailing punctuation aside.
bool dns_name(std::string_view word) {
  if (auto scheme = word.find("://"); scheme != std::string_view::npos) {
    word = word.substr(scheme + 3);
  }
  word = word.substr(0, word.find('/'));
  while (!word.empty() && std::string_view(",;)\"'").find(word.back()) != std::string_view::npos) {
    word.remove_suffix(1);
  }
  auto colon = word.rfind(':');
  if (colon != std::string_view::npos && is_port(word.substr(colon + 1))) {
    word = word.substr(0, colon);
  }
  auto dot = word.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == word.size()) return false;
  for (char c : word.substr(dot + 1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return word.find("..") == std::string_view::npos;
}

}  // namespace

std::string scrub_token(std::string_view token) {
  std::string out;
  std::size_t i = 0;
  while (i < token.size()) {
    if (text::is_space(token[i])) {
      out += token[i++];
      continue;
    }
    std::size_t end = i;
    while (end < token.size() && !text::is_space(token[end])) ++end;
    std::string_view word = token.substr(i, end - i);
    out += dns_name(word) ? scrub_destination(word) : std::string(word);
    i = end;
  }
  return scrub_text(out);
}

std::string scrub_event_text(std::string_view type, std::string_view raw) {
  // Multi-line events (CONF_CHANGED, NS) become one line.
  std::vector<std::string_view> words;
  text::split_words(raw, words);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string_view word = words[i];
    std::string piece;
    bool target = (type == "STREAM" && i == 3);
    bool mapped = (type == "ADDRMAP" && i < 2) || (type == "HS_DESC" && i == 1);
    if (target) {
      piece = scrub_destination(word);
    } else if (mapped) {
      piece = std::string(kScrubbed);
    } else {
      piece = std::string(word);
    }
    if (!out.empty()) out += ' ';
    out += piece;
  }
  return scrub_text(out);
}

}  // namespace relaymon::model
