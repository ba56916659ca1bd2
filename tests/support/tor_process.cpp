#include "support/tor_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace relaymon::testing {

namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool alive(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == 0;
}

}  // namespace

std::string hash_password(const std::string& password) {
  std::string command = fmt::format("tor --quiet --hash-password '{}' 2>/dev/null", password);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run tor --hash-password");
  std::string out;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  int status = ::pclose(pipe);
  auto start = out.rfind("16:");
  if (status != 0 || start == std::string::npos) {
    throw std::runtime_error("tor --hash-password failed (is Debian's tor installed?)");
  }
  auto end = out.find_first_of("\r\n", start);
  return out.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TorProcess::TorProcess(TorConfig config) : config_(std::move(config)) {
  char pattern[] = "/tmp/relaymon-tor-XXXXXX";
  if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  cookie_path_ = dir_ + "/data/control_auth_cookie";
  if (config_.unix_socket) socket_path_ = dir_ + "/control.sock";
  write_torrc("ControlPort 127.0.0.1:auto");
  launch();
}

TorProcess::~TorProcess() {
  stop();
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void TorProcess::write_torrc(const std::string& control_port_line) {
  std::ofstream torrc(dir_ + "/torrc");
  // DisableNetwork keeps this tor off every network; SocksPort 0 and no
  // ORPort: it only answers its control port.
  torrc << "DisableNetwork 1\n"
        << "SocksPort 0\n"
        << "DataDirectory " << dir_ << "/data\n"
        << "Log notice file " << dir_ << "/notice.log\n"
        << control_port_line << "\n"
        << "ControlPortWriteToFile " << dir_ << "/control-port\n";
  if (config_.unix_socket) {
    torrc << "ControlSocket " << socket_path_ << "\n";
  }
  switch (config_.auth) {
    case TorConfig::Auth::kCookie:
      torrc << "CookieAuthentication 1\n";
      break;
    case TorConfig::Auth::kPassword:
      torrc << "HashedControlPassword " << hash_password(config_.password) << "\n";
      break;
    case TorConfig::Auth::kNone:
      break;
  }
  torrc << config_.extra_torrc << "\n";
}

void TorProcess::launch() {
  std::error_code ignored;
  fs::remove(dir_ + "/control-port", ignored);
  std::string torrc = dir_ + "/torrc";
  const char* argv[] = {"tor", "-f", torrc.c_str(), "--quiet", nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  int rc = ::posix_spawnp(&pid_, "tor", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start tor: is Debian's tor package installed? (" +
                             std::string(std::strerror(rc)) + ")");
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string port_file = read_file(dir_ + "/control-port");
    auto colon = port_file.rfind(':');
    bool socket_ready = socket_path_.empty() || fs::exists(socket_path_);
    if (colon != std::string::npos && socket_ready &&
        (config_.auth != TorConfig::Auth::kCookie || fs::exists(cookie_path_))) {
      port_ = static_cast<std::uint16_t>(std::stoi(port_file.substr(colon + 1)));
      return;
    }
    if (!alive(pid_)) {
      pid_ = -1;
      throw std::runtime_error("tor exited during start-up:\n" + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop();
  throw std::runtime_error("tor did not open its control port within 30 s:\n" + log_tail());
}

void TorProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (alive(pid_) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (alive(pid_)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

void TorProcess::restart() {
  stop();
  write_torrc(fmt::format("ControlPort 127.0.0.1:{}", port_));
  launch();
}

std::string TorProcess::log_tail() const {
  std::string log = read_file(dir_ + "/notice.log");
  std::size_t pos = log.size();
  for (int lines = 0; lines < 15 && pos > 0; ++lines) {
    pos = log.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  return log.substr(pos);
}

}  // namespace relaymon::testing
