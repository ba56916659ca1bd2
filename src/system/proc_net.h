// Parser for the kernel's socket tables /proc/net/{tcp,tcp6,udp,udp6}
// joined with the socket inodes of one process (/proc/PID/fd links
// `socket:[12345]`): the per-poll fast path (DESIGN.md, "Cost of looking at
// sockets"). Pure, never throws, no allocation per skipped line.
//
//   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
//    0: 0100007F:46A0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 442014
//    ...
//
// Addresses are hex in host byte order: one 32-bit word for IPv4, four for
// IPv6 (tcp6/udp6); ports are hex in network order as numbers; "st" is the
// kernel's TCP state code (endpoint.h kernel_state_name).
#pragma once

#include <optional>
#include <string_view>

#include "system/inode_set.h"
#include "system/parse_diagnostics.h"
#include "system/socket.h"

namespace relaymon::system {

// Appends the rows of one table to `out`. `protocol` is "tcp" or "udp"
// (the family follows from the address width). With `inodes`, only rows
// whose inode is in the set are kept (others cost no allocation); `pid` and
// `process` are stamped on every kept Socket.
void parse_proc_net_into(std::string_view table, std::string_view protocol, Sockets& out,
                         const InodeSet* inodes = nullptr, std::optional<int> pid = std::nullopt,
                         std::string_view process = {}, ParseDiagnostics* diagnostics = nullptr);

Sockets parse_proc_net(std::string_view table, std::string_view protocol,
                       ParseDiagnostics* diagnostics = nullptr);

struct ProcNetTables {
  std::string_view tcp;
  std::string_view tcp6;
  std::string_view udp;
  std::string_view udp6;
};

// The sockets of one process: every table's rows whose inode is in `inodes`.
Sockets join_proc_net(const ProcNetTables& tables, const InodeSet& inodes,
                      std::optional<int> pid = std::nullopt, std::string_view process = {},
                      ParseDiagnostics* diagnostics = nullptr);

// "socket:[12345]" -> 12345; nullopt for any other fd link target.
std::optional<unsigned long> socket_inode_of_link(std::string_view link_target);

// The socket inodes named in an `ls -l /proc/PID/fd` listing (recorded
// captures; the live reader uses readlink, proc_reader.h).
InodeSet parse_fd_listing(std::string_view ls_output);

}  // namespace relaymon::system
