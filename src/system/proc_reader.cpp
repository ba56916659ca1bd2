#include "system/proc_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

namespace {

// Lists a /proc/PID/fd directory: counts every descriptor into `scan` and
// calls visit(dir_fd, name) for each. Sets scan.error when it cannot open.
template <typename Visit>
void walk_fd_dir(const std::string& dir_path, bool own, FdScan& scan, Visit&& visit) {
  DIR* dir = ::opendir(dir_path.c_str());
  if (!dir) {
    scan.error = errno;
    return;
  }
  int dir_fd = ::dirfd(dir);
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    ++scan.count;
    visit(dir_fd, entry->d_name);
  }
  ::closedir(dir);
  // Listing our own fds counts the directory handle we just used.
  if (own && scan.count > 0) --scan.count;
}

// The socket inode a descriptor's link names ("socket:[12345]"), if any.
std::optional<unsigned long> socket_inode_at(int dir_fd, const char* name) {
  char target[64];
  ssize_t n = ::readlinkat(dir_fd, name, target, sizeof(target));
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof(target)) return std::nullopt;
  return socket_inode_of_link(std::string_view(target, static_cast<std::size_t>(n)));
}

}  // namespace

FdScan scan_fd_dir(const std::string& dir_path, bool own, bool read_links) {
  FdScan scan;
  walk_fd_dir(dir_path, own, scan, [&](int dir_fd, const char* name) {
    if (!read_links) return;
    if (auto inode = socket_inode_at(dir_fd, name)) scan.socket_inodes.insert(*inode);
  });
  return scan;
}

std::optional<std::size_t> fd_count_by_stat(const std::string& dir_path) {
  // Only procfs means a count by st_size (a test's directory tree, or any
  // other file system, gives the directory's own size).
  struct statfs fs {};
  if (::statfs(dir_path.c_str(), &fs) != 0 || fs.f_type != PROC_SUPER_MAGIC) return std::nullopt;
  struct stat st {};
  if (::stat(dir_path.c_str(), &st) != 0 || st.st_size <= 0) return std::nullopt;
  return static_cast<std::size_t>(st.st_size);
}

std::optional<std::string> read_link(const std::string& path) {
  char target[256];
  ssize_t n = ::readlink(path.c_str(), target, sizeof target);
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof target) return std::nullopt;
  return std::string(target, static_cast<std::size_t>(n));
}

FdScan FdInodeCache::scan(int pid, const std::string& dir_path, bool own) {
  bool restart = pid != pid_ || dir_path != dir_ || ++polls_ >= kFullScanEvery;
  if (restart) {
    pid_ = pid;
    dir_ = dir_path;
    own_ = own;
    polls_ = 0;
    inode_of_fd_.clear();
    seen_.clear();
    dumped_.clear();
    listed_ = false;
  }
  links_read_ = 0;
  skipped_ = false;
  // Listing the directory (a dentry per descriptor in the kernel) is most
  // of what this costs at 20,000 descriptors. Since Linux 6.2 stat() of
  // /proc/PID/fd gives how many are open: when that is what the last
  // listing counted, the remembered sockets stand as they are, and
  // `refresh` lists after all if any of them is gone (one closed, so
  // another may have opened in its place). A kernel without the count
  // (st_size 0) lists every time; the periodic full scan bounds the rest.
  if (listed_ && listed_stat_ && fd_count_by_stat(dir_path) == listed_stat_) {
    FdScan scan;
    scan.count = listed_count_;
    trusted_.clear();
    for (std::size_t k = 0; k < inode_of_fd_.size(); ++k) {
      if (inode_of_fd_[k] == 0) continue;
      scan.socket_inodes.insert(inode_of_fd_[k]);
      trusted_.push_back(static_cast<int>(k));
    }
    skipped_ = true;
    ++listings_skipped_;
    return scan;
  }
  return list();
}

FdScan FdInodeCache::list() {
  // The kernel's count can differ from a listing's by a descriptor being
  // installed: what is compared later is this count, not the listing's.
  listed_stat_ = fd_count_by_stat(dir_);
  ++generation_;
  trusted_.clear();
  FdScan scan;
  walk_fd_dir(dir_, own_, scan, [&](int dir_fd, const char* name) {
    auto fd = text::to_number<int>(name);
    // Descriptors past 4M would make the table large: read them every time.
    constexpr int kMaxRemembered = 1 << 22;
    bool remember = fd && *fd >= 0 && *fd < kMaxRemembered;
    if (remember && static_cast<std::size_t>(*fd) >= inode_of_fd_.size()) {
      inode_of_fd_.resize(static_cast<std::size_t>(*fd) + 1, 0);
      seen_.resize(static_cast<std::size_t>(*fd) + 1, 0);
    }
    if (remember) {
      auto k = static_cast<std::size_t>(*fd);
      seen_[k] = generation_;
      if (inode_of_fd_[k] != 0) {
        scan.socket_inodes.insert(inode_of_fd_[k]);
        trusted_.push_back(*fd);
        return;
      }
    }
    ++links_read_;
    auto inode = socket_inode_at(dir_fd, name);
    if (!inode) return;
    scan.socket_inodes.insert(*inode);
    if (remember) inode_of_fd_[static_cast<std::size_t>(*fd)] = *inode;
  });
  if (scan.error) return scan;
  // Descriptors closed since the last listing.
  for (std::size_t k = 0; k < inode_of_fd_.size(); ++k) {
    if (seen_[k] != generation_) inode_of_fd_[k] = 0;
  }
  listed_ = true;
  listed_count_ = scan.count;
  return scan;
}

std::optional<unsigned long> FdInodeCache::read_socket_link(int fd) {
  ++links_read_;
  char target[64];
  std::string path = fmt::format("{}/{}", dir_, fd);
  ssize_t n = ::readlink(path.c_str(), target, sizeof(target));
  if (n <= 0 || static_cast<std::size_t>(n) >= sizeof(target)) return std::nullopt;
  return socket_inode_of_link(std::string_view(target, static_cast<std::size_t>(n)));
}

InodeSet FdInodeCache::refresh(const InodeSet& found) {
  InodeSet fresh;
  if (skipped_) {
    skipped_ = false;
    // An inet socket the last dump had and this one lacks was closed;
    // sockets no dump covers (unix, netlink) are read again below anyway.
    bool gone = std::any_of(trusted_.begin(), trusted_.end(), [&](int fd) {
      auto k = static_cast<std::size_t>(fd);
      return dumped_[k] && !found.contains(inode_of_fd_[k]);
    });
    if (gone) {
      // Something closed: list after all, for what opened meanwhile.
      FdScan listing = list();
      for (unsigned long inode : listing.socket_inodes) {
        if (!found.contains(inode)) fresh.insert(inode);
      }
    }
  }
  if (dumped_.size() < inode_of_fd_.size()) dumped_.resize(inode_of_fd_.size(), 0);
  for (int fd : trusted_) {
    auto k = static_cast<std::size_t>(fd);
    unsigned long remembered = inode_of_fd_[k];
    dumped_[k] = found.contains(remembered);
    if (dumped_[k]) continue;
    // Gone from the dump: closed (and maybe reused), or a socket the dump
    // does not cover (unix, netlink): ask the kernel again.
    auto inode = read_socket_link(fd);
    inode_of_fd_[k] = inode.value_or(0);
    if (inode && *inode != remembered) fresh.insert(*inode);
  }
  trusted_.clear();
  return fresh;
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
