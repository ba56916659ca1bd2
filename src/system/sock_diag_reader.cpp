#include "system/sock_diag_reader.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "system/sock_diag_parser.h"

namespace relaymon::system {
namespace {

// The kernel's TCP states (include/net/tcp_states.h) as inet_diag's bitmask.
constexpr unsigned kTcpTimeWait = 6;
constexpr unsigned kTcpNewSynRecv = 12;
constexpr unsigned kAllStates = 0xFFFFFFFFu;

// The kernel fills one dump buffer of at most 32 KiB (netlink_dump), so a
// 64 KiB receive buffer always holds a whole one.
constexpr std::size_t kReceiveBuffer = 64 * 1024;

}  // namespace

SockDiagReader::SockDiagReader() {
  fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd_ < 0) open_error_ = errno;
}

SockDiagReader::~SockDiagReader() {
  if (fd_ >= 0) ::close(fd_);
}

int SockDiagReader::dump(int family, int protocol, const InodeSet& inodes, std::optional<int> pid,
                         std::string_view process, Sockets& out, ParseDiagnostics& diagnostics,
                         std::string* unmatched) {
  if (fd_ < 0) return open_error_;
  int error = run_dump(family, protocol, inodes, pid, process, out, diagnostics, unmatched);
  if (error != 0) {
    // The rest of a failed dump may still be queued: a fresh socket keeps
    // it out of the next one.
    ::close(fd_);
    fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) open_error_ = errno;
  }
  return error;
}

int SockDiagReader::run_dump(int family, int protocol, const InodeSet& inodes,
                             std::optional<int> pid, std::string_view process, Sockets& out,
                             ParseDiagnostics& diagnostics, std::string* unmatched) {
  const unsigned tcp_states = kAllStates & ~(1u << kTcpTimeWait) & ~(1u << kTcpNewSynRecv);
  const unsigned char info = 1u << (INET_DIAG_INFO - 1);
  // Either request is a header and a fixed-size body.
  struct {
    nlmsghdr header;
    union {
      inet_diag_req_v2 v2;
      inet_diag_req compat;
    } body;
  } message{};
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.header.nlmsg_seq = ++sequence_;
  if (family == AF_UNSPEC) {
    // The old TCPDIAG_GETSOCK request walks the kernel's TCP tables once for
    // both families (the v2 request takes one family per walk, and the walk
    // over all of them is most of a dump's cost when one family is empty).
    message.header.nlmsg_len = NLMSG_LENGTH(sizeof(inet_diag_req));
    message.header.nlmsg_type = TCPDIAG_GETSOCK;
    message.body.compat.idiag_ext = info;
    message.body.compat.idiag_states = tcp_states;
  } else {
    message.header.nlmsg_len = NLMSG_LENGTH(sizeof(inet_diag_req_v2));
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.body.v2.sdiag_family = static_cast<__u8>(family);
    message.body.v2.sdiag_protocol = static_cast<__u8>(protocol);
    message.body.v2.idiag_ext = protocol == IPPROTO_TCP ? info : 0;
    message.body.v2.idiag_states = protocol == IPPROTO_TCP ? tcp_states : kAllStates;
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(fd_, &message, message.header.nlmsg_len, 0,
                    reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return errno;

  std::string_view name = protocol == IPPROTO_TCP ? "tcp" : "udp";
  std::vector<char> buffer(kReceiveBuffer);
  for (;;) {
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EPROTO;
    if (static_cast<std::size_t>(n) > buffer.size()) return EMSGSIZE;
    auto summary =
        parse_sock_diag_into(std::string_view(buffer.data(), static_cast<std::size_t>(n)), name,
                             out, &inodes, pid, process, &diagnostics, unmatched);
    if (summary.error != 0) return summary.error;
    if (summary.done) return 0;
    if (summary.truncated) return EPROTO;
  }
}

}  // namespace relaymon::system
