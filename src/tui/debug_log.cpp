#include "tui/debug_log.h"

#include <cstdlib>

#include <fmt/format.h>

namespace relaymon::tui {

namespace {

double unix_ms(std::chrono::system_clock::time_point t = std::chrono::system_clock::now()) {
  return std::chrono::duration<double, std::milli>(t.time_since_epoch()).count();
}

}  // namespace

DebugLog DebugLog::from_environment() {
  DebugLog log;
  const char* path = std::getenv("RELAYMON_DEBUG_LOG");
  if (path != nullptr && *path != '\0') log.file_ = std::fopen(path, "ae");  // e: close-on-exec
  return log;
}

DebugLog::~DebugLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void DebugLog::line(std::string_view text) {
  if (file_ == nullptr) return;
  fmt::print(file_, "{:.3f} {}\n", unix_ms(), text);
  std::fflush(file_);
}

void DebugLog::authenticated(std::string_view endpoint, std::chrono::system_clock::time_point at) {
  if (file_ == nullptr || authenticated_) return;
  authenticated_ = at;
  line(fmt::format("authenticated {} at {:.3f}", endpoint, unix_ms(at)));
}

void DebugLog::frame(bool complete) {
  if (file_ == nullptr) return;
  ++frames_;
  if (frames_ <= 20 || (complete && !complete_seen_)) {
    line(fmt::format("frame {} complete={}", frames_, complete ? 1 : 0));
  }
  if (complete && !complete_seen_ && authenticated_) {
    complete_seen_ = true;
    std::chrono::duration<double, std::milli> took =
        std::chrono::system_clock::now() - *authenticated_;
    line(fmt::format("first complete frame {:.1f} ms after authenticating", took.count()));
  }
}

}  // namespace relaymon::tui
