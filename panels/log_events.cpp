#include "panels/log_events.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/snapshot.h"
#include "ui/keys.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

namespace {

// Log severities first (0-4), then the events (5).
int severity_index(const std::string& name) {
  int rank = model::log_severity_rank(name);
  return rank < 0 ? 5 : rank;
}

// Log severities first, in rising order, then the other events by name.
bool event_order(const std::string& a, const std::string& b) {
  int ia = severity_index(a);
  int ib = severity_index(b);
  return ia != ib ? ia < ib : a < b;
}

// Names in columns, top to bottom then left to right.
struct Grid {
  int columns = 1;
  int rows = 0;
  int cell = 1;  // width of one column, spacing included
};

Grid grid_for(const std::vector<std::string>& offered, int width) {
  Grid g;
  std::size_t longest = 0;
  for (const auto& n : offered) longest = std::max(longest, n.size());
  g.cell = static_cast<int>(longest) + 6;  // "[x] " + name + two spaces
  g.columns = std::max(1, (width + 2) / g.cell);
  int n = static_cast<int>(offered.size());
  g.rows = (n + g.columns - 1) / g.columns;
  return g;
}

}  // namespace

const std::vector<std::string>& default_log_events() {
  static const std::vector<std::string> kDefault{"NOTICE", "WARN", "ERR"};
  return kDefault;
}

// tor 0.4.9's events/names, for the moment before tor has answered.
const std::vector<std::string>& fallback_event_names() {
  static const std::vector<std::string> kNames{"ADDRMAP",
                                               "BW",
                                               "BUILDTIMEOUT_SET",
                                               "CIRC",
                                               "CIRC_BW",
                                               "CIRC_MINOR",
                                               "CONF_CHANGED",
                                               "DEBUG",
                                               "ERR",
                                               "GUARD",
                                               "INFO",
                                               "NETWORK_LIVENESS",
                                               "NEWCONSENSUS",
                                               "NEWDESC",
                                               "NOTICE",
                                               "NS",
                                               "ORCONN",
                                               "SIGNAL",
                                               "STATUS_CLIENT",
                                               "STATUS_GENERAL",
                                               "STATUS_SERVER",
                                               "STREAM",
                                               "STREAM_BW",
                                               "WARN"};
  return kNames;
}

bool is_log_severity(const std::string& event) {
  return severity_index(event) < 5;
}

