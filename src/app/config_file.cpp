#include "app/config_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace relaymon::app {

namespace {

std::string user_name(uid_t uid) {
  if (const passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return fmt::format("uid {}", uid);
}

std::string group_name(gid_t gid) {
  if (const group* gr = ::getgrgid(gid)) return gr->gr_name;
  return fmt::format("gid {}", gid);
}

}  // namespace

std::optional<ConfigFileText> read_config_file(const std::string& path, int& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = errno;
    return std::nullopt;
  }
  ConfigFileText file;
  if (::fstat(fd, &file.st) != 0) {
    error = errno;
    ::close(fd);
    return std::nullopt;
  }
  char buffer[16 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    file.text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  error = 0;
  return file;
}

std::string password_file_warning(const std::string& path, const struct stat& st, uid_t user) {
  std::vector<std::string> problems;
  std::vector<std::string> fixes;
  mode_t mode = st.st_mode & 07777;
  if (mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
    std::vector<std::string> who;
    if (mode & (S_IRGRP | S_IWGRP)) {
      who.push_back(fmt::format("{} by group {}", (mode & S_IRGRP) ? "readable" : "writable",
                                group_name(st.st_gid)));
    }
    if (mode & (S_IROTH | S_IWOTH)) {
      who.push_back(fmt::format("{} by every user", (mode & S_IROTH) ? "readable" : "writable"));
    }
    problems.push_back(fmt::format("is mode {:03o} ({})", mode,
                                   fmt::format("{}{}{}", who[0], who.size() > 1 ? " and " : "",
                                               who.size() > 1 ? who[1] : "")));
    fixes.push_back(fmt::format("chmod 600 {}", path));
  }
  if (st.st_uid != user) {
    problems.push_back(
        fmt::format("is owned by {}, not by {}", user_name(st.st_uid), user_name(user)));
    fixes.push_back(fmt::format("chown {} {}", user_name(user), path));
  }
  if (problems.empty()) return {};
  return fmt::format(
      "WARNING: the config file {} holds the control password but {}: others may read or change "
      "it. Fix: {}",
      path,
      problems.size() == 1 ? problems[0] : fmt::format("{}, and {}", problems[0], problems[1]),
      fixes.size() == 1 ? fixes[0] : fmt::format("{} and {}", fixes[1], fixes[0]));
}

}  // namespace relaymon::app
