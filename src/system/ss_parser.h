// Parser for the output of `ss -tuanpi` and its subsets (`ss -tnp`,
// `ss -tinp`, `ss -tlnp`, `ss -uanp`): pure, never throws.
//
//   Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
//   tcp   ESTAB  0      0         127.0.0.1:5004    127.0.0.1:48966 users:(("tor",pid=31103,fd=14))
//   	 bbr wscale:10,10 rto:212 rtt:11.92/16.069 ... bytes_sent:2803704 bytes_acked:2803704 ...
//
// The Netid column appears only when several socket types are listed (-tu);
// without it every row is `default_protocol`. A socket used by several
// processes (`users:(("a",pid=1,fd=3),("b",pid=2,fd=3))`) yields one Socket
// per process, so filtering by pid keeps each process's view whole. Both
// users formats are read: new `("tor",pid=123,fd=5)` and old `("tor",123,5)`.
// The tab-indented line after a socket (-i) fills its byte counters and rtt.
#pragma once

#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/socket.h"

namespace relaymon::system {

Sockets parse_ss(std::string_view output, ParseDiagnostics* diagnostics = nullptr,
                 std::string_view default_protocol = "tcp");

// The sockets of one process (those whose pid is `pid`).
Sockets filter_by_pid(const Sockets& sockets, int pid);
Sockets filter_by_pid(Sockets&& sockets, int pid);

}  // namespace relaymon::system