std::vector<std::string> offered_events(const std::vector<std::string>& names,
                                        const std::vector<std::string>& chosen) {
  std::vector<std::string> out = names.empty() ? fallback_event_names() : names;
  out.insert(out.end(), chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end(), event_order);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string_view event_description(std::string_view event) {
  // Summaries of tor's control-spec (section "Asynchronous events").
  static const std::pair<std::string_view, std::string_view> kEvents[] = {
      {"DEBUG", "tor's debug log messages (very many)"},
      {"INFO", "tor's informational log messages (many)"},
      {"NOTICE", "tor's notices: what an operator normally reads"},
      {"WARN", "tor's warnings: something may be wrong"},
      {"ERR", "tor's errors: something failed"},
      {"ADDRMAP", "an address mapping was made (DNS answers, MAPADDRESS)"},
      {"BUILDTIMEOUT_SET", "the circuit build timeout was learned or changed"},
      {"BW", "bytes read and written in the last second"},
      {"CELL_STATS", "cells per circuit (needs TestingEnableCellStatsEvent)"},
      {"CIRC", "a circuit was launched, built, extended, failed or closed"},
      {"CIRC_BW", "bytes per circuit since the last event"},
      {"CIRC_MINOR", "a circuit's purpose or state changed in a minor way"},
      {"CLIENTS_SEEN", "a bridge's client counts by country"},
      {"CONF_CHANGED", "options changed (SETCONF, RELOAD)"},
      {"CONN_BW", "bytes per OR connection since the last event"},
      {"DESCCHANGED", "this relay's own descriptor changed"},
      {"GOT_SIGNAL", "tor received a signal"},
      {"GUARD", "a guard was added, dropped or changed state"},
      {"HS_DESC", "onion service descriptors fetched or uploaded"},
      {"HS_DESC_CONTENT", "the content of fetched onion service descriptors"},
      {"NETWORK_LIVENESS", "tor thinks the network went up or down"},
      {"NEWCONSENSUS", "a new consensus arrived (every relay in it)"},
      {"NEWDESC", "new relay descriptors arrived"},
      {"NS", "relays' consensus entries changed"},
      {"ORCONN", "a connection to or from a relay opened, failed or closed"},
      {"SIGNAL", "tor acted on a signal (RELOAD, NEWNYM, ...)"},
      {"STATUS_CLIENT", "client status: bootstrap, circuits, dangerous ports"},
      {"STATUS_GENERAL", "general status: clock skew, versions, too many connections"},
      {"STATUS_SERVER", "relay status: reachability, descriptors, DNS, hibernation"},
      {"STREAM", "a stream (a user's TCP connection) opened, failed or closed"},
      {"STREAM_BW", "bytes per stream since the last event"},
      {"TRANSPORT_LAUNCHED", "a pluggable transport was launched"},
  };
  for (const auto& [name, text] : kEvents) {
    if (name == event) return text;
  }
  return {};
}

// +- Log events: space toggles, enter applies, esc cancels ------+
// | chosen: NOTICE WARN ERR CIRC                                 |
// | [ ] DEBUG          [x] ERR            [ ] BW                 |
// | ...                                                          |
// +- type a name to jump to it ----------------------------------+
void draw_event_chooser(const EventChooser& chooser, const std::vector<std::string>& offered,
                        ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  canvas.fill(0, 0, w, h, Role::kNormal);
  if (w < 12 || h < 5) {
    canvas.put(0, 0, ui::fit("log events: window too small", w), Role::kDim);
    return;
  }
  canvas.box(0, 0, w, h, Role::kDim);
  canvas.put(2, 0, ui::fit(" Log events: space toggles, enter applies, esc cancels ", w - 4),
             Role::kTitle);
  // The footer says what the event under the cursor is.
  std::string footer = fmt::format(" jump: {} ", ui::sanitize(chooser.search));
  if (chooser.search.empty()) {
    footer = " type a name to jump to it ";
    if (!offered.empty()) {
      const std::string& name = offered[static_cast<std::size_t>(
          chooser.cursor.clamped(static_cast<int>(offered.size())))];
      std::string_view what = event_description(name);
      if (!what.empty()) footer = fmt::format(" {}: {} ", ui::sanitize(name), what);
    }
  }
  canvas.put(2, h - 1, ui::fit(footer, w - 4), Role::kDim);
  ui::Region inner(canvas, 2, 1, w - 4, h - 2);
  std::string chosen;
  for (const auto& e : chooser.marked) chosen += (chosen.empty() ? "" : " ") + ui::sanitize(e);
  int x = inner.put(0, 0, "chosen: ", Role::kLabel);
  inner.put(x, 0, ui::ellipsize(chosen.empty() ? "(none)" : chosen, inner.width() - x),
            Role::kValue);
  Grid g = grid_for(offered, inner.width());
  int visible = inner.height() - 1;
  if (visible < 1 || offered.empty()) return;
  int selected = chooser.cursor.clamped(static_cast<int>(offered.size()));
  int cursor_row = selected % std::max(1, g.rows);
  int first = std::max(0, cursor_row - visible + 1);
  for (int r = 0; r < visible && first + r < g.rows; ++r) {
    for (int c = 0; c < g.columns; ++c) {
      std::size_t i = static_cast<std::size_t>(c * g.rows + first + r);
      if (i >= offered.size()) continue;
      bool on = std::find(chooser.marked.begin(), chooser.marked.end(), offered[i]) !=
                chooser.marked.end();
      std::string text = fmt::format("[{}] {}", on ? 'x' : ' ', ui::sanitize(offered[i]));
      bool at_cursor = static_cast<int>(i) == selected;
      int col_x = c * g.cell;
      if (col_x >= inner.width()) break;
      inner.put(col_x, 1 + r, ui::fit(text, inner.width() - col_x),
                at_cursor ? Role::kSelection : (on ? Role::kValue : Role::kNormal));
    }
  }
}

Outcome handle_event_chooser_key(EventChooser& chooser, const std::vector<std::string>& offered,
                                 std::vector<std::string>& chosen, int key) {
  Outcome out;
  out.handled = true;
  int n = static_cast<int>(offered.size());
  // Left and right step through the names too (the grid reads down, then across).
  int motion = key == ui::key::kLeft ? ui::key::kUp : key == ui::key::kRight ? ui::key::kDown : key;
  if (chooser.cursor.move(motion, n)) {
    chooser.search.clear();
    return out;
  }
  switch (key) {
    case ' ': {
      chooser.search.clear();
      if (n == 0) break;
      const std::string& name = offered[static_cast<std::size_t>(chooser.cursor.clamped(n))];
      auto it = std::find(chooser.marked.begin(), chooser.marked.end(), name);
      if (it == chooser.marked.end()) {
        chooser.marked.push_back(name);
        std::sort(chooser.marked.begin(), chooser.marked.end(), event_order);
      } else {
        chooser.marked.erase(it);
      }
      break;
    }
    case ui::key::kEnter: {
      chosen = chooser.marked;
      chooser.open = false;
      std::string list;
      for (const auto& e : chosen) list += (list.empty() ? "" : " ") + e;
      out.request = Request{Request::Kind::kLogEvents, list};
      out.message =
          chosen.empty() ? "the log shows no tor events now" : fmt::format("log events: {}", list);
      break;
    }
    case ui::key::kEscape:
      chooser.open = false;
      out.message = "log events unchanged";
      break;
    case ui::key::kBackspace:
      if (!chooser.search.empty()) chooser.search.pop_back();
      break;
    default: {
      bool name_char = (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z') ||
                       (key >= '0' && key <= '9') || key == '_';
      if (!name_char) break;
      std::string wanted = chooser.search;
      wanted += static_cast<char>(key >= 'a' && key <= 'z' ? key - 'a' + 'A' : key);
      for (int i = 0; i < n; ++i) {
        if (offered[static_cast<std::size_t>(i)].rfind(wanted, 0) == 0) {
          chooser.cursor.selected = i;
          chooser.search = wanted;
          return out;
        }
      }
      out.message = fmt::format("no event starts with {}", ui::sanitize(wanted));
      break;
    }
  }
  return out;
}

}  // namespace relaymon::panels
