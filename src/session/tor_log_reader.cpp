#include "session/tor_log_reader.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace relaymon::session {

namespace {

std::string group_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  if (const struct group* gr = ::getgrgid(st.st_gid)) return gr->gr_name;
  return std::to_string(st.st_gid);
}

std::string user_name() {
  if (const struct passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  return std::to_string(::geteuid());
}

}  // namespace

LogTail read_log_tail(const std::string& path, std::size_t max_bytes) {
  LogTail out;
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    std::string group = e == EACCES ? group_of(path) : "";
    out.error = group.empty()
                    ? fmt::format("cannot read tor's log file {}: {}", path, std::strerror(e))
                    : fmt::format(
                          "cannot read tor's log file {}: {} (it belongs to group {}; to see "
                          "tor's earlier lines here, add {} to it: usermod -aG {} {})",
                          path, std::strerror(e), group, user_name(), group, user_name());
    return out;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    out.error = fmt::format("tor's log file {} is no regular file: not read", path);
    return out;
  }
  auto size = static_cast<std::size_t>(st.st_size);
  auto start = size > max_bytes ? size - max_bytes : 0;
  out.text.resize(size - start);
  std::size_t got = 0;
  while (got < out.text.size()) {
    ssize_t n =
        ::pread(fd, out.text.data() + got, out.text.size() - got, static_cast<off_t>(start + got));
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.text.resize(got);
  ::close(fd);
  return out;
}

}  // namespace relaymon::session
