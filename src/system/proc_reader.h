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

// The target of a symbolic link ("net:[4026531840]" for /proc/PID/ns/net);
// nullopt when unreadable.
std::optional<std::string> read_link(const std::string& path);

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
