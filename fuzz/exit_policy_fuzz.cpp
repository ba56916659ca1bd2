// Exit policies: parse, then ask every question relaymon asks of a policy.
// The first line of the input is an address to test, the rest the policy.
#include "fuzz_input.h"
#include "model/exit_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::model;
  std::string_view text = relaymon::fuzz::as_text(data, size);
  std::string_view address = "127.0.0.1";
  std::uint16_t port = 443;
  if (auto newline = text.find('\n'); newline != std::string_view::npos && newline < 64) {
    address = text.substr(0, newline);
    port = static_cast<std::uint16_t>(newline * 977);
  }
  std::string error;
  auto policy = ExitPolicy::parse(text, &error);
  if (!policy) return 0;
  (void)policy->allows(address, port);
  (void)policy->allows("::1", port);
  (void)policy->allows("8.8.8.8", 25);
  (void)policy->accepts_public_port(port);
  (void)policy->accepts_anything();
  (void)policy->summary();
  (void)policy->lines();
  for (const auto& rule : policy->rules()) (void)rule.is_catch_all();
  return 0;
}
