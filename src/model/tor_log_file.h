// tor's own log file, for the log page's first screen (as nyx pre-fills
// its log): which file tor writes (GETCONF Log) and its last lines.
// Pure: reading the file is the session's (session/tor_log_reader.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::model {

// The file of the first `Log` line that writes to one ("notice file
// /var/log/tor/notices.log", "[handshake]debug [*]notice file /p");
// nullopt when tor logs only to syslog, stdout or the journal.
std::optional<std::string> tor_log_file(const std::vector<std::string>& log_lines);

struct TorLogLine {
  TimePoint time;
  std::string severity;  // NOTICE, WARN, ... (upper case, as events name them)
  std::string message;   // raw: the relay state scrubs it as it enters
};

// The lines of a log file's tail ("Dec 06 18:35:39.759 [notice] text"),
// oldest first, at most `limit` (the newest); lines of another shape are
// skipped (a first line cut by the tail read, continuation lines). The
// file has no year: the one that puts the time nearest before `now`.
std::vector<TorLogLine> parse_tor_log_tail(std::string_view text, TimePoint now, std::size_t limit);

}  // namespace relaymon::model
