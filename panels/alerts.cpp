#include "panels/alerts.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "panels/format.h"
#include "ui/table.h"
#include "ui/text.h"

namespace relaymon::panels {

using model::Alert;
using model::Severity;
using ui::Role;

std::string alert_key(const Alert& alert) {
  return alert.id + '\n' + alert.subject;
}

bool is_acknowledged(const AlertsView& view, const Alert& alert) {
  auto it = view.acknowledged.find(alert_key(alert));
  return alert.active && it != view.acknowledged.end() &&
         it->second.first_seen == alert.first_seen && alert.severity <= it->second.severity;
}

std::array<long, 3> acknowledged_counts(const model::Snapshot& snapshot, const AlertsView& view) {
  std::array<long, 3> counts{0, 0, 0};
  if (view.acknowledged.empty()) return counts;
  for (const Alert& a : snapshot.alerts) {
    if (is_acknowledged(view, a)) ++counts[static_cast<std::size_t>(a.severity)];
  }
  return counts;
}

ui::Role alert_role(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return Role::kCritical;
    case Severity::kWarning:
      return Role::kWarning;
    case Severity::kInfo:
      return Role::kValue;
  }
  return Role::kValue;
}

AlertList visible_alerts(const model::Snapshot& snapshot, const AlertsView& view) {
  AlertList out;
  std::vector<const Alert*> cleared;
  for (const Alert& a : snapshot.alerts) {
    if (!a.active) {
      if (view.show_cleared) cleared.push_back(&a);
    } else if (is_acknowledged(view, a)) {
      ++out.hidden;
    } else {
      out.items.push_back(&a);
    }
  }
  std::stable_sort(out.items.begin(), out.items.end(), [](const Alert* a, const Alert* b) {
    if (a->severity != b->severity) return a->severity > b->severity;
    return a->last_seen > b->last_seen;
  });
  std::stable_sort(cleared.begin(), cleared.end(),
                   [](const Alert* a, const Alert* b) { return a->last_seen > b->last_seen; });
  out.active = out.items.size();
  out.items.insert(out.items.end(), cleared.begin(), cleared.end());
  return out;
}

namespace {

// The rule column as wide as the longest rule id listed; the subject
// takes the rest and is cut in the middle, so subjects sharing a long
// start ("inbound-relay 127.0.0.1:...") stay told apart.
std::vector<ui::Column> columns(int rule_width) {
  return {
      {"severity", 8, 0},
      {"subject", 14, 0, false, true, true},
      {"rule", std::clamp(rule_width, 4, 24), 2},
      {"count", 6, 3, true},
      {"last seen", 10, 1, true},
  };
}

// "host 3fa21c (inbound-client, DE)" -> "3fa21c".
std::string host_tag_of(const std::string& subject) {
  if (subject.rfind("host ", 0) != 0) return "";
  return subject.substr(5, subject.find(' ', 5) - 5);
}

struct DetailLine {
  std::string text;
  Role role;
};

// The selected alert's details, wrapped to the width.
std::vector<DetailLine> detail_lines(const model::Snapshot& snapshot, const Alert& a, int w,
                                     const std::map<std::string, std::string>& revealed) {
  std::vector<DetailLine> out;
  auto para = [&](const std::string& text, Role role) {
    for (std::string& l : ui::wrap(text, w)) out.push_back({std::move(l), role});
  };
  para(fmt::format("{}: {} (first seen {} ago, {} time{})", ui::sanitize(a.id),
                   ui::sanitize(a.subject),
                   format_duration(seconds_between(a.first_seen, snapshot.taken)), a.count,
                   a.count == 1 ? "" : "s"),
       alert_role(a.severity));
  if (!a.evidence.empty()) {
    std::string evidence = "Evidence:";
    for (const auto& [name, value] : a.evidence) {
      evidence += fmt::format(" {}={}", ui::sanitize(name), ui::sanitize(value));
    }
    para(evidence, Role::kValue);
  }
  if (!a.explanation.empty()) {
    para("What it means: " + ui::sanitize(a.explanation), Role::kNormal);
  }
  if (!a.action.empty()) {
    para("What to do: " + ui::sanitize(a.action), Role::kAccent);
  }
  if (a.id == "connection-flood") {
    auto it = revealed.find(host_tag_of(a.subject));
    if (it != revealed.end()) {
      para("Address (shown because reveal_flood_addresses is 1): " + ui::sanitize(it->second),
           Role::kWarning);
    }
  }
  return out;
}

// The selected alert's details keep every line they need; the list takes
// what is left (at least three rows, or half the page when the details
// would take more).
int list_rows(const model::Snapshot& snapshot, const AlertsView& view, const AlertList& list,
              int width, int height) {
  int count = static_cast<int>(list.items.size());
  if (count == 0) return 0;
  const Alert& selected = *list.items[static_cast<std::size_t>(view.cursor.clamped(count))];
  int details = static_cast<int>(detail_lines(snapshot, selected, width, view.revealed).size());
  int room = height - 3 - details;  // title, column names, separator
  return std::max(
      0, std::min({count, std::max({std::min(count, 3), (height - 3) / 2, room}), height - 2}));
}

}  // namespace

