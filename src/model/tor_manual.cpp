#include "model/tor_manual.h"

#include <algorithm>
#include <cctype>

#include "text/text.h"

namespace relaymon::model {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string roff_to_text(std::string_view roff) {
  // The special characters tor's manual uses (groff's \(xx names).
  static const std::pair<std::string_view, std::string_view> kSpecial[] = {
      {"cq", "'"},  {"aq", "'"}, {"oq", "'"}, {"dq", "\""}, {"lq", "\""}, {"rq", "\""},
      {"em", "--"}, {"en", "-"}, {"bu", "*"}, {"ti", "~"},  {"ha", "^"},  {"at", "@"},
  };
  std::string out;
  for (std::size_t i = 0; i < roff.size(); ++i) {
    char c = roff[i];
    if (c != '\\' || i + 1 >= roff.size()) {
      out += c;
      continue;
    }
    char e = roff[++i];
    switch (e) {
      case 'f':  // \fB, \fI, \fR, \fP, \f(CW
        if (i + 1 < roff.size() && roff[i + 1] == '(') {
          i += 3;
        } else {
          ++i;
        }
        break;
      case '&':
      case '}':
        break;
      case '{':
        if (i + 1 < roff.size() && roff[i + 1] == '\\') ++i;  // "\{\"
        break;
      case '-':
        out += '-';
        break;
      case 'e':
      case '\\':
        out += '\\';
        break;
      case ' ':
      case '~':
        out += ' ';
        break;
      case '(': {
        std::string_view name = roff.substr(i + 1, 2);
        for (const auto& [code, text] : kSpecial) {
          if (name == code) out += text;
        }
        i += 2;
        break;
      }
      default:
        break;  // an escape plain text has no use for
    }
  }
  return out;
}

namespace {

bool option_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// "\fBExitPolicy\fR \fIpolicy\fR" -> "ExitPolicy"; "" when not an option.
std::string bold_name(std::string_view line) {
  if (line.substr(0, 3) != "\\fB") return "";
  auto end = line.find("\\f", 3);
  if (end == std::string_view::npos) return "";
  std::string_view name = line.substr(3, end - 3);
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0]))) return "";
  if (!std::all_of(name.begin(), name.end(), option_name_char)) return "";
  return std::string(name);
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

TorManual parse_tor_manual(std::string_view roff) {
  TorManual manual;
  std::vector<std::string_view> lines;
  text::for_each_line(roff, [&](std::string_view line) { lines.push_back(line); });
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (text::trim(lines[i - 1]) != ".PP") continue;
    std::string name = bold_name(lines[i]);
    if (name.empty() || i + 1 >= lines.size() || text::trim(lines[i + 1]).substr(0, 3) != ".RS") {
      continue;
    }
    OptionManual entry;
    entry.usage = collapse_spaces(roff_to_text(lines[i]));
    std::string paragraph;
    for (std::size_t j = i + 2; j < lines.size(); ++j) {
      std::string_view line = lines[j];
      if (text::trim(line).empty()) {
        if (!paragraph.empty()) break;
        continue;
      }
      if (line[0] == '.') {
        // .RE, .PP, .sp end the paragraph; other requests (.if, .br) are skipped.
        std::string_view request = text::trim(line).substr(0, 3);
        if ((request == ".RE" || request == ".PP" || request == ".sp") && !paragraph.empty()) break;
        continue;
      }
      paragraph += roff_to_text(line);
      paragraph += ' ';
    }
    entry.description = collapse_spaces(paragraph);
    // The first entry wins: later mentions are aliases or examples.
    manual.emplace(std::move(name), std::move(entry));
  }
  return manual;
}

}  // namespace relaymon::model
