#include "text/utf8.h"

#include <fmt/format.h>

namespace relaymon::text {

Decoded decode_utf8(std::string_view text, std::size_t pos) {
  Decoded bad;
  if (pos >= text.size()) return bad;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) return {b0, 1, true};
  int length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return bad;
  }
  if (pos + static_cast<std::size_t>(length) > text.size()) return bad;
  for (int i = 1; i < length; ++i) {
    unsigned char b = byte(pos + static_cast<std::size_t>(i));
    if ((b & 0xC0) != 0x80) return bad;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return bad;
  return {cp, length, true};
}

namespace {

std::string encode(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF) return out;
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp <= 0x10FFFF) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

void append_utf8(std::string& out, char32_t code_point) {
  out += encode(code_point);
}

std::size_t insert_utf8(std::string& out, std::size_t pos, char32_t code_point) {
  std::string bytes = encode(code_point);
  out.insert(pos, bytes);
  return bytes.size();
}

std::size_t previous_code_point(std::string_view text, std::size_t pos) {
  if (pos == 0) return 0;
  --pos;
  while (pos > 0 && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

std::size_t next_code_point(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return text.size();
  return pos + static_cast<std::size_t>(decode_utf8(text, pos).length);
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    Decoded d = decode_utf8(text, pos);
    if (!d.valid) return false;
    pos += static_cast<std::size_t>(d.length);
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t pos = 0; pos < text.size();) {
    Decoded d = decode_utf8(text, pos);
    if (d.valid) {
      out.append(text.substr(pos, static_cast<std::size_t>(d.length)));
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
    }
    pos += static_cast<std::size_t>(d.length);
  }
  return out;
}

}  // namespace relaymon::text

namespace relaymon::text {

namespace {

bool is_bidi_override(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
         c == 0x200F || c == 0x061C;
}

bool is_control(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

}  // namespace

std::string printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    Decoded d = decode_utf8(text, pos);
    if (!d.valid) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[pos]));
    } else if (keep_newlines && (d.code_point == '\n' || d.code_point == '\t')) {
      out += static_cast<char>(d.code_point);
    } else if (is_control(d.code_point)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(d.code_point));
    } else if (is_bidi_override(d.code_point)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(d.code_point));
    } else {
      out.append(text.substr(pos, static_cast<std::size_t>(d.length)));
    }
    pos += static_cast<std::size_t>(d.length);
  }
  return out;
}

std::string json_printable(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t pos = 0; pos < json.size();) {
    Decoded d = decode_utf8(json, pos);
    if (!d.valid) {
      append_utf8(out, 0xFFFD);
    } else if (d.code_point >= 0x7F &&
               (is_control(d.code_point) || is_bidi_override(d.code_point))) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(d.code_point));
    } else {
      out.append(json.substr(pos, static_cast<std::size_t>(d.length)));
    }
    pos += static_cast<std::size_t>(d.length);
  }
  return out;
}

}  // namespace relaymon::text
