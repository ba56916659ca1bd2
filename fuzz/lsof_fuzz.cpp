// Output of `lsof` (a tool relaymon runs; its output may carry names
// chosen by anyone who can open a socket or name a process).
#include "fuzz_input.h"
#include "system/lsof_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::system;
  relaymon::system::ParseDiagnostics diagnostics;
  auto sockets = parse_lsof(relaymon::fuzz::as_text(data, size), &diagnostics);
  (void)sockets;
  return 0;
}
