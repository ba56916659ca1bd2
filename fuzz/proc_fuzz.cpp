// /proc readers: /proc/net/{tcp,tcp6,udp,udp6} tables, fd link targets, an
// fd listing, /proc/PID/stat, /proc/PID/statm and /proc/stat.
#include "fuzz_input.h"
#include "system/proc_net.h"
#include "system/process_stats.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::system;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  ParseDiagnostics diagnostics;
  (void)parse_proc_net(text, "tcp", &diagnostics);
  (void)parse_proc_net(text, "udp", &diagnostics);
  auto inodes = parse_fd_listing(text);
  (void)join_proc_net(ProcNetTables{text, text, {}, {}}, inodes, 42, "tor", &diagnostics);
  (void)socket_inode_of_link(text);
  (void)parse_proc_stat(text);
  (void)parse_proc_statm(text);
  (void)parse_boot_time(text);
  return 0;
}
