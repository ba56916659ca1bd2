// Process stats: the pure /proc parsers on hand-written and real contents,
// and the sampler on this test process itself.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>

#include "system/proc_reader.h"
#include "system/process_stats.h"

using namespace relaymon::system;
using namespace std::chrono_literals;

TEST_CASE("parse_proc_stat: hand-written sample with blanks and ')' in comm", "[stats]") {
  // proc(5) layout; comm "tor (relay) x" holds both a blank and a ')'.
  constexpr std::string_view kStat =
      "4242 (tor (relay) x) S 1 4242 4242 0 -1 4194560 151839 0 0 0 12345 678 0 0 20 0 3 0 "
      "987654 123456789 34567 18446744073709551615 1 1 0 0 0 0 0 4096 18947 0 0 0 17 1 0 0 0 0 0\n";
  auto st = parse_proc_stat(kStat);
  REQUIRE(st.has_value());
  CHECK(st->comm == "tor (relay) x");
  CHECK(st->state == 'S');
  CHECK(st->ppid == 1);
  CHECK(st->utime_ticks == 12345u);
  CHECK(st->stime_ticks == 678u);
  CHECK(st->num_threads == 3);
  CHECK(st->start_ticks == 987654u);
  CHECK(st->vsize_bytes == 123456789u);
  CHECK(st->rss_pages == 34567);
}

TEST_CASE("parse_proc_stat and friends reject malformed contents", "[stats][malformed]") {
  CHECK_FALSE(parse_proc_stat(""));
  CHECK_FALSE(parse_proc_stat("4242 (tor S 1 2 3"));
  CHECK_FALSE(parse_proc_stat("4242 (tor) S 1 2 3"));  // too few fields
  CHECK_FALSE(parse_proc_stat(
      "1 (x) S 1 1 1 0 -1 0 0 0 0 0 abc 0 0 0 20 0 1 0 5 6 7 8"));  // utime not a number
  CHECK_FALSE(parse_proc_statm("12 34"));
  CHECK_FALSE(parse_proc_statm("a b c d"));
  CHECK_FALSE(parse_boot_time("cpu 1 2 3\nintr 5\n"));
  CHECK_FALSE(parse_boot_time("btime soon\n"));
}

TEST_CASE("parse_proc_statm and parse_boot_time: hand-written samples", "[stats]") {
  auto statm = parse_proc_statm("31250 4521 1024 1200 0 9000 0\n");
  REQUIRE(statm);
  CHECK(statm->size_pages == 31250u);
  CHECK(statm->resident_pages == 4521u);
  CHECK(parse_boot_time("cpu  1 2 3\ncpu0 1 2 3\nintr 100\nctxt 5\nbtime 1763769600\n") ==
        1763769600);
}

TEST_CASE("cpu_percent: ticks over wall time, in percent of one core", "[stats]") {
  CHECK(cpu_percent(100, 150, 1s, 100) == Approx(50.0));
  CHECK(cpu_percent(0, 400, 2s, 100) == Approx(200.0));  // two busy cores
  CHECK(cpu_percent(0, 0, 5s, 100) == Approx(0.0));
  CHECK_FALSE(cpu_percent(10, 5, 1s, 100));  // counters went back (pid reused)
  CHECK_FALSE(cpu_percent(0, 5, 0s, 100));
}

TEST_CASE("the real /proc/self/stat and statm parse", "[stats]") {
  auto stat = read_whole_file("/proc/self/stat");
  REQUIRE(stat);
  auto st = parse_proc_stat(*stat);
  REQUIRE(st);
  CHECK(st->ppid == ::getppid());
  CHECK(st->num_threads >= 1);
  auto statm = read_whole_file("/proc/self/statm");
  REQUIRE(statm);
  CHECK(parse_proc_statm(*statm).has_value());
  auto proc_stat = read_whole_file("/proc/stat");
  REQUIRE(proc_stat);
  CHECK(parse_boot_time(*proc_stat).has_value());
}

