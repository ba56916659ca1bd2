#include "panels/log.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "panels/format.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

int severity_rank(const std::string& severity) {
  int rank = model::log_severity_rank(severity);
  return rank < 0 ? 2 : rank;  // an event name counts as NOTICE
}

ui::Role severity_role(const std::string& severity) {
  switch (severity_rank(severity)) {
    case 0:
    case 1:
      return Role::kDim;
    case 3:
      return Role::kWarning;
    case 4:
      return Role::kCritical;
    default:
      return Role::kNormal;
  }
}

std::vector<LogLine> visible_log(const model::Snapshot& snapshot, const LogView& view) {
  std::vector<LogLine> out;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;  // -> index in out
  for (auto it = snapshot.log.rbegin(); it != snapshot.log.rend(); ++it) {
    const model::LogEntry& e = *it;
    if (view.cleared_at && e.time <= *view.cleared_at) continue;
    if (e.source == model::LogSource::kTor &&
        std::find(view.events.begin(), view.events.end(), e.severity) == view.events.end()) {
      continue;
    }
    if (e.source != model::LogSource::kTor && !view.own) continue;
    if (view.regex && !std::regex_search(e.message, *view.regex)) continue;
    if (view.dedup) {
      auto [pos, inserted] = seen.try_emplace({e.severity, e.message}, out.size());
      if (!inserted) {
        out[pos->second].count += e.repeats;
        continue;
      }
    }
    out.push_back({&e, e.repeats});
  }
  return out;
}

namespace {

std::string_view source_tag(model::LogSource source) {
  switch (source) {
    case model::LogSource::kTor:
      return "";
    case model::LogSource::kRelaymon:
    case model::LogSource::kAlert:
      return "relaymon: ";  // the one mark of relaymon's own lines
  }
  return "";
}

std::string prefix(const LogLine& line) {
  return fmt::format("{} [{}] ", format_clock(line.entry->time),
                     ui::sanitize(line.entry->severity));
}

std::string body(const LogLine& line) {
  std::string text =
      fmt::format("{}{}", source_tag(line.entry->source), ui::sanitize(line.entry->message));
  if (line.count > 1) text += fmt::format(" (x{})", line.count);
  return text;
}

}  // namespace

std::string log_line_text(const LogLine& line) {
  return prefix(line) + body(line);
}

// Log (NOTICE WARN ERR, 12 entries, filter /relay/):
// 12:03:45 [WARN] Your relay has not been reachable for a while ...
//   continuation of a long message
// 12:03:40 [NOTICE] Bootstrapped 100% (done): Done (x2)
void draw_log(const model::Snapshot& snapshot, const LogView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (h < 1) return;
  if (view.chooser.open) {
    draw_event_chooser(view.chooser, offered_events(view.event_names, view.events), canvas);
    return;
  }
  auto lines = visible_log(snapshot, view);
  std::string events;
  for (const auto& e : view.events) events += (events.empty() ? "" : " ") + ui::sanitize(e);
  std::string title =
      fmt::format("Log ({}, {} entr{}{}{}):", events.empty() ? "no tor events" : events,
                  lines.size(), lines.size() == 1 ? "y" : "ies", view.dedup ? ", dedup" : "",
                  view.filter.empty() ? "" : ", filter /" + ui::sanitize(view.filter) + "/");
  if (!view.own) title.insert(title.size() - 2, ", relaymon's own hidden");
  // The entries kept are the newest; these count every one since start
  // (said once tor has warned: a quiet tor keeps the title short).
  if (snapshot.tor.warn_messages + snapshot.tor.err_messages > 0) {
    title.insert(title.size() - 2,
                 fmt::format("; tor since start: {} WARN, {} ERR", snapshot.tor.warn_messages,
                             snapshot.tor.err_messages));
  }
  canvas.put(0, 0, ui::ellipsize(title, w), Role::kTitle);
  if (lines.empty()) {
    if (h > 1) {
      canvas.put(0, 1, ui::fit(snapshot.log.empty() ? "no log entries yet" : "no entries match", w),
                 Role::kDim);
    }
    return;
  }
  int y = 1;
  int first = view.scroll.first_line(static_cast<int>(lines.size()), h - 1);
  for (std::size_t i = static_cast<std::size_t>(first); i < lines.size() && y < h; ++i) {
    const LogLine& line = lines[i];
    std::string head = prefix(line);
    int x = canvas.put(0, y, head, severity_role(line.entry->severity));
    int avail = w - x;
    auto wrapped = ui::wrap(body(line), std::max(1, avail));
    Role role = line.entry->source == model::LogSource::kTor ? severity_role(line.entry->severity)
                                                             : Role::kAccent;
    if (x < w) canvas.put(x, y, ui::fit(wrapped[0], avail), role);
    ++y;
    // Continuation lines are indented by two so entries stay apart.
    std::string rest;
    for (std::size_t k = 1; k < wrapped.size(); ++k) rest += (k > 1 ? " " : "") + wrapped[k];
    if (!rest.empty() && w > 2) {
      for (const std::string& part : ui::wrap(rest, w - 2)) {
        if (y >= h) break;
        canvas.put(2, y++, part, role);
      }
    }
  }
}

