// The socket I/O of the netlink resolver: one NETLINK_SOCK_DIAG dump of the
// kernel's inet sockets (one family, one protocol), read buffer by buffer
// and handed to the pure parser (sock_diag_parser.h). Synchronous (a dump
// of 30,000 sockets is a few MB): NetlinkResolver calls it off the
// io_context thread (resolvers.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "system/parse_diagnostics.h"
#include "system/proc_net.h"
#include "system/socket.h"

namespace relaymon::system {

// One netlink socket, reused for several dumps.
class SockDiagReader {
 public:
  SockDiagReader();
  ~SockDiagReader();
  SockDiagReader(const SockDiagReader&) = delete;
  SockDiagReader& operator=(const SockDiagReader&) = delete;

  // errno of opening the netlink socket (EAFNOSUPPORT, EPROTONOSUPPORT when
  // the kernel has no sock_diag); 0 when open.
  int open_error() const { return open_error_; }

  // Dumps the sockets of `family` (AF_INET, AF_INET6) and `protocol`
  // (IPPROTO_TCP with tcp_info, IPPROTO_UDP), appending those whose inode
  // is in `inodes`. AF_UNSPEC with IPPROTO_TCP: both families in one walk
  // (the kernel's older TCPDIAG_GETSOCK request; an error means the caller
  // should ask for each family instead). TCP asks for every state except TIME-WAIT and the
  // request sockets of SYN-RECV: the kernel gives those inode 0, so they
  // can never be a process's (the /proc tables show them with inode 0 too).
  // Returns 0, or the errno of the failure (ENOENT: the kernel has no
  // handler for that family/protocol, e.g. udp_diag not loaded). With
  // `unmatched`, the other sockets' records are kept there as netlink bytes
  // (parse_sock_diag_into).
  int dump(int family, int protocol, const InodeSet& inodes, std::optional<int> pid,
           std::string_view process, Sockets& out, ParseDiagnostics& diagnostics,
           std::string* unmatched = nullptr);

 private:
  int run_dump(int family, int protocol, const InodeSet& inodes, std::optional<int> pid,
               std::string_view process, Sockets& out, ParseDiagnostics& diagnostics,
               std::string* unmatched);

  int fd_ = -1;
  int open_error_ = 0;
  unsigned sequence_ = 0;
};

}  // namespace relaymon::system
