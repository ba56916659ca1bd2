// The alerts page: active alerts by severity, then recently cleared ones;
// the selected alert's evidence, explanation and suggested action below.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct AlertsView {
  struct Ack {
    model::TimePoint first_seen;  // which incident
    model::Severity severity;
  };
  ui::ListCursor cursor;
  bool show_cleared = true;
  // Acknowledged alerts (by id and subject) stay hidden while the same
  // incident lasts, whatever its evidence does: until its severity rises
  // or it clears (a new incident shows again).
  std::map<std::string, Ack> acknowledged;
  // With the operator's opt-in (reveal_flood_addresses 1) only: host tag ->
  // address of hosts raising connection-flood; the app fills it from the
  // session, never from a snapshot.
  std::map<std::string, std::string> revealed;
};

std::string alert_key(const model::Alert& alert);
bool is_acknowledged(const AlertsView& view, const model::Alert& alert);
// Active alerts acknowledged, by severity (info, warning, critical): the
// header leaves them out of its counts.
std::array<long, 3> acknowledged_counts(const model::Snapshot& snapshot, const AlertsView& view);
ui::Role alert_role(model::Severity severity);

struct AlertList {
  std::vector<const model::Alert*> items;  // active first, then cleared
  std::size_t active = 0;                  // how many of items are active
  long hidden = 0;                         // acknowledged and unchanged
};
AlertList visible_alerts(const model::Snapshot& snapshot, const AlertsView& view);

void draw_alerts(const model::Snapshot& snapshot, const AlertsView& view, ui::Canvas& canvas);
// Tells the cursor how many rows the list has on a page of this size.
void layout_alerts(const model::Snapshot& snapshot, AlertsView& view, int width, int height);

const std::vector<ui::Action>& alerts_actions();
Outcome handle_alerts_key(const model::Snapshot& snapshot, AlertsView& view, int key);

}  // namespace relaymon::panels
