// Which of tor's events the log shows: a chooser listing events/names with
// the current choice marked (nyx's "event selection" dialog). The panel
// never subscribes itself: applying the choice returns
// Request{kLogEvents, "NOTICE WARN ERR CIRC"} and the app merges it into
// tor's SETEVENTS (tor replaces the whole set) and turns the non-log
// events (CIRC, STREAM, ...) into log lines.
//
// While the chooser is open every key goes to it: up/down (also left/right,
// pgup/pgdn) move through the names, space toggles, letters jump to the
// first name starting with what was typed, Enter applies, Esc cancels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

// The default choice, and the names offered before tor's events/names is known.
const std::vector<std::string>& default_log_events();
const std::vector<std::string>& fallback_event_names();
// DEBUG, INFO, NOTICE, WARN and ERR are log messages; others are events
// shown as formatted lines.
bool is_log_severity(const std::string& event);
// One line on what tor sends for this event (control-spec, in relaymon's
// words); empty for a name relaymon has no line for.
std::string_view event_description(std::string_view event);

struct EventChooser {
  bool open = false;
  std::vector<std::string> marked;  // the choice being edited
  ui::ListCursor cursor;            // over the offered names
  std::string search;               // typed so far, to jump by name
};

// The names the chooser offers: events/names when known (the app fills
// `names`), plus anything already chosen.
std::vector<std::string> offered_events(const std::vector<std::string>& names,
                                        const std::vector<std::string>& chosen);

// "+- Log events: space toggles, enter applies, esc cancels --+" with the
// names in columns, "[x] CIRC", the cursor's name highlighted.
void draw_event_chooser(const EventChooser& chooser, const std::vector<std::string>& offered,
                        ui::Canvas& canvas);

// Keys while the chooser is open. `chosen` is updated on Enter.
Outcome handle_event_chooser_key(EventChooser& chooser, const std::vector<std::string>& offered,
                                 std::vector<std::string>& chosen, int key);

}  // namespace relaymon::panels
