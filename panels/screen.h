// The whole screen: header, the current page, a disconnected banner, the
// bottom hint line, and the overlays (help, page actions, confirmation,
// prompt). draw_screen and handle_key are what the app's loop calls; both
// are pure apart from the state they are given:
//
//   ScreenState state;  // one per program; header.relay_count = targets
//   on a key:       auto out = handle_key(state, key, *snapshot);
//                   if (out.quit) stop; if (out.request) carry it out;
//   on a tick:      unless state.paused, take the newest snapshot;
//   then:           draw_screen(*snapshot, state, term.canvas());
//                   term.present();
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "panels/alerts.h"
#include "panels/config.h"
#include "panels/connections.h"
#include "panels/header.h"
#include "panels/health.h"
#include "panels/interpreter.h"
#include "panels/log.h"
#include "panels/overview.h"
#include "panels/request.h"
#include "panels/torrc.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

// The interpreter page's replies do not come in snapshots: the app feeds
// them into state.interpreter with add_reply/add_event (interpreter.h).
enum class Page { kOverview, kLog, kConnections, kAlerts, kConfig, kTorrc, kInterpreter, kHealth };

struct PageInfo {
  Page page;
  std::string name;
  std::string short_name;  // on the bottom line when the names do not fit (80 columns)
  int min_width;           // the whole screen, header included
  int min_height;
};
const std::vector<PageInfo>& pages();
const PageInfo& page_info(Page page);

struct Confirm {
  std::string question;            // "Quit relaymon? (y/n)"
  std::optional<Request> request;  // sent on 'y'
  bool quit = false;               // quit on 'y'
};

struct ScreenState {
  Page page = Page::kOverview;
  bool paused = false;         // the app stops taking new snapshots
  bool help = false;           // every key of every page
  bool page_menu = false;      // the current page's keys only
  ui::ListCursor help_scroll;  // the help's rows scroll (no selection)
  std::optional<Confirm> confirm;
  std::optional<Prompt> prompt;
  std::string message;  // shown on the bottom line until the next key
  HeaderView header;
  OverviewView overview;
  LogView log;
  ConnectionsView connections;
  AlertsView alerts;
  ConfigView config;
  TorrcView torrc;
  InterpreterView interpreter;
  HealthView health;
};

struct ScreenOutcome {
  bool quit = false;
  std::optional<Request> request;
};

void draw_screen(const model::Snapshot& snapshot, const ScreenState& state, ui::Canvas& canvas);

// The layout step before keys and drawing: tells the current page's list
// cursor how many rows it has on a screen of this size (the app calls it
// on every frame and before every key).
void layout_screen(ScreenState& state, const model::Snapshot& snapshot, int width, int height);

// Where the page goes on a screen of this size: below the header and the
// disconnected banner, above the bottom line.
struct PageArea {
  int y = 0;
  int width = 0;
  int height = 0;
};
PageArea page_area(const model::Snapshot& snapshot, const ScreenState& state, int width,
                   int height);

// The snapshot on screen is passed so selections can be kept in range.
ScreenOutcome handle_key(ScreenState& state, int key, const model::Snapshot& snapshot);

const std::vector<ui::Action>& global_actions();
// The help's rows: a section title (action empty) or an action. The full
// help has the global keys, then the current page's, then every other
// page's; the page menu (page_only) only the current page's.
std::vector<std::pair<std::string, ui::Action>> help_rows(const ScreenState& state, bool page_only);
const std::vector<ui::Action>& page_actions(Page page);

// Parts of draw_screen, exposed for tests.
void draw_too_small(ui::Canvas& canvas, int need_width, int need_height);
std::string disconnected_text(const model::Snapshot& snapshot);

}  // namespace relaymon::panels
