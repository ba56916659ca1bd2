#include "app/tui_events.h"

#include "ui/text.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace relaymon::app {

namespace {

constexpr std::string_view kScrubbed = "[scrubbed]";

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The length of an IPv4 address at text[i] ("d.d.d.d", each 1-3 digits),
// or 0. Not preceded by a digit or a dot, so "1.2.3.4.5" parts and
// version numbers such as "0.4.9.11" (four parts, but in a word) are seen
// whole: the caller only asks at the start of a run.
std::size_t ipv4_at(std::string_view text, std::size_t i) {
  std::size_t p = i;
  for (int part = 0; part < 4; ++part) {
    std::size_t digits = 0;
    while (p < text.size() && is_digit(text[p]) && digits < 4) {
      ++p;
      ++digits;
    }
    if (digits == 0 || digits > 3) return 0;
    if (part < 3) {
      if (p >= text.size() || text[p] != '.') return 0;
      ++p;
    }
  }
  return p - i;
}

// The length of an IPv6 address at text[i]: hex digits and colons (a
// trailing ":port" included), with "::", or a hex letter and at least two
// colons, or at least four colons, so clock times ("10:00:00.5") are not
// taken for addresses.
std::size_t ipv6_at(std::string_view text, std::size_t i) {
  std::size_t p = i;
  int colons = 0;
  bool letter = false;
  bool double_colon = false;
  while (p < text.size() && (is_hex(text[p]) || text[p] == ':' || text[p] == '.')) {
    if (text[p] == ':') {
      ++colons;
      if (p > i && text[p - 1] == ':') double_colon = true;
    } else if (!is_digit(text[p]) && text[p] != '.') {
      letter = true;
    }
    ++p;
  }
  if (colons >= 4 || double_colon || (letter && colons >= 2)) return p - i;
  return 0;
}

// Replaces every IPv4 and IPv6 address in a token; "[2001:db8::1]:443" and
// "192.0.2.7:9001" keep their brackets and ports.
std::string scrub_addresses(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool word_start = i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                  text[i - 1] == '.' || text[i - 1] == ':');
    if (word_start && (is_hex(text[i]) || text[i] == ':')) {
      if (std::size_t n = ipv6_at(text, i)) {
        out += kScrubbed;
        i += n;
        continue;
      }
      if (std::size_t n = ipv4_at(text, i)) {
        out += kScrubbed;
        i += n;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// A SOCKS username or source address identifies a user of this tor.
bool secret_keyword(std::string_view token) {
  for (std::string_view key : {"SOURCE_ADDR=", "SOCKS_USERNAME=", "SOCKS_PASSWORD=", "SOURCE="}) {
    if (token.substr(0, key.size()) == key) return true;
  }
  return false;
}

}  // namespace

std::string scrub_event_text(std::string_view type, std::string_view raw) {
  // Multi-line events (CONF_CHANGED, NS) become one line.
  std::string flat(raw);
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  std::replace(flat.begin(), flat.end(), '\r', ' ');
  std::vector<std::string> words = ui::split_words(flat);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string word = words[i];
    // STREAM id status circuit TARGET ...; ADDRMAP ADDRESS NEWADDRESS ...
    bool target = (type == "STREAM" && i == 3) || (type == "ADDRMAP" && i < 2);
    if (target) {
      auto colon = word.rfind(':');
      bool port = type == "STREAM" && colon != std::string::npos;
      word = port ? fmt::format("{}{}", kScrubbed, word.substr(colon)) : std::string(kScrubbed);
    } else if (secret_keyword(word)) {
      word = fmt::format("{}={}", word.substr(0, word.find('=')), kScrubbed);
    } else {
      word = scrub_addresses(word);
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

model::LogEntry event_log_entry(const control::Event& event, model::TimePoint now) {
  model::LogEntry entry;
  entry.time = now;
  entry.severity = event.type;
  entry.message = scrub_event_text(event.type, event.raw);
  entry.source = model::LogSource::kTor;
  return entry;
}

}  // namespace relaymon::app
