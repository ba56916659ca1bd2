// What the interpreter completes and the log page offers comes from the
// names tor reported (snapshot.config: info/config/events/signal names).
// Recomputed only when those change.
#pragma once

#include "model/snapshot.h"
#include "panels/screen.h"

namespace relaymon::tui {

class NamesSync {
 public:
  // Fills state.interpreter.completions and state.log.event_names from the
  // snapshot when its names differ from the last ones used.
  void apply(const model::Snapshot& snapshot, panels::ScreenState& state);
  void reset() { seen_ = model::Shared<model::TorConfig>(); }

 private:
  model::Shared<model::TorConfig> seen_;
};

}  // namespace relaymon::tui
