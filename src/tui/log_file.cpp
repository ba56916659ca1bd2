#include "tui/log_file.h"

#include <fmt/format.h>

#include <cstdio>

#include "text/time.h"
#include "ui/text.h"

namespace relaymon::tui {

std::string save_log(const model::Snapshot& snapshot, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "we");  // e: close-on-exec
  if (out == nullptr) return fmt::format("cannot write {}", ui::sanitize(path));
  for (const auto& entry : snapshot.log) {
    fmt::print(out, "{} [{}] {}", text::iso8601(entry.time), ui::sanitize(entry.severity),
               ui::sanitize(entry.message));
    if (entry.repeats > 1) fmt::print(out, " (x{})", entry.repeats);
    fmt::print(out, "\n");
  }
  bool written = std::fclose(out) == 0;
  if (!written) return fmt::format("cannot write {}", ui::sanitize(path));
  return fmt::format("log saved to {}", ui::sanitize(path));
}

}  // namespace relaymon::tui
