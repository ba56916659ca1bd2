// Every event parser: the input is framed like bytes from the control port
// and each reply is parsed as an event (forced to code 650 so non-650 seeds
// reach the parsers too); the input is also parsed as a single-line event
// and by the helper parsers events.h exposes.
#include "control/events.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::control;
  std::string_view text = relaymon::fuzz::as_text(data, size);

  for (Reply& reply : relaymon::fuzz::frame(text)) {
    (void)event_type(reply);
    (void)parse_event(reply);
    for (ReplyLine& line : reply.lines) line.code = 650;
    (void)parse_event(reply);
  }

  Reply single;
  single.lines.push_back(ReplyLine{650, ' ', std::string(text), {}});
  (void)parse_event(single);

  (void)parse_router_ref(text);
  (void)parse_host_port(text);
  (void)parse_orconn_target(text);
  (void)parse_circuit_line(text);
  return 0;
}
