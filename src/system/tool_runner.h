// Runs a system tool (ss, netstat, lsof) as a child process without blocking
// the io_context: stdout and stderr are read through asio pipes, a deadline
// kills the child by its pid, the output is capped, and the callback gets
// either the output or a typed error. The child is reaped by polling
// waitpid(pid, WNOHANG) once its pipes close, so no SIGCHLD handler is
// installed (it would collide with anyone else's).
//
//   ToolRun ──posix_spawn──> child (LC_ALL=C, stdin /dev/null, own group)
//      │ stdout pipe ─async_read─> out (capped)
//      │ stderr pipe ─async_read─> err (capped)
//      │ deadline timer ─> kill(pid, SIGKILL)
//      └ reap timer ─> waitpid(pid, WNOHANG) ─> callback, once
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace relaymon::system {

enum class ToolErrorKind {
  kMissing,           // the program is not installed (not found on PATH or the sbin dirs)
  kPermissionDenied,  // found but not executable by us
  kTimeout,           // killed at the deadline
  kExitStatus,        // exited non-zero or was killed by a signal
  kOutputTooLarge,    // killed when stdout passed the cap
  kSpawnFailed,       // pipes or posix_spawn failed for another reason
  kCancelled,         // ToolRun::cancel()
};

struct ToolError {
  ToolErrorKind kind = ToolErrorKind::kSpawnFailed;
  std::string tool;             // argv[0] as given
  int exit_code = -1;           // kExitStatus: the exit status, -1 when killed by a signal
  int signal = 0;               // kExitStatus: the signal that killed it, if any
  int error = 0;                // errno, for kPermissionDenied / kSpawnFailed
  std::string stderr_text;      // what the tool said (capped)
  std::string stdout_text;      // kExitStatus: what it printed anyway (lsof exits 1 on "none")
  std::string message() const;  // one human sentence
};

struct ToolOutput {
  std::string stdout_text;
  std::string stderr_text;
  std::chrono::milliseconds elapsed{0};
};

using ToolResult = std::variant<ToolOutput, ToolError>;

struct ToolOptions {
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_output = 64 * 1024 * 1024;  // ss -tuanpi of 100k sockets is ~50 MB
  std::size_t max_stderr = 16 * 1024;
};

// Where a program would be run from: PATH, then /usr/sbin, /sbin, /usr/bin,
// /bin (ss lives in /usr/sbin on some systems and non-root PATHs omit it).
// A name containing '/' is returned as is if it exists.
std::optional<std::string> find_program(std::string_view name);

class ToolRun : public std::enable_shared_from_this<ToolRun> {
 public:
  using Callback = std::function<void(ToolResult)>;

  // Starts argv[0] with the rest as arguments. The callback runs exactly
  // once, always from the io_context (never inside start()).
  static std::shared_ptr<ToolRun> start(boost::asio::io_context& io, std::vector<std::string> argv,
                                        ToolOptions options, Callback callback);

  // Kills the child; the callback gets kCancelled.
  void cancel();
  // The child's pid (0 when it never started).
  pid_t pid() const { return pid_; }

  ~ToolRun();
  ToolRun(const ToolRun&) = delete;
  ToolRun& operator=(const ToolRun&) = delete;

 private:
  struct State;
  ToolRun(boost::asio::io_context& io, std::vector<std::string> argv, ToolOptions options,
          Callback callback);
  void launch();
  void read_stdout();
  void read_stderr();
  void on_stream_closed();
  void stop_with(ToolErrorKind kind);
  void try_reap();
  void complete(int wait_status, bool status_known);
  void deliver(ToolResult result);

  std::unique_ptr<State> state_;
  pid_t pid_ = 0;
};

}  // namespace relaymon::system
