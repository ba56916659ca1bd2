// A Resolver finds the sockets of one process (tor's pid) through one system
// view: the in-process /proc fast path or one of the tools ss, netstat and
// lsof (resolvers.h). Results are typed: "no permission" is never an empty
// list that would read as "the relay has no connections".
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/socket.h"

namespace relaymon::system {

enum class ResolveStatus {
  kOk,            // `sockets` is tor's complete list (possibly empty)
  kNoPermission,  // tor's sockets exist but we may not see them: `message` says what to do
  kProcessGone,   // no process with that pid
  kUnavailable,   // the tool (or /proc) is not there on this system
  kTimeout,       // the tool was stopped at its deadline
  kFailed,        // the tool failed or printed nothing we could read
};

std::string_view to_string(ResolveStatus status);

struct ResolveResult {
  ResolveStatus status = ResolveStatus::kFailed;
  std::string resolver;  // name() of the resolver that produced it
  Sockets sockets;       // kOk only
  std::string message;   // one or two human sentences when not kOk
  ParseDiagnostics diagnostics;
  std::chrono::milliseconds elapsed{0};

  bool ok() const { return status == ResolveStatus::kOk; }
};

class Resolver {
 public:
  using Result = ResolveResult;
  using Callback = std::function<void(ResolveResult)>;

  virtual ~Resolver() = default;
  // "proc", "ss", "netstat", "lsof": the names --resolver accepts.
  virtual std::string_view name() const = 0;
  // What it does, for the UI: "reads /proc/PID/net/* and /proc/PID/fd in process".
  virtual std::string_view description() const = 0;
  // Collects the sockets of `pid`; the callback runs once, on the
  // io_context the resolver was made with, never inside this call.
  virtual void async_collect(int pid, Callback callback) = 0;
};

// The plain-language "no permission" text: what failed, what relaymon
// still shows (the control-port view), and how to fix it.
std::string no_permission_message(int pid, std::string_view user, std::string_view what_failed);

}  // namespace relaymon::system