TEST_CASE("ProcessSampler on this process: CPU, RSS, threads, descriptors, start time",
          "[stats][real]") {
  auto process_cpu = [] {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  };
  ProcessSampler sampler(::getpid());
  double cpu_before = process_cpu();
  auto wall_before = std::chrono::steady_clock::now();
  auto first = sampler.sample();
  CHECK(first.unavailable.empty());
  CHECK(first.pid == ::getpid());
  CHECK_FALSE(first.cpu_percent.has_value());  // needs two samples
  REQUIRE(first.rss_bytes.has_value());
  CHECK(*first.rss_bytes > 1024u * 1024u);
  REQUIRE(first.threads.has_value());
  REQUIRE(first.descriptors_used.has_value());
  REQUIRE(first.start_time.has_value());
  auto now = std::chrono::system_clock::now();
  CHECK(*first.start_time <= now + 1s);
  CHECK(*first.start_time > now - 10min);  // the test program started recently

  // Burn 300 ms of CPU (other programs may share the cores, so count CPU
  // time, not wall time).
  volatile std::uint64_t x = 0;
  while (process_cpu() - cpu_before < 0.3) x = x + 1;

  // Five more descriptors and one more thread.
  int fds[5];
  for (int& fd : fds) fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::thread extra([&] {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return release; });
  });

  auto second = sampler.sample();
  double cpu_after = process_cpu();
  auto wall_after = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  extra.join();
  for (int fd : fds) ::close(fd);

  // What the kernel's clock says this process used over the same interval;
  // /proc counts in 10 ms ticks, hence the margin.
  double expected = 100.0 * (cpu_after - cpu_before) /
                    std::chrono::duration<double>(wall_after - wall_before).count();
  REQUIRE(second.cpu_percent.has_value());
  CHECK(*second.cpu_percent > 10.0);
  CHECK(*second.cpu_percent == Approx(expected).margin(10.0));
  CHECK(*second.descriptors_used == *first.descriptors_used + 5);
  CHECK(*second.threads == *first.threads + 1);
  CHECK(second.start_time == first.start_time);
}

TEST_CASE("ProcessSampler on relaymon itself (pid 0 = /proc/self)", "[stats][real]") {
  ProcessSampler self;
  auto s = self.sample();
  CHECK(s.pid == ::getpid());
  CHECK(s.unavailable.empty());
  CHECK(s.rss_bytes.has_value());
  CHECK(s.descriptors_used.has_value());
}

TEST_CASE("ProcessSampler on a pid that does not exist says so", "[stats][real]") {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ProcessSampler gone(pid);
  auto s = gone.sample();
  CHECK(s.unavailable == "no process with pid " + std::to_string(pid));
  CHECK_FALSE(s.rss_bytes.has_value());
}

TEST_CASE("hidepid in /proc/mounts: hand-written samples", "[proc]") {
  constexpr std::string_view kPlain =
      "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
      "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n";
  constexpr std::string_view kHidden =
      "proc /proc proc rw,nosuid,nodev,noexec,relatime,hidepid=invisible,gid=4 0 0\n";
  constexpr std::string_view kHiddenOld = "proc /proc proc rw,relatime,hidepid=2 0 0\n";
  constexpr std::string_view kOff = "proc /proc proc rw,relatime,hidepid=0 0 0\n";
  constexpr std::string_view kElsewhere = "proc /mnt/proc proc rw,hidepid=2 0 0\n";
  CHECK_FALSE(proc_hides_other_users(kPlain));
  CHECK(proc_hides_other_users(kHidden));
  CHECK(proc_hides_other_users(kHiddenOld));
  CHECK_FALSE(proc_hides_other_users(kOff));
  CHECK_FALSE(proc_hides_other_users(kElsewhere));
  CHECK(proc_hides_other_users(kElsewhere, "/mnt/proc"));
}

TEST_CASE("scan_fds on this process: counts descriptors and finds a socket's inode", "[proc]") {
  int sock = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(sock >= 0);
  struct stat st {};
  REQUIRE(::fstat(sock, &st) == 0);
  FdScan with_links = scan_fds(0);
  FdScan count_only = scan_fd_dir("/proc/self/fd", true, false);
  ::close(sock);
  CHECK(with_links.error == 0);
  CHECK(with_links.socket_inodes.contains(static_cast<unsigned long>(st.st_ino)));
  CHECK(count_only.socket_inodes.empty());
  CHECK(count_only.count == with_links.count);
  CHECK(scan_fds(0).count + 1 == with_links.count);
}
