// Replies of the kernel's NETLINK_SOCK_DIAG dumps (binary, parsed with
// every length checked; the fuzzer plays a kernel that lies). The first
// byte picks the protocol and whether an inode filter (with the unmatched
// records kept and parsed again, as the resolver does) is used.
#include "fuzz_input.h"
#include "system/sock_diag_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::system;
  if (size == 0) return 0;
  std::uint8_t mode = data[0];
  std::string_view bytes = relaymon::fuzz::as_text(data + 1, size - 1);
  std::string_view protocol = (mode & 1) ? "udp" : "tcp";
  ParseDiagnostics diagnostics;
  if (mode & 2) {
    InodeSet inodes{1189218, 1189219, 1189226, 1189231};
    Sockets out;
    std::string unmatched;
    (void)parse_sock_diag_into(bytes, protocol, out, &inodes, 1, "tor", &diagnostics, &unmatched);
    InodeSet none;
    (void)parse_sock_diag_into(unmatched, protocol, out, &none, 1, "tor", &diagnostics);
  } else {
    SockDiagSummary summary;
    (void)parse_sock_diag(bytes, protocol, &diagnostics, &summary);
  }
  return 0;
}
