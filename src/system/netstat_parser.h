// Parser for `netstat -tuanpW` (and -tnp, -tlnp): pure, never throws.
//
//   Proto Recv-Q Send-Q Local Address    Foreign Address  State       PID/Program name
//   tcp        0      0 127.0.0.1:5004   127.0.0.1:48966  ESTABLISHED 31103/tor
//   tcp6       0      0 ::1:9050         :::*             LISTEN      -
//   udp        0      0 0.0.0.0:5353     0.0.0.0:*                    612/avahi-daemon
//
// -W keeps IPv6 addresses whole (without it netstat truncates them, and a
// truncated address fails to parse and is counted as skipped). UDP rows
// have no state when unconnected ("UNCONN"); "-" in the PID column means
// netstat could not see the owner (another user's process, not root).
// Parsing stops at the "Active UNIX domain sockets" section.
#pragma once

#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/socket.h"

namespace relaymon::system {

Sockets parse_netstat(std::string_view output, ParseDiagnostics* diagnostics = nullptr);

}  // namespace relaymon::system
