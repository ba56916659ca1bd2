#include "panels/screen.h"

#include <algorithm>

#include <fmt/format.h>

#include "panels/format.h"
#include "ui/flow.h"
#include "ui/line_editor.h"
#include "ui/text.h"

namespace relaymon::panels {

using ui::Role;

const std::vector<PageInfo>& pages() {
  static const std::vector<PageInfo> kPages{
      {Page::kOverview, "overview", "overview", 40, 12},
      {Page::kLog, "log", "log", 40, 8},
      {Page::kConnections, "connections", "conns", 40, 10},
      {Page::kAlerts, "alerts", "alerts", 40, 10},
      {Page::kConfig, "config", "config", 40, 10},
      {Page::kTorrc, "torrc", "torrc", 40, 8},
      {Page::kInterpreter, "interpreter", "interp", 40, 8},
      {Page::kHealth, "health", "health", 40, 8},
  };
  return kPages;
}

const PageInfo& page_info(Page page) {
  return pages()[static_cast<std::size_t>(page)];
}

const std::vector<ui::Action>& global_actions() {
  static const std::vector<ui::Action> kActions{
      {"pages", "left/right 1-8", "switch pages"},
      {"help", "h ?", "every key of every page (up/down scroll, esc closes)"},
      {"page keys", "m", "the current page's keys"},
      {"pause", "p", "pause or resume updates"},
      {"relay", "tab shift-tab", "next or previous relay (with several -i/-s)"},
      {"reload", "x", "reload tor's configuration (SIGNAL RELOAD, asks first)"},
      {"new identity", "n", "new circuits for a client tor (SIGNAL NEWNYM)"},
      {"quit", "q", "quit (asks first)"},
  };
  return kActions;
}

const std::vector<ui::Action>& page_actions(Page page) {
  switch (page) {
    case Page::kOverview:
      return overview_actions();
    case Page::kLog:
      return log_actions();
    case Page::kConnections:
      return connections_actions();
    case Page::kAlerts:
      return alerts_actions();
    case Page::kConfig:
      return config_actions();
    case Page::kTorrc:
      return torrc_actions();
    case Page::kInterpreter:
      return interpreter_actions();
    case Page::kHealth:
      return health_actions();
  }
  return overview_actions();
}

std::string disconnected_text(const model::Snapshot& s) {
  std::string text;
  const auto& c = s.control;
  if (!c.connected_since && c.disconnected_since) {
    // Never reached: say where, since when and why, not "disconnected".
    text = fmt::format("cannot reach tor at {} since {}: {}", ui::sanitize(c.endpoint),
                       format_clock(*c.disconnected_since),
                       c.last_error.empty() ? "no answer" : ui::sanitize(c.last_error));
    if (c.gave_up) return text + " (gave up)";
    return c.reconnect_attempt > 0
               ? text + fmt::format(" (attempt {}, retrying)", c.reconnect_attempt)
               : text;
  }
  if (s.control.disconnected_since) {
    text = fmt::format("tor disconnected {} ago, reconnecting...",
                       format_duration(seconds_between(*s.control.disconnected_since, s.taken)));
  } else {
    text = "not connected to tor yet, connecting...";
  }
  std::string detail;
  if (s.control.reconnect_attempt > 0) {
    detail = fmt::format("attempt {}", s.control.reconnect_attempt);
  }
  if (!s.control.last_error.empty()) {
    detail += (detail.empty() ? "" : ": ") + ui::sanitize(s.control.last_error);
  }
  if (!detail.empty()) text += " (" + detail + ")";
  return text;
}

//            terminal too small
//       (needs 40 x 12, have 30 x 8)
void draw_too_small(ui::Canvas& canvas, int need_width, int need_height) {
  int w = canvas.width();
  int h = canvas.height();
  if (w < 1 || h < 1) return;
  std::string text = fmt::format("terminal too small (needs {} x {}, have {} x {})", need_width,
                                 need_height, w, h);
  auto lines = ui::wrap(text, w);
  int y = std::max(0, (h - static_cast<int>(lines.size())) / 2);
  for (const std::string& line : lines) {
    if (y >= h) break;
    std::string cut = ui::fit(line, w);
    canvas.put((w - ui::display_width(cut)) / 2, y++, cut, Role::kWarning);
  }
}

namespace {

// detail 3: "1 overview ... h help m keys q quit", 2: without the key
// descriptions, 1: short page names ("3 conns"), 0: page numbers only.
ui::Segments hint_line(const ScreenState& state, int detail, bool relays) {
  ui::Segments out;
  for (const PageInfo& p : pages()) {
    int number = static_cast<int>(p.page) + 1;
    std::string label = detail == 0   ? fmt::format("{}", number)
                        : detail == 1 ? fmt::format("{} {}", number, p.short_name)
                                      : fmt::format("{} {}", number, p.name);
    out.push_back({label, p.page == state.page ? Role::kSelection : Role::kNormal});
    out.push_back({" ", Role::kNormal});
  }
  auto key = [&](const char* k, const char* what) {
    out.push_back({" ", Role::kNormal});
    out.push_back({k, Role::kKey});
    if (detail == 3) out.push_back({std::string(" ") + what, Role::kDim});
  };
  if (state.page == Page::kInterpreter && state.interpreter.typing) {
    // Every other key is text here.
    key("esc", "leave input");
    return out;
  }
  key("h", "help");
  key("m", "keys");
  if (relays) key("tab", "relay");
  key("q", "quit");
  return out;
}

void draw_bottom(const ScreenState& state, ui::Canvas& canvas, int y) {
  int w = canvas.width();
  if (state.prompt) {
    int x = canvas.put(0, y, state.prompt->label, Role::kLabel);
    ui::draw_line(canvas, x, y, state.prompt->text, state.prompt->cursor);
    return;
  }
  if (state.confirm) {
    canvas.fill(0, y, w, 1, Role::kWarning);
    canvas.put(0, y, ui::ellipsize(state.confirm->question, w), Role::kWarning);
    return;
  }
  if (!state.message.empty()) {
    canvas.put(0, y, ui::ellipsize(state.message, w), Role::kAccent);
    return;
  }
  bool relays = state.header.relay_count > 1;
  int paused_w = state.paused ? 8 : 0;
  ui::Segments hints;
  for (int detail = 3; detail >= 0; --detail) {
    hints = hint_line(state, detail, relays);
    if (ui::segments_width(hints) + paused_w <= w) break;
  }
  ui::draw_segments(canvas, 0, y, hints);
  if (state.paused && w >= paused_w) canvas.put(w - 6, y, "PAUSED", Role::kBanner);
}

}  // namespace

std::vector<std::pair<std::string, ui::Action>> help_rows(const ScreenState& state,
                                                          bool page_only) {
  std::vector<std::pair<std::string, ui::Action>> rows;
  if (!page_only) {
    for (const ui::Action& a : global_actions()) rows.push_back({"", a});
  }
  auto section = [&](Page page) {
    rows.push_back({page_info(page).name + " page", {}});
    for (const ui::Action& a : page_actions(page)) rows.push_back({"", a});
  };
  section(state.page);
  if (!page_only) {
    for (const PageInfo& p : pages()) {
      if (p.page != state.page) section(p.page);
    }
  }
  return rows;
}

namespace {

// The help box's height on a canvas this high, for this many rows.
int help_box_height(int canvas_height, std::size_t rows) {
  return std::min(canvas_height, static_cast<int>(rows) + 2);
}

// +- keys 1-21 of 52 (up/down scroll, esc closes) ----+
// | left/right 1-8   switch pages                     |
// | ...                                               |
// | connections page:                                 |
// | s                sort by category, age, rate, ... |
// +---------------------------------------------------+
void draw_help(const ScreenState& state, ui::Canvas& canvas, bool page_only) {
  int w = std::min(canvas.width(), 78);
  int h = canvas.height();
  if (w < 10 || h < 3) return;
  int x0 = (canvas.width() - w) / 2;
  auto rows = help_rows(state, page_only);
  int box_h = help_box_height(h, rows.size());
  int inner_h = box_h - 2;
  int total = static_cast<int>(rows.size());
  int top = state.help_scroll.first_line(total, inner_h);
  canvas.fill(0, 0, canvas.width(), box_h, Role::kNormal);
  canvas.box(x0, 0, w, box_h, Role::kAccent);
  std::string title = page_only ? " page keys" : " keys";
  if (total > inner_h) {
    title +=
        fmt::format(" {}-{} of {} (up/down scroll, esc closes) ", top + 1, top + inner_h, total);
  } else {
    title += " (esc closes) ";
  }
  canvas.put(x0 + 2, 0, ui::fit(title, w - 4), Role::kTitle);
  ui::Region inner(canvas, x0 + 2, 1, w - 4, inner_h);
  int key_w = std::min(18, inner.width() / 3);
  for (int y = 0; y < inner.height() && top + y < total; ++y) {
    const auto& [section, action] = rows[static_cast<std::size_t>(top + y)];
    if (!section.empty()) {
      inner.put(0, y, ui::fit(section + ":", inner.width()), Role::kTitle);
      continue;
    }
    int x = inner.put(0, y, ui::pad_right(action.keys_label, key_w), Role::kKey);
    if (x + 1 < inner.width()) {
      inner.put(x + 1, y, ui::ellipsize(action.description, inner.width() - x - 1), Role::kNormal);
    }
  }
}

}  // namespace

PageArea page_area(const model::Snapshot& snapshot, const ScreenState& state, int width,
                   int height) {
  auto rows = header_rows(snapshot, state.header, width);
  int header_h = std::min(static_cast<int>(rows.size()), std::max(1, (height - 2) / 3));
  int y = header_h + (snapshot.control.connected ? 0 : 1);
  return {y, width, std::max(0, height - 1 - y)};
}

void layout_screen(ScreenState& state, const model::Snapshot& snapshot, int width, int height) {
  state.header.acknowledged = acknowledged_counts(snapshot, state.alerts);
  if (state.help || state.page_menu) {
    // The help covers everything but the bottom line.
    auto rows = help_rows(state, !state.help);
    int inner = help_box_height(height - 1, rows.size()) - 2;
    state.help_scroll.fit_window(static_cast<int>(rows.size()), inner);
  }
  PageArea area = page_area(snapshot, state, width, height);
  switch (state.page) {
    case Page::kLog:
      layout_log(snapshot, state.log, area.width, area.height);
      break;
    case Page::kConnections:
      layout_connections(snapshot, state.connections, area.width, area.height);
      break;
    case Page::kAlerts:
      layout_alerts(snapshot, state.alerts, area.width, area.height);
      break;
    case Page::kConfig:
      layout_config(snapshot, state.config, area.width, area.height);
      break;
    case Page::kTorrc:
      layout_torrc(snapshot, state.torrc, area.width, area.height);
      break;
    case Page::kInterpreter:
      layout_interpreter(state.interpreter, area.width, area.height);
      break;
    case Page::kHealth:
      layout_health(snapshot, state.health, area.width, area.height);
      break;
    case Page::kOverview:
      break;
  }
}

void draw_screen(const model::Snapshot& snapshot, const ScreenState& state, ui::Canvas& canvas) {
  canvas.clear();
  int w = canvas.width();
  int h = canvas.height();
  const PageInfo& info = page_info(state.page);
  if (w < info.min_width || h < info.min_height) {
    draw_too_small(canvas, info.min_width, info.min_height);
    return;
  }
  PageArea area = page_area(snapshot, state, w, h);
  int header_h = area.y - (snapshot.control.connected ? 0 : 1);
  ui::Region header(canvas, 0, 0, w, header_h);
  draw_header(snapshot, state.header, header);
  if (!snapshot.control.connected) {
    canvas.fill(0, header_h, w, 1, Role::kBanner);
    canvas.put(0, header_h, ui::ellipsize(disconnected_text(snapshot), w), Role::kBanner);
  }
  ui::Region page(canvas, 0, area.y, w, area.height);
  switch (state.page) {
    case Page::kOverview:
      draw_overview(snapshot, state.overview, page);
      break;
    case Page::kLog:
      draw_log(snapshot, state.log, page);
      break;
    case Page::kConnections:
      draw_connections(snapshot, state.connections, page);
      break;
    case Page::kAlerts:
      draw_alerts(snapshot, state.alerts, page);
      break;
    case Page::kConfig:
      draw_config(snapshot, state.config, page);
      break;
    case Page::kTorrc:
      draw_torrc(snapshot, state.torrc, page);
      break;
    case Page::kInterpreter:
      draw_interpreter(snapshot, state.interpreter, page);
      break;
    case Page::kHealth:
      draw_health(snapshot, state.health, page);
      break;
  }
  if (state.help || state.page_menu) {
    ui::Region above_hints(canvas, 0, 0, w, h - 1);  // the help may cover the header
    draw_help(state, above_hints, !state.help);
  }
  draw_bottom(state, canvas, h - 1);
}

}  // namespace relaymon::panels
