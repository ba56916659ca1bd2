#include "system/tool_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace relaymon::system {

namespace asio = boost::asio;

std::string ToolError::message() const {
  std::string said;
  if (!stderr_text.empty()) {
    std::string_view s = stderr_text;
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    if (auto nl = s.find('\n'); nl != std::string_view::npos) s = s.substr(0, nl);
    said = fmt::format(": \"{}\"", s.substr(0, 200));
  }
  switch (kind) {
    case ToolErrorKind::kMissing:
      return fmt::format("{} is not installed (not found on PATH, /usr/sbin or /sbin).", tool);
    case ToolErrorKind::kPermissionDenied:
      return fmt::format("{} could not be run: {}.", tool, std::strerror(error));
    case ToolErrorKind::kTimeout:
      return fmt::format("{} took too long and was stopped.", tool);
    case ToolErrorKind::kExitStatus:
      if (signal != 0) return fmt::format("{} was killed by signal {}{}.", tool, signal, said);
      return fmt::format("{} failed with exit status {}{}.", tool, exit_code, said);
    case ToolErrorKind::kOutputTooLarge:
      return fmt::format("{} printed more than relaymon reads at once and was stopped.", tool);
    case ToolErrorKind::kSpawnFailed:
      return fmt::format("{} could not be started: {}.", tool, std::strerror(error));
    case ToolErrorKind::kCancelled:
      return fmt::format("{} was cancelled.", tool);
  }
  return tool;
}

std::optional<std::string> find_program(std::string_view name) {
  auto executable = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  };
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string_view::npos) {
    std::string path(name);
    if (executable(path)) return path;
    return std::nullopt;
  }
  std::string dirs;
  if (const char* env = std::getenv("PATH")) dirs = env;
  dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::string_view rest = dirs;
  while (!rest.empty()) {
    auto colon = rest.find(':');
    std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
    if (dir.empty()) continue;
    std::string path = fmt::format("{}/{}", dir, name);
    if (executable(path)) return path;
  }
  return std::nullopt;
}

struct ToolRun::State {
  State(asio::io_context& io_, std::vector<std::string> argv_, ToolOptions options_,
        Callback callback_)
      : io(io_),
        argv(std::move(argv_)),
        options(options_),
        callback(std::move(callback_)),
        out(io_),
        err(io_),
        deadline(io_),
        reap_timer(io_) {}

  asio::io_context& io;
  std::vector<std::string> argv;
  ToolOptions options;
  Callback callback;
  asio::posix::stream_descriptor out;
  asio::posix::stream_descriptor err;
  asio::steady_timer deadline;
  asio::steady_timer reap_timer;
  std::array<char, 64 * 1024> out_buf{};
  std::array<char, 4096> err_buf{};
  std::string out_text;
  std::string err_text;
  int open_streams = 0;
  bool reaped = false;
  bool delivered = false;
  std::optional<ToolErrorKind> stopped;  // why we killed the child, if we did
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

ToolRun::ToolRun(asio::io_context& io, std::vector<std::string> argv, ToolOptions options,
                 Callback callback)
    : state_(std::make_unique<State>(io, std::move(argv), options, std::move(callback))) {}

ToolRun::~ToolRun() {
  // Only reached once every handler is done; a child still running here
  // means the io_context was destroyed mid-run: do not leave it behind.
  if (pid_ > 0 && !state_->reaped) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::shared_ptr<ToolRun> ToolRun::start(asio::io_context& io, std::vector<std::string> argv,
                                        ToolOptions options, Callback callback) {
  std::shared_ptr<ToolRun> run(new ToolRun(io, std::move(argv), options, std::move(callback)));
  run->launch();
  return run;
}

void ToolRun::deliver(ToolResult result) {
  if (state_->delivered) return;
  state_->delivered = true;
  state_->deadline.cancel();
  state_->reap_timer.cancel();
  // Always from the io_context, never inside start() or cancel().
  asio::post(state_->io, [self = shared_from_this(), result = std::move(result)]() mutable {
    auto callback = std::move(self->state_->callback);
    if (callback) callback(std::move(result));
  });
}

void ToolRun::launch() {
  State& s = *state_;
  ToolError error;
  error.tool = s.argv.empty() ? std::string() : s.argv.front();
  auto path = find_program(error.tool);
  if (!path) {
    error.kind = ToolErrorKind::kMissing;
    return deliver(error);
  }
  if (::access(path->c_str(), X_OK) != 0) {
    error.kind = ToolErrorKind::kPermissionDenied;
    error.error = errno;
    return deliver(error);
  }

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    error.error = errno;
    return deliver(error);
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    error.error = errno;
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return deliver(error);
  }

  // The tools' column names and state words must not be translated.
  std::vector<std::string> env_storage;
  for (char** e = environ; e && *e; ++e) {
    std::string_view var = *e;
    if (var.starts_with("LC_") || var.starts_with("LANG=") || var.starts_with("LANGUAGE=")) {
      continue;
    }
    // The app takes it out of the environment at start; never pass it on
    // even if something put it back.
    if (var.starts_with("RELAYMON_PASSWORD=")) continue;
    env_storage.emplace_back(var);
  }
  env_storage.emplace_back("LC_ALL=C");
  std::vector<char*> envp;
  for (auto& v : env_storage) envp.push_back(v.data());
  envp.push_back(nullptr);
  std::vector<char*> argvp;
  for (auto& a : s.argv) argvp.push_back(a.data());
  argvp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigfillset(&defaults);  // SIGPIPE and friends back to default in the child
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // a terminal's Ctrl-C is relaymon's to handle
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, path->c_str(), &actions, &attr, argvp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    error.error = rc;
    error.kind = rc == ENOENT   ? ToolErrorKind::kMissing
                 : rc == EACCES ? ToolErrorKind::kPermissionDenied
                                : ToolErrorKind::kSpawnFailed;
    return deliver(error);
  }
  pid_ = pid;
  s.out.assign(out_pipe[0]);
  s.err.assign(err_pipe[0]);
  s.open_streams = 2;
  s.deadline.expires_after(s.options.timeout);
  s.deadline.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->state_->delivered) return;
    self->stop_with(ToolErrorKind::kTimeout);
  });
  read_stdout();
  read_stderr();
}

