// Reads the end of tor's log file for the log page's first screen
// (model/tor_log_file.h parses it). The file is opened without blocking
// and must be a regular file; only its last `max_bytes` are read.
#pragma once

#include <cstddef>
#include <string>

namespace relaymon::session {

struct LogTail {
  std::string text;   // the file's last bytes (its first line may be cut)
  std::string error;  // why it could not be read: names the file, its group and the fix
};

LogTail read_log_tail(const std::string& path, std::size_t max_bytes = 64 * 1024);

}  // namespace relaymon::session
