// The five resolvers (resolver.h):
//
//   NetlinkResolver  /proc/PID/fd socket inodes joined with the kernel's
//                    NETLINK_SOCK_DIAG dump (binary, no text tables to print
//                    and parse, and tcp_info's byte counters and rtt), on a
//                    worker thread like ProcResolver: the first choice.
//   ProcResolver     /proc/PID/fd socket inodes joined with /proc/PID/net/
//                    {tcp,tcp6,udp,udp6}, in process: the per-poll fast path.
//                    The reads are synchronous file reads (the tables reach
//                    several MB at 50k sockets), so they run on one worker
//                    thread that posts the finished result back to the
//                    io_context; nothing else is shared with it.
//   SsResolver       `ss -tuanpi`, filtered to the pid (byte counters, rtt).
//   NetstatResolver  `netstat -tuanpW`, filtered to the pid.
//   LsofResolver     `lsof -nPi -a -p PID`.
//
// The tool resolvers run their tool through ToolRun (tool_runner.h).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <vector>

#include "system/proc_reader.h"
#include "system/resolver.h"
#include "system/sock_diag_reader.h"
#include "system/tool_runner.h"

namespace relaymon::system {

// The /proc collection itself, synchronous (what ProcResolver runs on its
// worker thread). `proc_root` is "/proc" except in tests.
ResolveResult collect_from_proc(int pid, const std::string& proc_root = "/proc");

// What the netlink collection keeps from one poll to the next: its netlink
// socket and which socket each of tor's descriptors holds (FdInodeCache:
// one readlink per new descriptor instead of one per descriptor per poll).
struct NetlinkSession {
  SockDiagReader reader;
  FdInodeCache fds;
  std::string unmatched[2];     // other sockets' records of the last dump (tcp, udp)
  bool per_family_tcp = false;  // the kernel refused the one-walk TCP request
};

// The netlink collection, synchronous (what NetlinkResolver runs on its
// worker thread, with its session).
ResolveResult collect_from_netlink(int pid, NetlinkSession& session,
                                   const std::string& proc_root = "/proc");
ResolveResult collect_from_netlink(int pid, const std::string& proc_root = "/proc");

class NetlinkResolver final : public Resolver {
 public:
  explicit NetlinkResolver(boost::asio::io_context& io, std::string proc_root = "/proc");
  ~NetlinkResolver() override;
  std::string_view name() const override { return "netlink"; }
  std::string_view description() const override {
    return "reads tor's socket inodes from /proc/PID/fd and the kernel's sockets through "
           "netlink sock_diag (with byte counters and rtt) in process";
  }
  void async_collect(int pid, Callback callback) override;

 private:
  boost::asio::io_context& io_;
  std::string proc_root_;
  std::unique_ptr<NetlinkSession> session_;
  boost::asio::thread_pool worker_{1};  // last: joined before the reader goes
};

class ProcResolver final : public Resolver {
 public:
  explicit ProcResolver(boost::asio::io_context& io, std::string proc_root = "/proc");
  ~ProcResolver() override;
  std::string_view name() const override { return "proc"; }
  std::string_view description() const override {
    return "reads tor's socket inodes from /proc/PID/fd and the kernel's socket tables "
           "(/proc/PID/net/tcp, tcp6, udp, udp6) in process";
  }
  void async_collect(int pid, Callback callback) override;

 private:
  boost::asio::io_context& io_;
  std::string proc_root_;
  boost::asio::thread_pool worker_{1};
};

// Shared by the three tool resolvers: run argv, parse, filter, and turn
// failures and empty views into typed results.
class ToolResolver : public Resolver {
 public:
  ToolResolver(boost::asio::io_context& io, ToolOptions options) : io_(io), options_(options) {}
  void async_collect(int pid, Callback callback) override;

 protected:
  virtual std::vector<std::string> command(int pid) const = 0;
  // Parses the tool's output and keeps the sockets of `pid`.
  virtual Sockets parse(std::string_view output, int pid, ParseDiagnostics& diag) const = 0;
  // Whether a failed run still printed a usable answer (lsof exits 1 when
  // the process has no internet sockets).
  virtual bool usable_despite(const ToolError&) const { return false; }

 private:
  boost::asio::io_context& io_;
  ToolOptions options_;
};

class SsResolver final : public ToolResolver {
 public:
  explicit SsResolver(boost::asio::io_context& io, ToolOptions options = {})
      : ToolResolver(io, options) {}
  std::string_view name() const override { return "ss"; }
  std::string_view description() const override {
    return "runs `ss -tuanpi` and keeps tor's sockets (with byte counters and rtt)";
  }

 private:
  std::vector<std::string> command(int pid) const override;
  Sockets parse(std::string_view output, int pid, ParseDiagnostics& diag) const override;
};

class NetstatResolver final : public ToolResolver {
 public:
  explicit NetstatResolver(boost::asio::io_context& io, ToolOptions options = {})
      : ToolResolver(io, options) {}
  std::string_view name() const override { return "netstat"; }
  std::string_view description() const override {
    return "runs `netstat -tuanpW` and keeps tor's sockets";
  }

 private:
  std::vector<std::string> command(int pid) const override;
  Sockets parse(std::string_view output, int pid, ParseDiagnostics& diag) const override;
};

class LsofResolver final : public ToolResolver {
 public:
  explicit LsofResolver(boost::asio::io_context& io, ToolOptions options = {})
      : ToolResolver(io, options) {}
  std::string_view name() const override { return "lsof"; }
  std::string_view description() const override { return "runs `lsof -nPi -a -p PID`"; }

 private:
  std::vector<std::string> command(int pid) const override;
  Sockets parse(std::string_view output, int pid, ParseDiagnostics& diag) const override;
  bool usable_despite(const ToolError& error) const override;
};

}  // namespace relaymon::system
