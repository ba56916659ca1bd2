#include "session/tor_manual_file.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace relaymon::session {

std::shared_ptr<const model::TorManual> read_tor_manual(const std::string& path) {
  constexpr std::size_t kLimit = 4 * 1024 * 1024;  // tor's is about 400 KiB unpacked
  auto manual = std::make_shared<model::TorManual>();
  // Opened first without blocking, then a regular file required of the open
  // descriptor (a FIFO there would block the event loop; checking the path
  // before opening it would leave a window to swap one in).
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return manual;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return manual;
  }
  gzFile file = gzdopen(fd, "rb");  // owns fd from here, closed by gzclose
  if (!file) {
    ::close(fd);
    return manual;
  }
  std::string text;
  char buffer[65536];
  int n = 0;
  while (text.size() < kLimit && (n = gzread(file, buffer, sizeof buffer)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  gzclose(file);
  *manual = model::parse_tor_manual(text);
  return manual;
}

std::shared_ptr<const model::TorManual> tor_manual() {
  static const auto manual = read_tor_manual(kTorManualPath);
  return manual;
}

}  // namespace relaymon::session
