// A real tor for integration tests: Debian's `tor` with DisableNetwork 1
// (it never reaches for any network), its control port on 127.0.0.1 at a
// port tor picks itself (ControlPortWriteToFile), a temporary DataDirectory,
// and the authentication a test asks for. Stopped by PID when destroyed.
// If tor is not installed the constructor throws: the test fails, it does
// not skip.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace relaymon::testing {

struct TorConfig {
  enum class Auth { kCookie, kPassword, kNone };
  TorConfig(Auth how = Auth::kCookie) : auth(how) {}  // NOLINT: implicit on purpose
  Auth auth;
  bool unix_socket = false;  // adds a ControlSocket (cookie/none auth applies to it too)
  std::string password = "relaymon-test-password";
  std::string extra_torrc;  // appended lines
};

class TorProcess {
 public:
  explicit TorProcess(TorConfig config = {});
  ~TorProcess();
  TorProcess(const TorProcess&) = delete;
  TorProcess& operator=(const TorProcess&) = delete;

  std::uint16_t control_port() const { return port_; }
  const std::string& socket_path() const { return socket_path_; }
  const std::string& cookie_path() const { return cookie_path_; }
  const std::string& directory() const { return dir_; }
  pid_t pid() const { return pid_; }
  const TorConfig& config() const { return config_; }

  // Ends tor (SIGTERM, then SIGKILL after 10 s) and waits for it.
  void stop();
  // Starts tor again with the same DataDirectory and the same control port.
  void restart();
  // The last lines of tor's notice log, for failure messages.
  std::string log_tail() const;

 private:
  void write_torrc(const std::string& control_port_line);
  void launch();

  TorConfig config_;
  std::string dir_;
  std::string socket_path_;
  std::string cookie_path_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// `tor --hash-password`, for HashedControlPassword.
std::string hash_password(const std::string& password);

}  // namespace relaymon::testing
