#include "tui/names.h"

#include <utility>

#include "text/text.h"

namespace relaymon::tui {

void NamesSync::apply(const model::Snapshot& snapshot, panels::ScreenState& state) {
  if (snapshot.config.same(seen_)) return;
  // The last configuration is kept alive until compared: `seen_` may hold
  // its only reference.
  const model::Shared<model::TorConfig> last = std::exchange(seen_, snapshot.config);
  const model::TorConfig& now = *snapshot.config;
  const model::TorConfig& before = *last;
  if (now.info_names == before.info_names && now.config_names == before.config_names &&
      now.event_names == before.event_names && now.signal_names == before.signal_names &&
      !state.interpreter.completions.empty()) {
    return;
  }
  state.interpreter.completions =
      panels::completion_words(now.info_names, now.config_names, now.event_names, now.signal_names);
  state.log.event_names = text::split_words(now.event_names);
}

}  // namespace relaymon::tui
