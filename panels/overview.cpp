#include "panels/overview.h"

#include <algorithm>

#include <fmt/format.h>

#include "panels/alerts.h"
#include "panels/format.h"
#include "panels/health.h"
#include "panels/log.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

namespace {

// The relay's health (issue 13), from row y up to (not including) `bottom`:
// one line per concern when all nine fit; otherwise a count line and the
// concerns that are not ok, worst first. A client has no health section.
int draw_health_summary(const model::Snapshot& s, ui::Canvas& canvas, int y, int bottom) {
  if (s.relay.fingerprint.empty() || !s.health.updated) return y;
  int w = canvas.width();
  auto concerns = model::health_concerns(s.health);
  constexpr int kLabel = 16;  // "DoS/onionskins: "
  auto put_concern = [&](std::string_view label, const model::HealthState& state) {
    int x = canvas.put(0, y, ui::pad_right(std::string(label) + ":", kLabel), Role::kLabel);
    if (x < w) {
      std::string line = ui::sanitize(model::health_line(state, static_cast<std::size_t>(w - x)));
      canvas.put(x, y, ui::ellipsize(line, w - x), health_role(state.level));
    }
    ++y;
  };
  int room = bottom - y;
  if (room < 1) return y;
  if (room >= static_cast<int>(concerns.size()) + 1) {
    canvas.put(0, y++, ui::ellipsize("Health (page 8 has the figures and their history):", w),
               Role::kTitle);
    for (const auto& [label, state] : concerns) put_concern(label, *state);
    return y;
  }
  int counts[4] = {0, 0, 0, 0};
  for (const auto& [label, state] : concerns) ++counts[static_cast<int>(state->level)];
  using L = model::HealthLevel;
  std::string title = fmt::format("Health: {} ok", counts[static_cast<int>(L::kOk)]);
  if (int n = counts[static_cast<int>(L::kCritical)]) title += fmt::format(", {} critical", n);
  if (int n = counts[static_cast<int>(L::kWarning)]) title += fmt::format(", {} warning", n);
  if (int n = counts[static_cast<int>(L::kUnknown)]) title += fmt::format(", {} unknown", n);
  canvas.put(0, y++, ui::ellipsize(title, w), Role::kTitle);
  for (L level : {L::kCritical, L::kWarning, L::kUnknown}) {
    for (const auto& [label, state] : concerns) {
      if (y >= bottom) return y;
      if (state->level == level) put_concern(label, *state);
    }
  }
  return y;
}

}  // namespace

// Bandwidth (limit: 1.0 MiB/s, ...), each second, local max:
// Download: ...                    Upload: ...
//  [graph rows]
// Alerts (2 active):
// CRITICAL control-no-auth: 127.0.0.1:9051
// Health: 6 ok, 1 warning, 2 unknown
// overload:       ok, rate limits hit since 18:00
// Log:
// 12:03:45 [NOTICE] Bootstrapped 100% (done): Done
void draw_overview(const model::Snapshot& snapshot, const OverviewView& view, ui::Canvas& canvas) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  int graph_h = h < 7 ? h : std::clamp(h / 2, 5, 14);
  ui::Region graph(canvas, 0, 0, w, graph_h);
  draw_graph(snapshot, view.graph, graph);
  int y = graph_h;

  std::vector<const model::Alert*> active;
  for (const model::Alert& a : snapshot.alerts) {
    if (a.active) active.push_back(&a);
  }
  std::stable_sort(active.begin(), active.end(), [](const model::Alert* a, const model::Alert* b) {
    return a->severity > b->severity;
  });
  int alert_rows = std::min<int>(3, static_cast<int>(active.size()));
  if (alert_rows > 0 && y + 1 + alert_rows + 2 <= h) {
    canvas.put(0, y++,
               ui::ellipsize(fmt::format("Alerts ({} active, see page 4):", active.size()), w),
               Role::kTitle);
    for (int i = 0; i < alert_rows; ++i) {
      const model::Alert& a = *active[static_cast<std::size_t>(i)];
      std::string severity = upper(model::to_string(a.severity));
      int x = canvas.put(0, y, ui::pad_right(severity, 9), alert_role(a.severity));
      if (x < w) {
        canvas.put(x, y, ui::ellipsize(ui::sanitize(a.id) + ": " + ui::sanitize(a.subject), w - x),
                   Role::kNormal);
      }
      ++y;
    }
  }
  y = draw_health_summary(snapshot, canvas, y, h - 2);
  if (y >= h) return;
  LogView tail;  // NOTICE, WARN and ERR, de-duplicated
  auto lines = visible_log(snapshot, tail);
  canvas.put(0, y++, ui::ellipsize("Log (newest first, page 2 for more):", w), Role::kTitle);
  if (lines.empty() && y < h) {
    canvas.put(0, y, ui::ellipsize("no log entries yet", w), Role::kDim);
  }
  for (const LogLine& line : lines) {
    if (y >= h) break;
    canvas.put(0, y++, ui::ellipsize(log_line_text(line), w), severity_role(line.entry->severity));
  }
}

const std::vector<ui::Action>& overview_actions() {
  return graph_actions();
}

Outcome handle_overview_key(OverviewView& view, int key) {
  return handle_graph_key(view.graph, key);
}

}  // namespace relaymon::panels
