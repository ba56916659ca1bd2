#include "system/resolvers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "system/lsof_parser.h"
#include "system/netstat_parser.h"
#include "system/proc_reader.h"
#include "system/sock_diag_parser.h"
#include "system/ss_parser.h"

namespace relaymon::system {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

ResolveResult make_result(std::string_view resolver, ResolveStatus status, std::string message) {
  ResolveResult r;
  r.resolver = std::string(resolver);
  r.status = status;
  r.message = std::move(message);
  return r;
}

bool proc_mount_hides_processes() {
  auto mounts = read_whole_file("/proc/mounts");
  return mounts && proc_hides_other_users(*mounts, "/proc");
}

// The answer when /proc/PID/fd cannot be listed: why, in the user's terms.
std::optional<ResolveResult> fd_scan_failure(std::string_view resolver, const FdScan& scan, int pid,
                                             const std::string& proc_root,
                                             const std::string& pid_dir) {
  if (scan.error == 0) return std::nullopt;
  if (!read_whole_file(proc_root + "/self/stat")) {
    return make_result(resolver, ResolveStatus::kUnavailable,
                       fmt::format("{} is not available on this system.", proc_root));
  }
  if (scan.error == ENOENT) {
    if (proc_mount_hides_processes()) {
      return make_result(
          resolver, ResolveStatus::kNoPermission,
          no_permission_message(pid, {},
                                fmt::format("{} is mounted with hidepid, which hides other "
                                            "users' processes, so {} is not visible",
                                            proc_root, pid_dir)));
    }
    return make_result(resolver, ResolveStatus::kProcessGone,
                       fmt::format("No process with pid {} ({}/fd does not exist).", pid, pid_dir));
  }
  if (scan.error == EACCES || scan.error == EPERM) {
    return make_result(resolver, ResolveStatus::kNoPermission,
                       no_permission_message(pid, process_user(pid),
                                             fmt::format("reading {}/fd was refused", pid_dir)));
  }
  return make_result(resolver, ResolveStatus::kFailed,
                     fmt::format("Reading {}/fd failed: {}.", pid_dir, std::strerror(scan.error)));
}

}  // namespace

ResolveResult collect_from_proc(int pid, const std::string& proc_root) {
  auto start = Clock::now();
  const std::string pid_dir = fmt::format("{}/{}", proc_root, pid);
  int error = 0;
  // /proc/PID/fd: which sockets are tor's.
  FdScan scan = scan_fd_dir(pid_dir + "/fd", pid == ::getpid());
  if (auto failure = fd_scan_failure("proc", scan, pid, proc_root, pid_dir)) return *failure;
  // tor's own network namespace: /proc/PID/net, not relaymon's /proc/net.
  std::string tables[4];
  const char* names[4] = {"tcp", "tcp6", "udp", "udp6"};
  for (int k = 0; k < 4; ++k) {
    auto content = read_whole_file(fmt::format("{}/net/{}", pid_dir, names[k]), &error);
    if (content) {
      tables[k] = std::move(*content);
    } else if (k == 0) {
      return make_result(
          "proc", ResolveStatus::kFailed,
          fmt::format("Reading {}/net/tcp failed: {}.", pid_dir, std::strerror(error)));
    }
    // tcp6/udp6 are absent when IPv6 is disabled: nothing to join there.
  }
  ResolveResult r;
  r.resolver = "proc";
  r.status = ResolveStatus::kOk;
  r.sockets = join_proc_net({tables[0], tables[1], tables[2], tables[3]}, scan.socket_inodes, pid,
                            process_comm(pid), &r.diagnostics);
  r.elapsed = since(start);
  return r;
}

