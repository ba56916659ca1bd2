#include "panels/torrc.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "text/text.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

namespace {

using text::lower;

std::string trim(std::string_view s) {
  return std::string(text::trim(s));
}

// Options that may appear several times (tor merges the lines).
bool is_list(const model::ConfigOption& option) {
  return option.type.find("List") != std::string::npos || option.type == "Dependent" ||
         option.type == "Virtual";
}

// Types whose torrc spelling is the same as GETCONF's answer; sizes and
// intervals ("1 MB", "1 hour") are normalised by tor, so not compared.
bool comparable(const model::ConfigOption& option) {
  static const char* kTypes[] = {"Boolean", "Integer", "Port", "String", "Filename", "Autobool"};
  return std::any_of(std::begin(kTypes), std::end(kTypes),
                     [&](const char* t) { return option.type == t; });
}

}  // namespace

std::vector<TorrcLine> analyze_torrc(const model::TorConfig& config) {
  std::map<std::string, const model::ConfigOption*> options;
  for (const model::ConfigOption& o : config.options) options[lower(o.name)] = &o;
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

namespace {

char mark_char(TorrcLine::Mark mark) {
  switch (mark) {
    case TorrcLine::Mark::kNone:
      return ' ';
    case TorrcLine::Mark::kUnknown:
      return '!';
    case TorrcLine::Mark::kRepeated:
      return '=';
    case TorrcLine::Mark::kDiffers:
      return '~';
  }
  return ' ';
}

}  // namespace

// Torrc /etc/tor/torrc (2 marks: ! unknown, = repeated, ~ differs from tor):
//    1   # a comment
//    2   ORPort 9001
//    3 ! OrPrt 9002  unknown option: tor refuses to start with it
void draw_torrc(const model::Snapshot& snapshot, const TorrcView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  const model::TorConfig& config = snapshot.config;
  auto lines = analyze_torrc(config);
  long marks = std::count_if(lines.begin(), lines.end(),
                             [](const TorrcLine& l) { return l.mark != TorrcLine::Mark::kNone; });
  std::string path = config.torrc_path.empty() ? "(path unknown)" : ui::sanitize(config.torrc_path);
  std::string title =
      fmt::format("Torrc {} ({} line{}", path, lines.size(), lines.size() == 1 ? "" : "s");
  if (marks > 0) {
    title += fmt::format(", {} mark{}: ! unknown, = repeated, ~ differs from running tor", marks,
                         marks == 1 ? "" : "s");
  }
  canvas.put(0, 0, ui::ellipsize(title + "):", w), marks > 0 ? Role::kWarning : Role::kTitle);
  if (h < 2) return;
  if (lines.empty()) {
    std::string why = !config.torrc_error.empty()
                          ? "torrc not readable: " + ui::sanitize(config.torrc_error)
                          : "torrc not loaded yet";
    canvas.put(0, 1, ui::ellipsize(why, w), Role::kDim);
    return;
  }
  int digits = static_cast<int>(std::to_string(lines.size()).size());
  int first = std::clamp(view.scroll, 0, std::max(0, static_cast<int>(lines.size()) - 1));
  for (int y = 1; y < h && first + y - 1 < static_cast<int>(lines.size()); ++y) {
    const TorrcLine& l = lines[static_cast<std::size_t>(first + y - 1)];
    int x = canvas.put(0, y, fmt::format("{:>{}} ", l.number, digits), Role::kDim);
    if (x < w) {
      x = canvas.put(x, y, std::string(1, mark_char(l.mark)) + " ",
                     l.mark == TorrcLine::Mark::kUnknown ? Role::kCritical : Role::kWarning);
    }
    auto put = [&](const std::string& text, Role role) {
      if (x < w && !text.empty()) x = canvas.put(x, y, ui::sanitize(text), role);
    };
    put(l.indent, Role::kNormal);
    switch (l.kind) {
      case TorrcLine::Kind::kBlank:
        break;
      case TorrcLine::Kind::kComment:
        put(l.comment, Role::kDim);
        break;
      case TorrcLine::Kind::kInclude:
      case TorrcLine::Kind::kOption:
        put(l.keyword, l.kind == TorrcLine::Kind::kInclude ? Role::kAccent : Role::kLabel);
        put(l.value.empty() ? "" : " " + l.value, Role::kValue);
        put(l.comment.empty() ? "" : " " + l.comment, Role::kDim);
        break;
    }
    if (!l.note.empty() && x + 2 < w) {
      canvas.put(x + 2, y, ui::ellipsize(l.note, w - x - 2),
                 l.mark == TorrcLine::Mark::kUnknown ? Role::kCritical : Role::kWarning);
    }
  }
}

const std::vector<ui::Action>& torrc_actions() {
  static const std::vector<ui::Action> kActions{
      {"scroll", "up/down pgup/pgdn", "scroll the file"},
      {"next mark", "j", "jump to the next marked line"},
  };
  return kActions;
}

Outcome handle_torrc_key(const model::Snapshot& snapshot, TorrcView& view, int key) {
  Outcome out;
  out.handled = true;
  int count = static_cast<int>(snapshot.config->torrc_lines.size());
  auto clamp = [&] { view.scroll = std::clamp(view.scroll, 0, std::max(0, count - 1)); };
  switch (key) {
    case ui::key::kUp:
      --view.scroll;
      break;
    case ui::key::kDown:
      ++view.scroll;
      break;
    case ui::key::kPageUp:
      view.scroll -= 10;
      break;
    case ui::key::kPageDown:
      view.scroll += 10;
      break;
    case ui::key::kHome:
      view.scroll = 0;
      break;
    case ui::key::kEnd:
      view.scroll = count - 1;
      break;
    case 'j': {
      auto lines = analyze_torrc(snapshot.config);
      auto it = std::find_if(lines.begin() + std::min<long>(view.scroll + 1, count), lines.end(),
                             [](const TorrcLine& l) { return l.mark != TorrcLine::Mark::kNone; });
      if (it == lines.end()) {
        out.message = "no more marked lines";
      } else {
        view.scroll = it->number - 1;
      }
      break;
    }
    default:
      out.handled = false;
      break;
  }
  clamp();
  return out;
}

}  // namespace relaymon::panels
