#include "system/proc_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "system/text.h"

namespace relaymon::system {

std::optional<std::string> read_whole_file(const std::string& path, int* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = errno;
    return std::nullopt;
  }
  std::string content;
  std::size_t chunk = 64 * 1024;
  for (;;) {
    std::size_t used = content.size();
    content.resize(used + chunk);
    ssize_t n = ::read(fd, content.data() + used, chunk);
    if (n < 0) {
      if (errno == EINTR) {
        content.resize(used);
        continue;
      }
      if (error) *error = errno;
      ::close(fd);
      return std::nullopt;
    }
    content.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    if (chunk < 1024 * 1024) chunk *= 2;
  }
  ::close(fd);
  if (error) *error = 0;
  return content;
}

static std::string proc_path(pid_t pid, std::string_view rest) {
  if (pid == 0) return fmt::format("/proc/self/{}", rest);
  return fmt::format("/proc/{}/{}", pid, rest);
}

FdScan scan_fds(pid_t pid) {
  return scan_fd_dir(proc_path(pid, "fd"), pid == 0 || pid == ::getpid());
}

FdScan scan_fd_dir(const std::string& dir_path, bool own, bool read_links) {
  FdScan scan;
  DIR* dir = ::opendir(dir_path.c_str());
  if (!dir) {
    scan.error = errno;
    return scan;
  }
  int dir_fd = ::dirfd(dir);
  char target[64];
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    ++scan.count;
    if (!read_links) continue;
    ssize_t n = ::readlinkat(dir_fd, entry->d_name, target, sizeof(target));
    if (n <= 0 || static_cast<std::size_t>(n) >= sizeof(target)) continue;
    if (auto inode = socket_inode_of_link(std::string_view(target, static_cast<std::size_t>(n)))) {
      scan.socket_inodes.insert(*inode);
    }
  }
  ::closedir(dir);
  // Listing our own fds counts the directory handle we just used.
  if (own && scan.count > 0) --scan.count;
  return scan;
}

std::optional<std::string> read_link(const std::string& path) {
  char target[256];
  ssize_t n = ::readlink(path.c_str(), target, sizeof target);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof target) return std::nullopt;
  return std::string(target, static_cast<std::size_t>(n));
}

bool process_exists(pid_t pid) {
  struct stat st {};
  return pid > 0 && ::stat(fmt::format("/proc/{}", pid).c_str(), &st) == 0;
}

bool proc_hides_other_users(std::string_view mounts, std::string_view mount_point) {
  bool hides = false;
  text::for_each_line(mounts, [&](std::string_view line) {
    auto f = text::split<4>(line);
    if (f.count < 4 || f.at[2] != "proc" || f.at[1] != mount_point) return;
    std::string_view options = f.at[3];
    while (!options.empty()) {
      std::string_view option = options.substr(0, options.find(','));
      options.remove_prefix(std::min(options.size(), option.size() + 1));
      if (!text::starts_with(option, "hidepid=")) continue;
      std::string_view value = option.substr(8);
      // The last proc mount on the point wins, as it hides the others.
      hides = value != "0" && value != "off";
    }
  });
  return hides;
}

std::string process_comm(pid_t pid) {
  auto comm = read_whole_file(proc_path(pid, "comm"));
  if (!comm) return {};
  return std::string(text::trim(*comm));
}

std::string process_user(pid_t pid) {
  auto status = read_whole_file(proc_path(pid, "status"));
  if (!status) return {};
  std::optional<uid_t> uid;
  text::for_each_line(*status, [&](std::string_view line) {
    if (!text::starts_with(line, "Uid:")) return;
    auto f = text::split<2>(line.substr(4));
    uid = text::to_number<uid_t>(f.at[0]);
  });
  if (!uid) return {};
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (::getpwuid_r(*uid, &pw, buf.data(), buf.size(), &found) == 0 && found) {
    return pw.pw_name;
  }
  return std::to_string(*uid);
}

}  // namespace relaymon::system
