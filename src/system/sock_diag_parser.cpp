#include "system/sock_diag_parser.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstring>

#include <fmt/format.h>

#include "system/endpoint.h"
#include "system/text.h"

namespace relaymon::system {
namespace {

// Every read goes through memcpy: the buffer may come from anywhere
// (fuzzer, file) with no alignment promise.
template <typename T>
T load(const char* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

constexpr std::size_t align4(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

// inet_diag_sockid's address words are the address bytes in network order;
// v4-mapped IPv6 is unmapped to IPv4 as every resolver does (socket.h).
bool set_address(int family, const __be32 words[4], __be16 port, Address& out) {
  out.port = ntohs(port);
  unsigned char bytes[16];
  std::memcpy(bytes, words, sizeof bytes);
  if (family == AF_INET) {
    text::set_ipv4(bytes, out.ip);
    return true;
  }
  in6_addr a6{};
  std::memcpy(a6.s6_addr, bytes, 16);
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    text::set_ipv4(&a6.s6_addr[12], out.ip);
    return true;
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (!inet_ntop(AF_INET6, &a6, text.data(), text.size())) return false;
  out.ip.assign(text.data());
  return true;
}

// A field of tcp_info, when the kernel's struct is long enough to hold it
// (older kernels send a shorter one).
template <typename T>
std::optional<T> tcp_info_field(std::string_view info, std::size_t offset) {
  if (offset + sizeof(T) > info.size()) return std::nullopt;
  return load<T>(info.data() + offset);
}

void read_tcp_info(std::string_view info, Socket& s) {
  s.bytes_acked = tcp_info_field<std::uint64_t>(info, offsetof(tcp_info, tcpi_bytes_acked));
  s.bytes_received = tcp_info_field<std::uint64_t>(info, offsetof(tcp_info, tcpi_bytes_received));
  s.bytes_sent = tcp_info_field<std::uint64_t>(info, offsetof(tcp_info, tcpi_bytes_sent));
  if (auto rtt = tcp_info_field<std::uint32_t>(info, offsetof(tcp_info, tcpi_rtt))) {
    s.rtt_ms = *rtt / 1000.0;  // microseconds; ss prints rtt in ms the same way
  }
}

// The attributes after the record: only INET_DIAG_INFO is used; unknown
// ones are skipped; a malformed one ends the list (the record stays).
void read_attributes(std::string_view attrs, std::string_view protocol, Socket& s) {
  while (attrs.size() >= sizeof(rtattr)) {
    auto header = load<rtattr>(attrs.data());
    if (header.rta_len < sizeof(rtattr) || header.rta_len > attrs.size()) return;
    std::string_view payload = attrs.substr(sizeof(rtattr), header.rta_len - sizeof(rtattr));
    if (header.rta_type == INET_DIAG_INFO && protocol == "tcp") read_tcp_info(payload, s);
    attrs.remove_prefix(std::min(attrs.size(), align4(header.rta_len)));
  }
}

std::string describe(std::size_t index, const nlmsghdr& h, std::string_view problem) {
  return fmt::format("netlink message {} (type {}, length {}): {}", index, h.nlmsg_type,
                     h.nlmsg_len, problem);
}

}  // namespace

SockDiagSummary parse_sock_diag_into(std::string_view bytes, std::string_view protocol,
                                     Sockets& out, const InodeSet* inodes, std::optional<int> pid,
                                     std::string_view process, ParseDiagnostics* diagnostics,
                                     std::string* unmatched) {
  ParseDiagnostics local;
  ParseDiagnostics& diag = diagnostics ? *diagnostics : local;
  SockDiagSummary summary;
  const Label protocol_label(protocol);
  const Label process_label(process);
  while (!bytes.empty()) {
    if (bytes.size() < sizeof(nlmsghdr)) {
      summary.truncated = true;
      diag.skip(fmt::format("{} trailing bytes, shorter than a netlink header", bytes.size()));
      break;
    }
    auto header = load<nlmsghdr>(bytes.data());
    std::size_t index = summary.messages++;
    ++diag.lines;
    if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > bytes.size()) {
      // The length cannot be trusted, so neither can anything after it.
      summary.truncated = true;
      diag.skip(
          describe(index, header, fmt::format("length outside the {} bytes left", bytes.size())));
      break;
    }
    std::string_view message = bytes.substr(0, header.nlmsg_len);
    std::string_view body = bytes.substr(sizeof(nlmsghdr), header.nlmsg_len - sizeof(nlmsghdr));
    bytes.remove_prefix(
        std::min(bytes.size(), static_cast<std::size_t>(NLMSG_ALIGN(header.nlmsg_len))));

    if (header.nlmsg_type == NLMSG_DONE) {
      summary.done = true;
      continue;
    }
    if (header.nlmsg_type == NLMSG_ERROR) {
      if (body.size() < sizeof(int)) {
        diag.skip(describe(index, header, "error message without its error code"));
        summary.error = EPROTO;
        continue;
      }
      int code = load<int>(body.data());
      // 0 is an acknowledgement; otherwise a negative errno.
      if (code != 0) summary.error = code < 0 && code > -4096 ? -code : EPROTO;
      continue;
    }
    // The answer to the old TCPDIAG_GETSOCK request has the same records.
    if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY && header.nlmsg_type != TCPDIAG_GETSOCK) {
      continue;  // NLMSG_NOOP and the like
    }

    if (body.size() < sizeof(inet_diag_msg)) {
      diag.skip(describe(index, header, "shorter than a socket record"));
      continue;
    }
    ++summary.records;
    auto record = load<inet_diag_msg>(body.data());
    unsigned long inode = record.idiag_inode;
    if (inodes && !inodes->contains(inode)) {
      if (unmatched && inode != 0 &&
          unmatched->size() + NLMSG_ALIGN(message.size()) <= kUnmatchedBudget) {
        unmatched->append(message);
        unmatched->append(NLMSG_ALIGN(message.size()) - message.size(), '\0');
      }
      continue;
    }
    if (record.idiag_family != AF_INET && record.idiag_family != AF_INET6) {
      diag.skip(describe(index, header, fmt::format("address family {}", record.idiag_family)));
      continue;
    }
    auto state = kernel_state_label(record.idiag_state, protocol);
    if (state.empty()) {
      diag.skip(describe(index, header, fmt::format("socket state {}", record.idiag_state)));
      continue;
    }
    // Filled in place: tens of thousands of sockets a poll.
    Socket& s = out.emplace_back();
    if (!set_address(record.idiag_family, record.id.idiag_src, record.id.idiag_sport, s.local) ||
        !set_address(record.idiag_family, record.id.idiag_dst, record.id.idiag_dport, s.remote)) {
      out.pop_back();
      diag.skip(describe(index, header, "unprintable address"));
      continue;
    }
    s.protocol = protocol_label;
    s.state = state;
    s.inode = inode;
    s.pid = pid;
    s.process = process_label;
    read_attributes(body.substr(std::min(body.size(), align4(sizeof(inet_diag_msg)))), protocol, s);
  }
  return summary;
}

Sockets parse_sock_diag(std::string_view bytes, std::string_view protocol,
                        ParseDiagnostics* diagnostics, SockDiagSummary* summary) {
  Sockets out;
  auto result = parse_sock_diag_into(bytes, protocol, out, nullptr, std::nullopt, {}, diagnostics);
  if (summary) *summary = result;
  return out;
}

}  // namespace relaymon::system
