#include "ui/flow.h"

#include "ui/text.h"

namespace relaymon::ui {

int segments_width(const Segments& segments) {
  int width = 0;
  for (const Segment& s : segments) width += display_width(s.text);
  return width;
}

int draw_segments(Canvas& canvas, int x, int y, const Segments& segments) {
  for (const Segment& s : segments) {
    if (x >= canvas.width()) break;
    x = canvas.put(x, y, s.text, s.role);
  }
  return x;
}

std::vector<Segments> flow(const std::vector<std::vector<Segments>>& lines, int width,
                           const std::string& separator) {
  std::vector<Segments> rows;
  int sep_width = display_width(separator);
  for (const auto& groups : lines) {
    Segments row;
    int used = 0;
    for (const Segments& group : groups) {
      int w = segments_width(group);
      if (used > 0 && used + sep_width + w > width) {
        rows.push_back(std::move(row));
        row.clear();
        used = 0;
      }
      if (used > 0) {
        row.push_back({separator, Role::kNormal});
        used += sep_width;
      }
      row.insert(row.end(), group.begin(), group.end());
      used += w;
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace relaymon::ui
