// The torrc page's analysis of tor's config file (read from disk by
// relaymon, so its content is whatever the file holds), against a few
// known options so the validation paths run.
#include "fuzz_input.h"
#include "model/snapshot.h"
#include "model/torrc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon;
  std::string_view text = fuzz::as_text(data, size);
  model::TorConfig config;
  config.options = {
      {"ControlPort", "LineList", {"9051"}, true},
      {"ExitPolicy", "LineList", {}, false},
      {"Nickname", "String", {"relay"}, true},
      {"ORPort", "LineList", {"9001"}, true},
  };
  config.torrc_path = "/etc/tor/torrc";
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    config.torrc_lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  model::analyze_torrc_into(config);
  return 0;
}
