// Styled text runs and a flowing layout for status lines such as the
// header: groups ("pid: 1234") never split, and move to the next line when
// the width runs out, so narrow terminals get more rows instead of cut text.
#pragma once

#include <string>
#include <vector>

#include "ui/canvas.h"

namespace relaymon::ui {

struct Segment {
  std::string text;
  Role role = Role::kNormal;
};
using Segments = std::vector<Segment>;

int segments_width(const Segments& segments);

// Draws the segments from (x, y); returns the next column.
int draw_segments(Canvas& canvas, int x, int y, const Segments& segments);

// Lays out each logical line's groups into rows of at most width cells,
// groups separated by separator. A group wider than the width gets a row of
// its own (and is clipped when drawn).
std::vector<Segments> flow(const std::vector<std::vector<Segments>>& lines, int width,
                           const std::string& separator = "  ");

}  // namespace relaymon::ui
