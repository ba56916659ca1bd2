// Column layout for list pages: each column has a width and a priority;
// the widest set of columns that fits is shown, and one flexible column
// takes what is left, so a list reads well from 40 to 200 columns.
#pragma once

#include <string>
#include <vector>

#include "ui/canvas.h"

namespace relaymon::ui {

struct Column {
  std::string title;
  int width = 1;
  int priority = 0;     // lower is kept longer; 0 is always shown
  bool right = false;   // right-aligned (numbers)
  bool flex = false;    // takes the remaining width
  bool middle = false;  // cut in the middle, not at the end (ellipsize_middle)
};

struct TableCell {
  std::string text;
  Role role = Role::kNormal;
};

// Widths per column (0 = hidden), separated by one space.
std::vector<int> layout_columns(const std::vector<Column>& columns, int width);

// Draws one row of cells (one per column) at y; role overrides every
// cell's own role when it is set (a selected row).
void draw_row(Canvas& canvas, int y, const std::vector<Column>& columns,
              const std::vector<int>& widths, const std::vector<TableCell>& cells,
              const Role* row_role = nullptr);

void draw_header_row(Canvas& canvas, int y, const std::vector<Column>& columns,
                     const std::vector<int>& widths, Role role);

}  // namespace relaymon::ui