ResolveResult collect_from_netlink(int pid, NetlinkSession& session, const std::string& proc_root) {
  auto start = Clock::now();
  const std::string pid_dir = fmt::format("{}/{}", proc_root, pid);
  if (session.reader.open_error() != 0) {
    return make_result("netlink", ResolveStatus::kUnavailable,
                       fmt::format("The kernel's socket diagnostics (NETLINK_SOCK_DIAG) cannot "
                                   "be opened: {}.",
                                   std::strerror(session.reader.open_error())));
  }
  FdScan scan = session.fds.scan(pid, pid_dir + "/fd", pid == ::getpid());
  if (auto failure = fd_scan_failure("netlink", scan, pid, proc_root, pid_dir)) return *failure;
  // Netlink answers for relaymon's network namespace; a tor in another one
  // (a container) is seen only through its own /proc/PID/net.
  auto ours = read_link(proc_root + "/self/ns/net");
  auto tors = read_link(pid_dir + "/ns/net");
  if (ours && tors && *ours != *tors) {
    return make_result("netlink", ResolveStatus::kUnavailable,
                       fmt::format("tor (pid {}) runs in another network namespace ({}, relaymon "
                                   "is in {}); netlink sees only relaymon's.",
                                   pid, *tors, *ours));
  }
  ResolveResult r;
  r.resolver = "netlink";
  r.sockets.reserve(scan.socket_inodes.size());
  const std::string process = process_comm(pid);
  struct Dump {
    int family;
    int protocol;
    const char* proc_table;  // read instead when the kernel has no handler
  };
  // TCP of both families in one walk when the kernel takes the old request,
  // else one dump per family (session.per_family_tcp remembers which).
  std::vector<Dump> dumps;
  if (!session.per_family_tcp) dumps.push_back({AF_UNSPEC, IPPROTO_TCP, nullptr});
  dumps.push_back({AF_INET, IPPROTO_TCP, "tcp"});
  dumps.push_back({AF_INET6, IPPROTO_TCP, "tcp6"});
  dumps.push_back({AF_INET, IPPROTO_UDP, "udp"});
  dumps.push_back({AF_INET6, IPPROTO_UDP, "udp6"});
  for (auto& text : session.unmatched) text.clear();
  std::vector<std::pair<std::string, const char*>> proc_tables;
  bool tcp_done = false;
  for (const auto& dump : dumps) {
    bool tcp = dump.protocol == IPPROTO_TCP;
    if (tcp && tcp_done) continue;
    std::size_t kept = r.sockets.size();
    int error = session.reader.dump(dump.family, dump.protocol, scan.socket_inodes, pid, process,
                                    r.sockets, r.diagnostics, &session.unmatched[tcp ? 0 : 1]);
    if (dump.family == AF_UNSPEC) {
      if (error == 0) {
        tcp_done = true;
      } else {
        // Not taken (or broken) on this kernel: per family from now on.
        session.per_family_tcp = true;
        r.sockets.resize(kept);
        session.unmatched[0].clear();
      }
      continue;
    }
    if (error == 0) continue;
    if (error == ENOENT) {
      // No sock_diag handler for it (udp_diag not loaded, IPv6 off): the
      // kernel's table in /proc has the same rows, when it exists.
      if (auto table = read_whole_file(fmt::format("{}/net/{}", pid_dir, dump.proc_table))) {
        const char* protocol = tcp ? "tcp" : "udp";
        parse_proc_net_into(*table, protocol, r.sockets, &scan.socket_inodes, pid, process,
                            &r.diagnostics);
        proc_tables.emplace_back(std::move(*table), protocol);
      }
      continue;
    }
    return make_result("netlink", ResolveStatus::kFailed,
                       fmt::format("The netlink socket dump ({} {}) failed: {}.",
                                   dump.family == AF_INET ? "IPv4" : "IPv6", tcp ? "TCP" : "UDP",
                                   std::strerror(error)));
  }
  // Descriptors remembered from an earlier poll whose socket the dump no
  // longer has were closed and maybe reused: their new sockets are looked
  // up among the records the filter dropped (as many as kUnmatchedBudget
  // keeps; the rest the next poll's dump finds by their descriptors).
  InodeSet found;
  found.reserve(r.sockets.size());
  for (const auto& socket : r.sockets) found.insert(*socket.inode);
  InodeSet fresh = session.fds.refresh(found);
  if (!fresh.empty()) {
    parse_sock_diag_into(session.unmatched[0], "tcp", r.sockets, &fresh, pid, process,
                         &r.diagnostics);
    parse_sock_diag_into(session.unmatched[1], "udp", r.sockets, &fresh, pid, process,
                         &r.diagnostics);
    for (const auto& [table, protocol] : proc_tables) {
      parse_proc_net_into(table, protocol, r.sockets, &fresh, pid, process, &r.diagnostics);
    }
  }
  r.status = ResolveStatus::kOk;
  r.elapsed = since(start);
  return r;
}

ResolveResult collect_from_netlink(int pid, const std::string& proc_root) {
  NetlinkSession session;
  return collect_from_netlink(pid, session, proc_root);
}

NetlinkResolver::NetlinkResolver(asio::io_context& io, std::string proc_root)
    : io_(io), proc_root_(std::move(proc_root)), session_(std::make_unique<NetlinkSession>()) {}

NetlinkResolver::~NetlinkResolver() {
  worker_.join();
}

