// Timestamped debug lines for measuring the interactive mode, written when
// RELAYMON_DEBUG_LOG names a file (bench/first_frame.sh reads it):
//   1795341600150.001 authenticated 127.0.0.1:9051 at 1795341600123.456
//   1795341600150.002 frame 1 complete=0
//   1795341600201.750 first complete frame 78.3 ms after authenticating
// Times are Unix milliseconds. Nothing from tor is written, so nothing in
// here needs scrubbing.
#pragma once

#include <chrono>
#include <cstdio>
#include <optional>
#include <string_view>

namespace relaymon::tui {

class DebugLog {
 public:
  // Off (every call a no-op) when the variable is unset or the file cannot be opened.
  static DebugLog from_environment();
  DebugLog() = default;
  DebugLog(DebugLog&& other) noexcept : file_(other.file_) { other.file_ = nullptr; }
  DebugLog& operator=(DebugLog&&) = delete;
  ~DebugLog();

  bool enabled() const { return file_ != nullptr; }
  void line(std::string_view text);

  // The frame bookkeeping the first-frame benchmark needs. `at` is when
  // the monitor saw authentication succeed (its "connected to tor" log
  // entry), which can be earlier than the frame that first shows it.
  void authenticated(std::string_view endpoint, std::chrono::system_clock::time_point at);
  void frame(bool complete);

 private:
  std::FILE* file_ = nullptr;
  std::optional<std::chrono::system_clock::time_point> authenticated_;
  long frames_ = 0;
  bool complete_seen_ = false;
};

}  // namespace relaymon::tui
