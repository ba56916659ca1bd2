// Process statistics of tor (and of relaymon itself) from /proc: CPU %,
// RSS, threads, descriptors used, start time. The parse functions are pure;
// ProcessSampler reads the few small files (a few hundred bytes each,
// synchronously: cheaper than any asynchronous round trip).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relaymon::system {

// The fields of /proc/PID/stat we use (proc(5) numbering in comments).
struct ProcStat {
  std::string comm;               // (2) without the parentheses
  char state = '?';               // (3)
  long ppid = 0;                  // (4)
  std::uint64_t utime_ticks = 0;  // (14)
  std::uint64_t stime_ticks = 0;  // (15)
  long num_threads = 0;           // (20)
  std::uint64_t start_ticks = 0;  // (22) clock ticks after boot
  std::uint64_t vsize_bytes = 0;  // (23)
  std::int64_t rss_pages = 0;     // (24)
};

// comm may hold blanks and parentheses: it ends at the last ')'.
std::optional<ProcStat> parse_proc_stat(std::string_view content);

struct ProcStatm {
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  std::uint64_t shared_pages = 0;
};
std::optional<ProcStatm> parse_proc_statm(std::string_view content);

// The "btime" line of /proc/stat: boot time in seconds since the epoch.
std::optional<std::int64_t> parse_boot_time(std::string_view proc_stat_content);

// CPU use between two samples in percent of one core (200 = two cores busy).
// nullopt when the wall interval is not positive or the counters went back.
std::optional<double> cpu_percent(std::uint64_t ticks_before, std::uint64_t ticks_after,
                                  std::chrono::nanoseconds wall, long ticks_per_second);

struct ProcessStats {
  int pid = 0;
  std::string comm;
  std::optional<double> cpu_percent;  // since the previous sample; none on the first
  std::optional<std::uint64_t> rss_bytes;
  std::optional<long> threads;
  std::optional<long> descriptors_used;
  std::string descriptors_unavailable;  // why descriptors_used is empty
  std::optional<std::chrono::system_clock::time_point> start_time;
  std::string unavailable;  // why everything is empty (process gone...)
};

// Samples one process repeatedly; keeps the previous CPU counters.
class ProcessSampler {
 public:
  // pid 0 samples relaymon itself (/proc/self).
  explicit ProcessSampler(pid_t pid = 0, std::string proc_root = "/proc");
  ProcessStats sample();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
  std::string dir_;
  std::string proc_root_;
  std::optional<std::int64_t> boot_time_;
  std::optional<std::uint64_t> last_ticks_;
  std::chrono::steady_clock::time_point last_wall_{};
};

}  // namespace relaymon::system
