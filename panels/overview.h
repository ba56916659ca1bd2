// The overview page (nyx's first page): the bandwidth graph, the most
// serious active alerts, and the newest log lines.
#pragma once

#include "model/snapshot.h"
#include "panels/graph.h"
#include "panels/request.h"
#include "ui/canvas.h"

namespace relaymon::panels {

struct OverviewView {
  GraphView graph;
};

void draw_overview(const model::Snapshot& snapshot, const OverviewView& view, ui::Canvas& canvas);

const std::vector<ui::Action>& overview_actions();
Outcome handle_overview_key(OverviewView& view, int key);

}  // namespace relaymon::panels
