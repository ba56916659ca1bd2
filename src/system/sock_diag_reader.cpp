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
                         std::string_view process, Sockets& out, ParseDiagnostics& diagnostics) {
  if (fd_ < 0) return open_error_;
  int error = run_dump(family, protocol, inodes, pid, process, out, diagnostics);
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
                             ParseDiagnostics& diagnostics) {
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.header.nlmsg_seq = ++sequence_;
  message.request.sdiag_family = static_cast<__u8>(family);
  message.request.sdiag_protocol = static_cast<__u8>(protocol);
  if (protocol == IPPROTO_TCP) {
    message.request.idiag_ext = 1u << (INET_DIAG_INFO - 1);
    message.request.idiag_states = kAllStates & ~(1u << kTcpTimeWait) & ~(1u << kTcpNewSynRecv);
  } else {
    message.request.idiag_states = kAllStates;
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent;
  do {
    sent = ::sendto(fd_, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
                    sizeof kernel);
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
                             out, &inodes, pid, process, &diagnostics);
    if (summary.error != 0) return summary.error;
    if (summary.done) return 0;
    if (summary.truncated) return EPROTO;
  }
}

}  // namespace relaymon::system
