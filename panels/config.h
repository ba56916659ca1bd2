// The config page: tor's options with their running values, which are set,
// what each does; edit (SETCONF), reset (RESETCONF) and save (SAVECONF),
// each after a y/n question. The app sends the commands.
#pragma once

#include <string_view>
#include <vector>

#include "model/snapshot.h"
#include "panels/request.h"
#include "ui/canvas.h"
#include "ui/keys.h"
#include "ui/list_cursor.h"

namespace relaymon::panels {

struct ConfigView {
  ui::ListCursor cursor;
  bool show_all = false;  // every option, not only the ones set
};

std::vector<const model::ConfigOption*> visible_options(const model::Snapshot& snapshot,
                                                        const ConfigView& view);

// A plain-language line for the options relay operators touch most; empty
// for the others.
std::string_view option_description(std::string_view name);

// The one-line editor shows a multi-line option (ExitPolicy, DirAuthority,
// ORPort, ...) as every line joined by this; confirming sends every line
// in one SETCONF, so editing one line never drops the others.
inline constexpr std::string_view kConfigLineSeparator = " | ";
// The lines typed in such an editor: split at '|', trimmed, empty ones
// left out.
std::vector<std::string> split_config_lines(std::string_view text);

// A value as tor's manual words it: DataSize "1073741824" -> "1 GByte",
// TimeInterval "600" -> "10 minutes"; other values as they are.
std::string value_in_words(std::string_view type, std::string_view value);
// The selected option's description: the first paragraph of tor's manual
// when it is installed, else relaymon's own line, else "see man tor".
std::string option_help(const model::Snapshot& snapshot, std::string_view name);

void draw_config(const model::Snapshot& snapshot, const ConfigView& view, ui::Canvas& canvas);
void layout_config(const model::Snapshot& snapshot, ConfigView& view, int width, int height);

const std::vector<ui::Action>& config_actions();
Outcome handle_config_key(const model::Snapshot& snapshot, ConfigView& view, int key);

}  // namespace relaymon::panels