void NetlinkResolver::async_collect(int pid, Callback callback) {
  // The session is used on the worker thread only (one run at a time there).
  asio::post(worker_, [this, work = asio::make_work_guard(io_), pid,
                       callback = std::move(callback)]() mutable {
    ResolveResult result = collect_from_netlink(pid, *session_, proc_root_);
    asio::post(io_, [result = std::move(result), callback = std::move(callback)]() mutable {
      callback(std::move(result));
    });
    work.reset();
  });
}

ProcResolver::ProcResolver(asio::io_context& io, std::string proc_root)
    : io_(io), proc_root_(std::move(proc_root)) {}

ProcResolver::~ProcResolver() {
  worker_.join();
}

void ProcResolver::async_collect(int pid, Callback callback) {
  // The work guard keeps io.run() from returning while the worker reads.
  asio::post(worker_, [&io = io_, work = asio::make_work_guard(io_), root = proc_root_, pid,
                       callback = std::move(callback)]() mutable {
    ResolveResult result = collect_from_proc(pid, root);
    asio::post(io, [result = std::move(result), callback = std::move(callback)]() mutable {
      callback(std::move(result));
    });
    work.reset();
  });
}

void ToolResolver::async_collect(int pid, Callback callback) {
  auto start = Clock::now();
  // The resolver outlives its runs (the chain owns it for the program's
  // life), so the handler may use `this`.
  ToolRun::start(
      io_, command(pid), options_,
      [this, pid, start, callback = std::move(callback)](ToolResult tool_result) {
        std::string output;
        if (auto* error = std::get_if<ToolError>(&tool_result)) {
          if (!usable_despite(*error)) {
            ResolveStatus status = ResolveStatus::kFailed;
            if (error->kind == ToolErrorKind::kMissing) status = ResolveStatus::kUnavailable;
            if (error->kind == ToolErrorKind::kTimeout) status = ResolveStatus::kTimeout;
            auto r = make_result(name(), status, error->message());
            r.elapsed = since(start);
            return callback(std::move(r));
          }
          output = std::move(error->stdout_text);
        } else {
          output = std::move(std::get<ToolOutput>(tool_result).stdout_text);
        }
        ResolveResult r;
        r.resolver = std::string(name());
        r.sockets = parse(output, pid, r.diagnostics);
        r.elapsed = since(start);
        if (!r.sockets.empty()) {
          r.status = ResolveStatus::kOk;
          return callback(std::move(r));
        }
        if (r.diagnostics.skipped > 0 && r.diagnostics.skipped + 2 >= r.diagnostics.lines) {
          r.status = ResolveStatus::kFailed;
          r.message = fmt::format("{} printed {} lines relaymon could not read (e.g. \"{}\").",
                                  name(), r.diagnostics.skipped, r.diagnostics.examples.front());
          return callback(std::move(r));
        }
        if (!process_exists(pid) && !proc_mount_hides_processes()) {
          r.status = ResolveStatus::kProcessGone;
          r.message = fmt::format("No process with pid {}.", pid);
          return callback(std::move(r));
        }
        // tor always has sockets (at least the control connection we use):
        // none at all means the tool could not attribute them to tor.
        r.status = ResolveStatus::kNoPermission;
        r.message = no_permission_message(
            pid, process_user(pid),
            fmt::format("{} shows no sockets for that pid (it names only our own user's processes)",
                        name()));
        callback(std::move(r));
      });
}

std::vector<std::string> SsResolver::command(int) const {
  return {"ss", "-tuanpi"};
}

Sockets SsResolver::parse(std::string_view output, int pid, ParseDiagnostics& diag) const {
  return filter_by_pid(parse_ss(output, &diag), pid);
}

std::vector<std::string> NetstatResolver::command(int) const {
  return {"netstat", "-tuanpW"};
}

Sockets NetstatResolver::parse(std::string_view output, int pid, ParseDiagnostics& diag) const {
  return filter_by_pid(parse_netstat(output, &diag), pid);
}

std::vector<std::string> LsofResolver::command(int pid) const {
  return {"lsof", "-nPi", "-a", "-p", std::to_string(pid)};
}

Sockets LsofResolver::parse(std::string_view output, int pid, ParseDiagnostics& diag) const {
  return filter_by_pid(parse_lsof(output, &diag), pid);
}

bool LsofResolver::usable_despite(const ToolError& error) const {
  return error.kind == ToolErrorKind::kExitStatus && error.exit_code == 1;
}

}  // namespace relaymon::system
