#include "system/process_stats.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "system/proc_reader.h"
#include "system/text.h"

namespace relaymon::system {

std::optional<ProcStat> parse_proc_stat(std::string_view content) {
  auto open = content.find('(');
  auto close = content.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  ProcStat st;
  st.comm = std::string(content.substr(open + 1, close - open - 1));
  // Fields from (3) on; f.at[k] is field k + 3.
  auto f = text::split<24>(content.substr(close + 1));
  if (f.count < 22) return std::nullopt;
  if (f.at[0].size() != 1) return std::nullopt;
  st.state = f.at[0].front();
  auto ppid = text::to_number<long>(f.at[1]);
  auto utime = text::to_number<std::uint64_t>(f.at[11]);
  auto stime = text::to_number<std::uint64_t>(f.at[12]);
  auto threads = text::to_number<long>(f.at[17]);
  auto start = text::to_number<std::uint64_t>(f.at[19]);
  auto vsize = text::to_number<std::uint64_t>(f.at[20]);
  auto rss = text::to_number<std::int64_t>(f.at[21]);
  if (!ppid || !utime || !stime || !threads || !start || !vsize || !rss) return std::nullopt;
  st.ppid = *ppid;
  st.utime_ticks = *utime;
  st.stime_ticks = *stime;
  st.num_threads = *threads;
  st.start_ticks = *start;
  st.vsize_bytes = *vsize;
  st.rss_pages = *rss;
  return st;
}

std::optional<ProcStatm> parse_proc_statm(std::string_view content) {
  auto f = text::split<3>(content);
  if (f.count < 3) return std::nullopt;
  auto size = text::to_number<std::uint64_t>(f.at[0]);
  auto resident = text::to_number<std::uint64_t>(f.at[1]);
  auto shared = text::to_number<std::uint64_t>(f.at[2]);
  if (!size || !resident || !shared) return std::nullopt;
  return ProcStatm{*size, *resident, *shared};
}

std::optional<std::int64_t> parse_boot_time(std::string_view proc_stat_content) {
  std::optional<std::int64_t> btime;
  text::for_each_line(proc_stat_content, [&](std::string_view line) {
    if (!text::starts_with(line, "btime ")) return;
    btime = text::to_number<std::int64_t>(text::trim(line.substr(6)));
  });
  return btime;
}

std::optional<double> cpu_percent(std::uint64_t ticks_before, std::uint64_t ticks_after,
                                  std::chrono::nanoseconds wall, long ticks_per_second) {
  if (wall.count() <= 0 || ticks_after < ticks_before || ticks_per_second <= 0) {
    return std::nullopt;
  }
  double cpu_seconds =
      static_cast<double>(ticks_after - ticks_before) / static_cast<double>(ticks_per_second);
  double wall_seconds = std::chrono::duration<double>(wall).count();
  return 100.0 * cpu_seconds / wall_seconds;
}

ProcessSampler::ProcessSampler(pid_t pid, std::string proc_root)
    : pid_(pid),
      dir_(pid == 0 ? proc_root + "/self" : fmt::format("{}/{}", proc_root, pid)),
      proc_root_(std::move(proc_root)) {}

ProcessStats ProcessSampler::sample() {
  ProcessStats out;
  out.pid = pid_ == 0 ? static_cast<int>(::getpid()) : pid_;
  auto now = std::chrono::steady_clock::now();
  int error = 0;
  auto stat_text = read_whole_file(dir_ + "/stat", &error);
  if (!stat_text) {
    out.unavailable = error == ENOENT
                          ? fmt::format("no process with pid {}", out.pid)
                          : fmt::format("reading {}/stat failed: {}", dir_, std::strerror(error));
    last_ticks_.reset();
    return out;
  }
  auto stat = parse_proc_stat(*stat_text);
  if (!stat) {
    out.unavailable = fmt::format("{}/stat could not be read", dir_);
    return out;
  }
  out.comm = stat->comm;
  out.threads = stat->num_threads;
  long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  std::uint64_t ticks = stat->utime_ticks + stat->stime_ticks;
  if (last_ticks_)
    out.cpu_percent = cpu_percent(*last_ticks_, ticks, now - last_wall_, ticks_per_second);
  last_ticks_ = ticks;
  last_wall_ = now;

  long page_size = ::sysconf(_SC_PAGESIZE);
  if (auto statm_text = read_whole_file(dir_ + "/statm")) {
    if (auto statm = parse_proc_statm(*statm_text)) {
      out.rss_bytes = statm->resident_pages * static_cast<std::uint64_t>(page_size);
    }
  }
  if (!boot_time_) {
    if (auto proc_stat = read_whole_file(proc_root_ + "/stat"))
      boot_time_ = parse_boot_time(*proc_stat);
  }
  if (boot_time_ && ticks_per_second > 0) {
    auto after_boot = std::chrono::milliseconds(stat->start_ticks * 1000 /
                                                static_cast<std::uint64_t>(ticks_per_second));
    out.start_time =
        std::chrono::system_clock::time_point(std::chrono::seconds(*boot_time_)) + after_boot;
  }

  // Counted by stat() where the kernel can (a listing of 20,000
  // descriptors every few seconds is a noticeable cost), else listed.
  if (auto count = fd_count_by_stat(dir_ + "/fd")) {
    out.descriptors_used = static_cast<long>(*count);
    return out;
  }
  FdScan fds = scan_fd_dir(dir_ + "/fd", pid_ == 0 || pid_ == ::getpid(), false);
  if (fds.error == 0) {
    out.descriptors_used = static_cast<long>(fds.count);
  } else if (fds.error == EACCES || fds.error == EPERM) {
    out.descriptors_unavailable = fmt::format(
        "{}/fd is readable only by tor's user or root (run relaymon as tor's user, e.g. "
        "`sudo -u debian-tor relaymon`, or as root)",
        dir_);
  } else {
    out.descriptors_unavailable =
        fmt::format("reading {}/fd failed: {}", dir_, std::strerror(fds.error));
  }
  return out;
}

}  // namespace relaymon::system
