#include "session/tor_manual_file.h"

#include <zlib.h>

#include <sys/stat.h>

namespace relaymon::session {

std::shared_ptr<const model::TorManual> read_tor_manual(const std::string& path) {
  constexpr std::size_t kLimit = 4 * 1024 * 1024;  // tor's is about 400 KiB unpacked
  auto manual = std::make_shared<model::TorManual>();
  struct stat st {};
  // A regular file only: a FIFO there would block the event loop.
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return manual;
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return manual;
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