void layout_log(const model::Snapshot& snapshot, LogView& view, int /*width*/, int height) {
  // Entries wrap, so a screenful holds at most this many.
  view.scroll.fit_window(static_cast<int>(visible_log(snapshot, view).size()), height - 1);
}

bool set_log_filter(LogView& view, const std::string& pattern, std::string* error) {
  if (pattern.empty()) {
    view.filter.clear();
    view.regex.reset();
    view.scroll = {};
    return true;
  }
  try {
    view.regex = std::make_shared<const std::regex>(
        pattern, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
    view.filter = pattern;
    view.scroll = {};
    return true;
  } catch (const std::regex_error& e) {
    if (error) *error = fmt::format("invalid regex: {}", e.what());
    return false;
  }
}

const std::vector<ui::Action>& log_actions() {
  static const std::vector<ui::Action> kActions{
      {"scroll", "up/down pgup/pgdn", "scroll the log"},
      {"events", "e", "choose the tor events logged (any of events/names)"},
      {"filter", "f", "filter by regular expression (empty clears)"},
      {"dedup", "d", "fold identical messages into one with a count"},
      {"clear", "c", "hide the entries shown so far"},
      {"unclear", "u", "show cleared entries again"},
      {"save", "a", "save the log to a file"},
      {"own lines", "r", "show or hide relaymon's own lines (connections, alerts)"},
  };
  return kActions;
}

Outcome handle_log_key(const model::Snapshot& snapshot, LogView& view, int key) {
  if (view.chooser.open) {
    Outcome chosen = handle_event_chooser_key(
        view.chooser, offered_events(view.event_names, view.events), view.events, key);
    if (chosen.request) view.scroll = {};
    return chosen;
  }
  Outcome out;
  out.handled = true;
  if (view.scroll.scroll(key, static_cast<int>(visible_log(snapshot, view).size()))) return out;
  switch (key) {
    case 'e':
      view.chooser.open = true;
      view.chooser.marked = view.events;
      view.chooser.cursor = {};
      view.chooser.search.clear();
      break;
    case 'f':
      out.prompt = Prompt{Prompt::Purpose::kLogRegex, "regex filter: ", view.filter};
      break;
    case 'd':
      view.dedup = !view.dedup;
      break;
    case 'c':
      if (!snapshot.log.empty()) view.cleared_at = snapshot.log.back().time;
      view.scroll = {};
      out.message = "log cleared (u shows it again)";
      break;
    case 'u':
      view.cleared_at.reset();
      break;
    case 'a':
      out.prompt = Prompt{Prompt::Purpose::kLogSavePath, "save log to: ", ""};
      break;
    case 'r':
      view.own = !view.own;
      view.scroll = {};
      out.message =
          view.own ? "relaymon's own lines shown" : "relaymon's own lines hidden (r shows them)";
      break;
    default:
      out.handled = false;
      break;
  }
  return out;
}

}  // namespace relaymon::panels
