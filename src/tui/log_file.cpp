#include "tui/log_file.h"

#include <fmt/format.h>

#include <fstream>

#include "text/time.h"
#include "ui/text.h"

namespace relaymon::tui {

std::string save_log(const model::Snapshot& snapshot, const std::string& path) {
  std::ofstream out(path);
  if (!out) return fmt::format("cannot write {}", ui::sanitize(path));
  for (const auto& entry : snapshot.log) {
    out << text::iso8601(entry.time) << " [" << entry.severity << "] "
        << ui::sanitize(entry.message);
    if (entry.repeats > 1) out << " (x" << entry.repeats << ")";
    out << "\n";
  }
  return fmt::format("log saved to {}", ui::sanitize(path));
}

}  // namespace relaymon::tui
