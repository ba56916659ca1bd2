// The typed --watch event lines (export/event_json): every framed reply is
// parsed as an event (forced to code 650) and turned into its JSON line, or
// the malformed line; the line must be one valid JSON object without a
// newline, whatever bytes tor sent (invalid UTF-8 included).
#include <nlohmann/json.hpp>

#include "control/events.h"
#include "export/event_json.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon;
  std::string_view text = fuzz::as_text(data, size);
  const model::TimePoint now{};
  for (control::Reply& reply : fuzz::frame(text)) {
    for (control::ReplyLine& line : reply.lines) line.code = 650;
    auto parsed = control::parse_event(reply);
    nlohmann::json j;
    if (const auto* error = std::get_if<control::ParseError>(&parsed)) {
      j = exporter::malformed_event_json("r", control::event_type(reply), *error, now);
    } else {
      j = exporter::event_json("r", std::get<control::Event>(parsed), now);
    }
    std::string line = exporter::json_line(j);
    if (line.find('\n') != std::string::npos) __builtin_trap();
    if (!nlohmann::json::parse(line, nullptr, false).is_object()) __builtin_trap();
  }
  return 0;
}
