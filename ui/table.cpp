#include "ui/table.h"

#include <algorithm>
#include <numeric>

#include "ui/text.h"

namespace relaymon::ui {

std::vector<int> layout_columns(const std::vector<Column>& columns, int width) {
  std::vector<int> widths(columns.size(), 0);
  std::vector<std::size_t> order(columns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return columns[a].priority < columns[b].priority;
  });
  int used = 0;
  for (std::size_t i : order) {
    int need = columns[i].width + (used > 0 ? 1 : 0);
    if (used + need > width) {
      if (columns[i].priority == 0 && used < width) {  // always shown, cut
        widths[i] = width - used - (used > 0 ? 1 : 0);
        used = width;
      }
      continue;
    }
    widths[i] = columns[i].width;
    used += need;
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].flex && widths[i] > 0) {
      widths[i] += width - used;
      break;
    }
  }
  return widths;
}

void draw_row(Canvas& canvas, int y, const std::vector<Column>& columns,
              const std::vector<int>& widths, const std::vector<TableCell>& cells,
              const Role* row_role) {
  int x = 0;
  if (row_role != nullptr) canvas.fill(0, y, canvas.width(), 1, *row_role);
  for (std::size_t i = 0; i < columns.size() && i < cells.size(); ++i) {
    if (widths[i] <= 0) continue;
    if (x >= canvas.width()) break;
    std::string text = columns[i].right    ? pad_left(cells[i].text, widths[i])
                       : columns[i].middle ? ellipsize_middle(cells[i].text, widths[i])
                                           : ellipsize(cells[i].text, widths[i]);
    canvas.put(x, y, text, row_role ? *row_role : cells[i].role);
    x += widths[i] + 1;
  }
}

void draw_header_row(Canvas& canvas, int y, const std::vector<Column>& columns,
                     const std::vector<int>& widths, Role role) {
  std::vector<TableCell> cells;
  for (const Column& c : columns) cells.push_back({c.title, role});
  draw_row(canvas, y, columns, widths, cells);
}

}  // namespace relaymon::ui