void layout_alerts(const model::Snapshot& snapshot, AlertsView& view, int width, int height) {
  AlertList list = visible_alerts(snapshot, view);
  int count = static_cast<int>(list.items.size());
  view.cursor.fit(count, list_rows(snapshot, view, list, width, height));
}

// Alerts (1 critical, 1 warning active; 1 cleared):
// severity subject                 rule                      count last seen
// CRITICAL 127.0.0.1:9051          control-no-auth               1     5s ago
// cleared  port 443                unestablished-exit            3     2m ago
// ---------------------------------------------------------------------------
// control-no-auth: 127.0.0.1:9051 (first seen 3m 00s ago, 1 time)
// Evidence: auth=none
// What it means: ...
// What to do: ...
void draw_alerts(const model::Snapshot& snapshot, const AlertsView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  AlertList list = visible_alerts(snapshot, view);
  long counts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < list.active; ++i) ++counts[static_cast<int>(list.items[i]->severity)];
  std::string title = fmt::format("Alerts ({} critical, {} warning, {} info active", counts[2],
                                  counts[1], counts[0]);
  if (list.hidden > 0) title += fmt::format(", {} acknowledged", list.hidden);
  if (list.items.size() > list.active) {
    title += fmt::format(", {} cleared", list.items.size() - list.active);
  }
  canvas.put(0, 0, ui::ellipsize(title + "):", w), Role::kTitle);
  if (h < 2) return;
  if (list.items.empty()) {
    canvas.put(0, 1, ui::ellipsize("no alerts: nothing needs attention", w), Role::kGood);
    return;
  }
  int count = static_cast<int>(list.items.size());
  int selected = view.cursor.clamped(count);
  int rows = list_rows(snapshot, view, list, w, h);
  int first = view.cursor.first(count, rows);
  int rule_width = 0;
  for (int r = 0; r < rows && first + r < count; ++r) {
    rule_width = std::max(rule_width,
                          ui::display_width(list.items[static_cast<std::size_t>(first + r)]->id));
  }
  const auto table = columns(rule_width);
  auto widths = ui::layout_columns(table, w);
  ui::draw_header_row(canvas, 1, table, widths, Role::kLabel);
  const Role selection = Role::kSelection;
  for (int r = 0; r < rows && first + r < count; ++r) {
    auto index = static_cast<std::size_t>(first + r);
    const Alert& a = *list.items[index];
    bool active = index < list.active;
    std::string severity = active ? upper(model::to_string(a.severity)) : "cleared";
    std::vector<ui::TableCell> cells{
        {severity, active ? alert_role(a.severity) : Role::kDim},
        {ui::sanitize(a.subject), active ? Role::kValue : Role::kDim},
        {ui::sanitize(a.id), Role::kNormal},
        {fmt::format("{}", a.count), Role::kNormal},
        {format_duration(seconds_between(a.last_seen, snapshot.taken)) + " ago", Role::kNormal}};
    ui::draw_row(canvas, 2 + r, table, widths, cells, first + r == selected ? &selection : nullptr);
  }
  int details_y = 2 + rows;
  if (details_y + 1 >= h) return;
  canvas.hline(0, details_y, w, Role::kDim);
  int y = details_y + 1;
  for (const DetailLine& line :
       detail_lines(snapshot, *list.items[static_cast<std::size_t>(selected)], w, view.revealed)) {
    if (y >= h) break;
    canvas.put(0, y++, ui::fit(line.text, w), line.role);
  }
}

const std::vector<ui::Action>& alerts_actions() {
  static const std::vector<ui::Action> kActions{
      {"select", "up/down", "choose an alert to read"},
      {"acknowledge", "a", "hide the selected alert until it changes"},
      {"unacknowledge", "u", "show acknowledged alerts again"},
      {"cleared", "c", "show or hide recently cleared alerts"},
  };
  return kActions;
}

Outcome handle_alerts_key(const model::Snapshot& snapshot, AlertsView& view, int key) {
  Outcome out;
  out.handled = true;
  AlertList list = visible_alerts(snapshot, view);
  int count = static_cast<int>(list.items.size());
  if (view.cursor.move(key, count)) return out;
  switch (key) {
    case 'a': {
      auto index = static_cast<std::size_t>(view.cursor.clamped(count));
      if (index < list.active) {
        const Alert& a = *list.items[index];
        view.acknowledged[alert_key(a)] = {a.first_seen, a.severity};
        out.message = fmt::format("acknowledged {} (hidden until it clears or gets worse)",
                                  ui::sanitize(a.id));
      } else {
        out.message = "only active alerts can be acknowledged";
      }
      break;
    }
    case 'u':
      view.acknowledged.clear();
      break;
    case 'c':
      view.show_cleared = !view.show_cleared;
      view.cursor = {};
      break;
    default:
      out.handled = false;
      break;
  }
  return out;
}

}  // namespace relaymon::panels
