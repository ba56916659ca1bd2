#include "model/torrc.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "text/text.h"

namespace relaymon::model {

namespace {

using text::lower;

std::string trim(std::string_view s) {
  return std::string(text::trim(s));
}

// Options that may appear several times (tor merges the lines).
bool is_list(const ConfigOption& option) {
  return option.type.find("List") != std::string::npos || option.type == "Dependent" ||
         option.type == "Virtual";
}

// Types whose torrc spelling is the same as GETCONF's answer; sizes and
// intervals ("1 MB", "1 hour") are normalised by tor, so not compared.
bool comparable(const ConfigOption& option) {
  static const char* kTypes[] = {"Boolean", "Integer", "Port", "String", "Filename", "Autobool"};
  return std::any_of(std::begin(kTypes), std::end(kTypes),
                     [&](const char* t) { return option.type == t; });
}

}  // namespace

std::vector<TorrcLine> analyze_torrc(const TorConfig& config) {
  std::map<std::string, const ConfigOption*> options;
  for (const ConfigOption& o : config.options) options[lower(o.name)] = &o;
  std::map<std::string, int> seen;  // lower-case keyword -> first line
  std::vector<TorrcLine> out;
  int number = 0;
  for (const std::string& raw : config.torrc_lines) {
    TorrcLine line;
    line.number = ++number;
    std::string_view text = raw;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    auto start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
      out.push_back(line);
      continue;
    }
    line.indent = std::string(text.substr(0, start));
    text.remove_prefix(start);
    if (text.front() == '#') {
      line.kind = TorrcLine::Kind::kComment;
      line.comment = std::string(text);
      out.push_back(line);
      continue;
    }
    auto hash = text.find('#');
    if (hash != std::string_view::npos) {
      line.comment = std::string(text.substr(hash));
      text = text.substr(0, hash);
    }
    auto space = text.find_first_of(" \t");
    line.keyword = std::string(text.substr(0, space));
    line.value = space == std::string_view::npos ? "" : trim(text.substr(space));
    if (lower(line.keyword) == "%include") {
      // Included files are tor's to read; relaymon does not follow them.
      line.kind = TorrcLine::Kind::kInclude;
      out.push_back(line);
      continue;
    }
    line.kind = TorrcLine::Kind::kOption;
    if (!options.empty()) {
      std::string key = lower(line.keyword);
      auto it = options.find(key);
      if (it == options.end()) {
        line.mark = TorrcLine::Mark::kUnknown;
        line.note = "unknown option: tor refuses to start with it";
      } else if (auto prev = seen.find(key); prev != seen.end() && !is_list(*it->second)) {
        line.mark = TorrcLine::Mark::kRepeated;
        line.note = fmt::format("also on line {}: tor uses the last one", prev->second);
      } else if (comparable(*it->second) &&
                 lower(line.value) != lower(it->second->values.empty()
                                                ? std::string()
                                                : it->second->values.back())) {
        line.mark = TorrcLine::Mark::kDiffers;
        line.note =
            fmt::format("running tor uses \"{}\"",
                        it->second->values.empty() ? std::string() : it->second->values.back());
      }
      seen.try_emplace(key, line.number);
    }
    out.push_back(line);
  }
  return out;
}

void analyze_torrc_into(TorConfig& config) {
  config.torrc = analyze_torrc(config);
}

}  // namespace relaymon::model
