// The header shown above every page: who the relay is and whether it is
// healthy, at a glance.
#pragma once

#include <array>

#include <vector>

#include "model/snapshot.h"
#include "ui/canvas.h"
#include "ui/flow.h"

namespace relaymon::panels {

struct HeaderView {
  int relay_index = 0;  // which of several monitored relays is shown
  int relay_count = 1;
  // The control endpoint of another monitored relay that is this same tor
  // (model::same_tor_as), or "": the header says so beside "relay 2/3".
  std::string same_tor_as{};
  // Active alerts the operator acknowledged on the alerts page, by severity
  // (info, warning, critical): left out of the header's counts (the screen
  // sets it from the alerts page's state on every frame).
  std::array<long, 3> acknowledged{0, 0, 0};
};

// The header's rows at this width (it wraps rather than cutting fields).
std::vector<ui::Segments> header_rows(const model::Snapshot& snapshot, const HeaderView& view,
                                      int width);

// Draws as many header rows as the canvas is high.
void draw_header(const model::Snapshot& snapshot, const HeaderView& view, ui::Canvas& canvas);

// The role for a descriptor usage percentage (60/90/95% thresholds).
ui::Role descriptor_role(double percent);
// The role for tor's version status (status/version/current).
ui::Role version_role(const std::string& status);

}  // namespace relaymon::panels
