// Small synchronous readers of /proc for the in-process fast path and the
// process stats. Each reads one small file or directory (a few KB; the
// socket tables can reach a few MB on a busy host, which is why
// ProcResolver calls these off the io_context thread, resolvers.h).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "system/proc_net.h"

namespace relaymon::system {

// The whole content of a file, read until EOF (proc files report size 0).
// On failure nullopt and `*error` = errno (ENOENT, EACCES...).
std::optional<std::string> read_whole_file(const std::string& path, int* error = nullptr);

struct FdScan {
  int error = 0;           // errno of opening /proc/PID/fd; 0 when read
  std::size_t count = 0;   // descriptors open
  InodeSet socket_inodes;  // targets "socket:[N]"
};

// Lists /proc/PID/fd ("self" for this process when pid is 0).
FdScan scan_fds(pid_t pid);
// Lists a directory of fd links; `own` when it is this process's (the
// handle used to list it is then not counted). Without `read_links` only
// counts (one readlink per descriptor is most of the cost at 30,000 fds).
FdScan scan_fd_dir(const std::string& dir_path, bool own, bool read_links = true);

// How many descriptors are open under a /proc/PID/fd directory, from
// stat() alone (Linux 6.2 and later give it as st_size): no listing, which
// costs a dentry per descriptor. nullopt on older kernels or on error.
std::optional<std::size_t> fd_count_by_stat(const std::string& dir_path);

// The target of a symbolic link ("net:[4026531840]" for /proc/PID/ns/net);
// nullopt when unreadable.
std::optional<std::string> read_link(const std::string& path);

// Which socket each descriptor of one process holds, learnt with one
// readlink per descriptor and then trusted on later polls while the kernel
// still lists that socket: a descriptor that was closed and reused shows up
// because its old socket is gone from the kernel's dump (a closed socket
// has no inode any more: orphans and TIME-WAIT report inode 0), and
// `refresh` reads it again. The one case this cannot see is a descriptor
// reused while another holder (another process, a dup) keeps its old
// socket open; tor never shares its sockets, and a full scan every
// kFullScanEvery polls bounds even that. The directory is not even listed
// while the descriptor count (st_size of /proc/PID/fd, Linux 6.2+) is what
// it was at the last listing and no inet socket it knew has closed; what that
// misses (a file closed while a socket opened) waits for the full scan.
// Not thread-safe: one per worker.
class FdInodeCache {
 public:
  static constexpr int kFullScanEvery = 12;  // one minute at the 5 s poll

  // Lists the fd directory of `pid` (under `dir_path`, `own` as in
  // scan_fd_dir) and reads the links of descriptors it does not know yet.
  // socket_inodes holds every socket the process has now, as far as known.
  FdScan scan(int pid, const std::string& dir_path, bool own);

  // After the kernel's dump: `found` are the inodes it listed for this
  // process. Descriptors whose remembered socket was not among them are
  // read again; returns the socket inodes that are new (to look up in the
  // same dump again) and forgets descriptors that no longer hold a socket.
  InodeSet refresh(const InodeSet& found);

  // Readlink calls in the last scan + refresh (to measure the cache).
  std::size_t links_read() const { return links_read_; }
  // Polls that used the remembered sockets without listing the directory.
  std::size_t listings_skipped() const { return listings_skipped_; }

 private:
  std::optional<unsigned long> read_socket_link(int fd);
  FdScan list();  // lists dir_ and reads the links of descriptors not known

  int pid_ = -1;
  std::string dir_;
  int polls_ = 0;
  unsigned generation_ = 0;
  std::vector<unsigned long> inode_of_fd_;  // 0: no socket known on that descriptor
  std::vector<unsigned> seen_;              // generation of the last listing that had it
  std::vector<int> trusted_;                // descriptors taken from memory this poll
  std::size_t links_read_ = 0;
  std::vector<char> dumped_;  // the descriptor's socket was in the last dump
  bool own_ = false;
  bool listed_ = false;           // the table holds a complete listing
  std::size_t listed_count_ = 0;  // descriptors that listing counted
  std::optional<std::size_t> listed_stat_;  // the kernel's count just before it
  bool skipped_ = false;          // this poll's scan came from memory
  std::size_t listings_skipped_ = 0;
};

// True when /proc/PID exists (the process is alive, whoever owns it).
bool process_exists(pid_t pid);

// Whether the proc filesystem mounted at `mount_point` hides other users'
// processes (`hidepid=1|2|noaccess|invisible|ptraceable` in /proc/mounts):
// their /proc/PID then looks absent, which is a permission problem, not a
// process that exited. Pure: `mounts` is the content of /proc/mounts.
bool proc_hides_other_users(std::string_view mounts, std::string_view mount_point = "/proc");

// /proc/PID/comm without the newline; empty when unreadable.
std::string process_comm(pid_t pid);

// The name of the user owning the process (real uid from /proc/PID/status),
// or the uid as text when it has no name; empty when unreadable.
std::string process_user(pid_t pid);

}  // namespace relaymon::system
