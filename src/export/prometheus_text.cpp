#include "export/prometheus_text.h"

#include "text/utf8.h"

namespace relaymon::exporter {

std::string prometheus_label_value(std::string_view raw) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  out.reserve(raw.size());
  for (std::size_t pos = 0; pos < raw.size();) {
    text::Decoded d = text::decode_utf8(raw, pos);
    if (!d.valid) {
      out += kReplacement;
    } else if (d.code_point == '\\') {
      out += "\\\\";
    } else if (d.code_point == '"') {
      out += "\\\"";
    } else if (d.code_point == '\n') {
      out += "\\n";
    } else if (d.code_point < 0x20 || d.code_point == 0x7F ||
               (d.code_point >= 0x80 && d.code_point < 0xA0)) {  // C0, DEL, C1
      out += kReplacement;
    } else {
      out.append(raw.substr(pos, static_cast<std::size_t>(d.length)));
    }
    pos += static_cast<std::size_t>(d.length);
  }
  return out;
}

}  // namespace relaymon::exporter
