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

namespace relaymon::panels {

struct TorrcView {
  int scroll = 0;  // first line shown
};

struct TorrcLine {
  enum class Kind { kBlank, kComment, kOption, kInclude };
  enum class Mark { kNone, kUnknown, kRepeated, kDiffers };
  int number = 0;
  Kind kind = Kind::kBlank;
  std::string indent;
  std::string keyword;
  std::string value;
  std::string comment;  // "# ..." after the value, or the whole comment line
  Mark mark = Mark::kNone;
  std::string note;  // what the mark means for this line
};

// Splits and checks the torrc against the running configuration. Without
// config/names (options empty) only the highlighting is done.
std::vector<TorrcLine> analyze_torrc(const model::TorConfig& config);

void draw_torrc(const model::Snapshot& snapshot, const TorrcView& view, ui::Canvas& canvas);

const std::vector<ui::Action>& torrc_actions();
Outcome handle_torrc_key(const model::Snapshot& snapshot, TorrcView& view, int key);

}  // namespace relaymon::panels
