// Output of `ss` (a tool relaymon runs; its output may carry names
// chosen by anyone who can open a socket or name a process).
#include "fuzz_input.h"
#include "system/ss_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::system;
  relaymon::system::ParseDiagnostics diagnostics;
  auto sockets = parse_ss(relaymon::fuzz::as_text(data, size), &diagnostics);
  (void)filter_by_pid(sockets, 1);
  return 0;
}
