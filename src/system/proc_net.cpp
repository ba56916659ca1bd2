#include "system/proc_net.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "system/endpoint.h"
#include "system/text.h"

namespace relaymon::system {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Exactly `s.size()` hex digits (at most 8) into a 32-bit value.
bool parse_hex32(std::string_view s, std::uint32_t& value) {
  if (s.empty() || s.size() > 8) return false;
  std::uint32_t v = 0;
  for (char c : s) {
    int d = hex_digit(c);
    if (d < 0) return false;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  value = v;
  return true;
}

// "0100007F:46A0" (IPv4) or 32 hex digits ":PORT" (IPv6) -> Address.
bool parse_hex_endpoint(std::string_view text, Address& out) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view addr = text.substr(0, colon);
  std::uint32_t port = 0;
  std::string_view port_text = text.substr(colon + 1);
  if (port_text.size() != 4 || !parse_hex32(port_text, port)) return false;
  out.port = static_cast<std::uint16_t>(port);
  // The kernel prints each 32-bit word of the address as a native integer,
  // so copying the parsed words back to memory restores the address bytes.
  if (addr.size() == 8) {
    std::uint32_t word = 0;
    if (!parse_hex32(addr, word)) return false;
    unsigned char bytes[4];
    std::memcpy(bytes, &word, 4);
    text::set_ipv4(bytes, out.ip);
    return true;
  }
  if (addr.size() != 32) return false;
  in6_addr a6{};
  for (int k = 0; k < 4; ++k) {
    std::uint32_t word = 0;
    if (!parse_hex32(addr.substr(static_cast<std::size_t>(k) * 8, 8), word)) return false;
    std::memcpy(&a6.s6_addr[k * 4], &word, 4);
  }
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    text::set_ipv4(&a6.s6_addr[12], out.ip);
    return true;
  }
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (!inet_ntop(AF_INET6, &a6, buf.data(), buf.size())) return false;
  out.ip.assign(buf.data());
  return true;
}

}  // namespace

void parse_proc_net_into(std::string_view table, std::string_view protocol, Sockets& out,
                         const InodeSet* inodes, std::optional<int> pid, std::string_view process,
                         ParseDiagnostics* diagnostics) {
  ParseDiagnostics local;
  ParseDiagnostics& diag = diagnostics ? *diagnostics : local;
  text::for_each_line(table, [&](std::string_view line) {
    if (text::trim(line).empty()) return;
    ++diag.lines;
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
    auto f = text::split<10>(line);
    if (f.count >= 1 && f.at[0] == "sl") return;  // header
    if (f.count < 10 || f.at[0].empty() || f.at[0].back() != ':') return diag.skip(line);
    auto inode = text::to_number<unsigned long>(f.at[9]);
    if (!inode) return diag.skip(line);
    if (inodes && !inodes->contains(*inode)) return;
    std::uint32_t code = 0;
    if (f.at[3].size() != 2 || !parse_hex32(f.at[3], code)) return diag.skip(line);
    auto state = kernel_state_name(code, protocol);
    if (!state) return diag.skip(line);
    Socket s;
    if (!parse_hex_endpoint(f.at[1], s.local) || !parse_hex_endpoint(f.at[2], s.remote)) {
      return diag.skip(line);
    }
    s.protocol = protocol;
    s.state = *state;
    s.inode = *inode;
    s.pid = pid;
    s.process = process;
    out.push_back(std::move(s));
  });
}

Sockets parse_proc_net(std::string_view table, std::string_view protocol,
                       ParseDiagnostics* diagnostics) {
  Sockets out;
  parse_proc_net_into(table, protocol, out, nullptr, std::nullopt, {}, diagnostics);
  return out;
}

Sockets join_proc_net(const ProcNetTables& tables, const InodeSet& inodes, std::optional<int> pid,
                      std::string_view process, ParseDiagnostics* diagnostics) {
  Sockets out;
  out.reserve(inodes.size());
  parse_proc_net_into(tables.tcp, "tcp", out, &inodes, pid, process, diagnostics);
  parse_proc_net_into(tables.tcp6, "tcp", out, &inodes, pid, process, diagnostics);
  parse_proc_net_into(tables.udp, "udp", out, &inodes, pid, process, diagnostics);
  parse_proc_net_into(tables.udp6, "udp", out, &inodes, pid, process, diagnostics);
  return out;
}

std::optional<unsigned long> socket_inode_of_link(std::string_view link_target) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!text::starts_with(link_target, kPrefix) || link_target.back() != ']') return std::nullopt;
  return text::to_number<unsigned long>(
      link_target.substr(kPrefix.size(), link_target.size() - kPrefix.size() - 1));
}

InodeSet parse_fd_listing(std::string_view ls_output) {
  InodeSet inodes;
  text::for_each_line(ls_output, [&](std::string_view line) {
    auto arrow = line.rfind(" -> ");
    if (arrow == std::string_view::npos) return;
    if (auto inode = socket_inode_of_link(text::trim(line.substr(arrow + 4)))) {
      inodes.insert(*inode);
    }
  });
  return inodes;
}

}  // namespace relaymon::system