void ToolRun::read_stdout() {
  State& s = *state_;
  s.out.async_read_some(
      asio::buffer(s.out_buf),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        State& st = *self->state_;
        if (ec) return self->on_stream_closed();
        if (st.stopped) return self->on_stream_closed();
        if (st.out_text.size() + n > st.options.max_output) {
          self->stop_with(ToolErrorKind::kOutputTooLarge);
          return self->on_stream_closed();
        }
        st.out_text.append(st.out_buf.data(), n);
        self->read_stdout();
      });
}

void ToolRun::read_stderr() {
  State& s = *state_;
  s.err.async_read_some(
      asio::buffer(s.err_buf),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        State& st = *self->state_;
        if (ec || st.stopped) return self->on_stream_closed();
        std::size_t room = st.options.max_stderr > st.err_text.size()
                               ? st.options.max_stderr - st.err_text.size()
                               : 0;
        st.err_text.append(st.err_buf.data(), std::min(n, room));
        self->read_stderr();
      });
}

void ToolRun::on_stream_closed() {
  State& s = *state_;
  if (--s.open_streams > 0) return;
  boost::system::error_code ignored;
  s.out.close(ignored);
  s.err.close(ignored);
  try_reap();
}

void ToolRun::stop_with(ToolErrorKind kind) {
  State& s = *state_;
  if (s.stopped || s.reaped) return;
  s.stopped = kind;
  if (pid_ > 0) ::kill(pid_, SIGKILL);
  // Pending reads finish with operation_aborted and lead to try_reap().
  boost::system::error_code ignored;
  s.out.cancel(ignored);
  s.err.cancel(ignored);
}

void ToolRun::cancel() {
  asio::post(state_->io, [self = shared_from_this()] {
    if (self->state_->delivered) return;
    if (self->pid_ == 0) return;
    self->stop_with(ToolErrorKind::kCancelled);
  });
}

void ToolRun::try_reap() {
  State& s = *state_;
  if (s.reaped || s.delivered) return;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    s.reaped = true;
    return complete(status, true);
  }
  if (r < 0 && errno != EINTR) {
    // ECHILD: someone else reaped it (SIGCHLD ignored, or a waitpid(-1)).
    s.reaped = true;
    return complete(0, false);
  }
  // The pipes closed a moment before the exit: look again shortly. The
  // deadline still applies (a child that closed stdout but keeps running).
  s.reap_timer.expires_after(std::chrono::milliseconds(2));
  s.reap_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec) return;
    self->try_reap();
  });
}

void ToolRun::complete(int wait_status, bool status_known) {
  State& s = *state_;
  ToolError error;
  error.tool = s.argv.front();
  error.stderr_text = s.err_text;
  if (s.stopped) {
    error.kind = *s.stopped;
    return deliver(std::move(error));
  }
  if (status_known && WIFSIGNALED(wait_status)) {
    error.kind = ToolErrorKind::kExitStatus;
    error.signal = WTERMSIG(wait_status);
    error.stdout_text = std::move(s.out_text);
    return deliver(std::move(error));
  }
  if (status_known && WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0) {
    error.kind = ToolErrorKind::kExitStatus;
    error.exit_code = WEXITSTATUS(wait_status);
    error.stdout_text = std::move(s.out_text);
    return deliver(std::move(error));
  }
  ToolOutput output;
  output.stdout_text = std::move(s.out_text);
  output.stderr_text = std::move(s.err_text);
  output.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - s.started);
  deliver(std::move(output));
}

}  // namespace relaymon::system
