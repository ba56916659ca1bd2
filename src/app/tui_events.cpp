#include "app/tui_events.h"

#include "text/text.h"
#include "model/scrub_text.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace relaymon::app {

model::LogEntry event_log_entry(const control::Event& event, model::TimePoint now) {
  model::LogEntry entry;
  entry.time = now;
  entry.severity = event.type;
  entry.message = model::scrub_event_text(event.type, event.raw);
  entry.source = model::LogSource::kTor;
  return entry;
}

}  // namespace relaymon::app
