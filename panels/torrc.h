// The torrc page: the file tor was started with, line numbers, highlighting
// and validation marks (unknown options, repeated single-value options,
// values that differ from what the running tor uses).
#pragma once

#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct TorrcView {
  ui::ListCursor scroll;  // top: the first line shown
  int mark = -1;          // the marked line `j` went to (index), highlighted
};

using model::TorrcLine;

void draw_torrc(const model::Snapshot& snapshot, const TorrcView& view, ui::Canvas& canvas);
void layout_torrc(const model::Snapshot& snapshot, TorrcView& view, int width, int height);

const std::vector<ui::Action>& torrc_actions();
Outcome handle_torrc_key(const model::Snapshot& snapshot, TorrcView& view, int key);

}  // namespace relaymon::panels
