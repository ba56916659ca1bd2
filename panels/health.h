// The health page (issue 13): each concern of the overview's health
// section with the figures behind its line and where they come from, the
// counters' history over the samples kept, and every change of a concern's
// level during the session. A pure function of the snapshot, like every page.
#pragma once

#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/flow.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct HealthView {
  ui::ListCursor scroll;  // top: the first line shown
};

// The colour of a health level (the overview's health section too).
ui::Role health_role(model::HealthLevel level);

// The page's lines below its title, at this width (exposed for tests).
std::vector<ui::Segments> health_lines(const model::Snapshot& snapshot, int width);

// "_.:-=+*#": one character per rise between consecutive samples (the
// newest `width` of them), scaled to the largest; "" with fewer than two
// samples.
std::string sparkline(const model::CounterHistory& history, int width);

void draw_health(const model::Snapshot& snapshot, const HealthView& view, ui::Canvas& canvas);
void layout_health(const model::Snapshot& snapshot, HealthView& view, int width, int height);

const std::vector<ui::Action>& health_actions();
Outcome handle_health_key(const model::Snapshot& snapshot, HealthView& view, int key);

}  // namespace relaymon::panels
