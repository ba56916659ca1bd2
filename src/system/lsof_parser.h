// Parser for `lsof -nPi -a -p PID` (and any `lsof -nPi` listing): pure,
// never throws.
//
//   COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME
//   tor     31103 root    9u  IPv4 370428      0t0  TCP 127.0.0.1:5004 (LISTEN)
//   tor     31103 root   14u  IPv4 370552      0t0  TCP 127.0.0.1:5004->127.0.0.1:48966
//   (ESTABLISHED) tor      4242 tor     6u  IPv6  81234      0t0  TCP [::1]:9050 (LISTEN) tor 4242
//   tor     8u  IPv4  81235      0t0  UDP *:5353
//
// lsof's state names (ESTABLISHED, SYN_SENT, CLOSED...) become ss's; a UDP
// row without a state is UNCONN (ESTAB when it has a peer). A missing peer
// is the any-address of the row's family with port 0, as ss shows it. On
// Linux the DEVICE column of an internet socket is the socket's inode (the
// number in /proc/PID/fd's `socket:[N]`), kept in Socket::inode.
#pragma once

#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/socket.h"

namespace relaymon::system {

Sockets parse_lsof(std::string_view output, ParseDiagnostics* diagnostics = nullptr);

}  // namespace relaymon::system
