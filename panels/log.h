// The log page: tor's events, relaymon's own messages and alerts, newest
// first, with the events chosen from tor's events/names (log_events.h), a
// regex filter, de-duplication and a clear that only hides (the snapshot
// keeps everything).
#pragma once

#include <memory>
#include <optional>
// GCC 12 reports a false -Wmaybe-uninitialized inside <regex> when built
// with sanitizers (RELAYMON_SANITIZE); the library code is not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <regex>
#pragma GCC diagnostic pop
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/log_events.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct LogView {
  // tor's entries shown: log severities ("NOTICE") and other events
  // ("CIRC", logged with the event name as severity).
  std::vector<std::string> events = default_log_events();
  bool own = true;  // relaymon's own lines (connections, alerts), `r` hides them
  std::vector<std::string> event_names;  // tor's events/names (the app fills it)
  EventChooser chooser;
  bool dedup = true;   // fold identical messages into one with a count
  std::string filter;  // the regex as typed, empty for none
  std::shared_ptr<const std::regex> regex;
  std::optional<model::TimePoint> cleared_at;  // entries up to here are hidden
  ui::ListCursor scroll;                       // top: entries skipped from the newest
};

using model::log_severities;                     // DEBUG, INFO, NOTICE, WARN, ERR
int severity_rank(const std::string& severity);  // unknown counts as NOTICE
ui::Role severity_role(const std::string& severity);

struct LogLine {
  const model::LogEntry* entry;
  long count;  // repeats folded into this line
};
// The entries the view shows, newest first.
std::vector<LogLine> visible_log(const model::Snapshot& snapshot, const LogView& view);

// "12:03:45 [NOTICE] message (x3)" as one line, sanitised.
std::string log_line_text(const LogLine& line);

void draw_log(const model::Snapshot& snapshot, const LogView& view, ui::Canvas& canvas);
void layout_log(const model::Snapshot& snapshot, LogView& view, int width, int height);

// Sets (or with an empty pattern clears) the regex filter; false and an
// error message when the pattern is not a valid regex.
bool set_log_filter(LogView& view, const std::string& pattern, std::string* error);

const std::vector<ui::Action>& log_actions();
Outcome handle_log_key(const model::Snapshot& snapshot, LogView& view, int key);

}  // namespace relaymon::panels
