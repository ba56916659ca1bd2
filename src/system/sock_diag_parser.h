// Parser for the kernel's NETLINK_SOCK_DIAG answers (inet_diag): the bytes
// that recv() returns for a SOCK_DIAG_BY_FAMILY dump of AF_INET/AF_INET6 TCP
// or UDP sockets, turned into Socket records. Pure (no sockets), never
// throws, safe on arbitrary bytes: every length is checked before it is
// read, a message that lies about its length ends the parse and is counted.
//
// One buffer holds whole netlink messages (the kernel never splits one
// across datagrams); several buffers may be concatenated (a recorded dump).
//
//   nlmsghdr (16) | inet_diag_msg (72) | rtattr... (INET_DIAG_INFO: tcp_info)
//
// Records come as SOCK_DIAG_BY_FAMILY messages, or TCPDIAG_GETSOCK ones
// when the dump was asked with that older request (same layout).
//
// From tcp_info come the per-socket counters /proc lacks: tcpi_bytes_acked,
// tcpi_bytes_sent, tcpi_bytes_received and tcpi_rtt (only when the kernel's
// tcp_info is long enough to hold them).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/proc_net.h"
#include "system/socket.h"

namespace relaymon::system {

// What a buffer held besides the sockets.
struct SockDiagSummary {
  std::size_t messages = 0;  // netlink messages read
  std::size_t records = 0;   // socket records read (kept by the inode filter or not)
  bool done = false;         // NLMSG_DONE seen: the dump is complete
  int error = 0;             // errno of an NLMSG_ERROR (positive); 0 when none
  bool truncated = false;    // trailing bytes that are not a whole message
};

// Appends the sockets of one buffer to `out`. `protocol` ("tcp" or "udp")
// is the one the dump asked for (the records do not say). With `inodes`,
// only records whose inode is in the set are kept (others cost no
// allocation); `pid` and `process` are stamped on every kept Socket.
// Malformed messages are counted in `diagnostics` (lines = messages).
// With `unmatched`, the records the filter dropped (inode not 0) are
// appended to it whole, as netlink bytes this parser reads again later
// (the resolver looks there for sockets it learns of after the dump), up
// to kUnmatchedBudget bytes: a host with tens of thousands of other
// sockets would otherwise keep megabytes a poll. A socket past the budget
// is found by the next poll's dump instead (its descriptor is known by
// then), 5 s later.
inline constexpr std::size_t kUnmatchedBudget = 1 << 20;  // about 3,000 records
SockDiagSummary parse_sock_diag_into(std::string_view bytes, std::string_view protocol,
                                     Sockets& out, const InodeSet* inodes = nullptr,
                                     std::optional<int> pid = std::nullopt,
                                     std::string_view process = {},
                                     ParseDiagnostics* diagnostics = nullptr,
                                     std::string* unmatched = nullptr);

// Every socket of the buffer.
Sockets parse_sock_diag(std::string_view bytes, std::string_view protocol,
                        ParseDiagnostics* diagnostics = nullptr,
                        SockDiagSummary* summary = nullptr);

}  // namespace relaymon::system
