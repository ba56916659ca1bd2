// Quoted strings and the argument tokenizer: never crash, and quote() /
// unquote() round-trip every byte string.
#include <cstdlib>

#include "control/quoting.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::control;
  std::string_view text = relaymon::fuzz::as_text(data, size);

  (void)unquote(text);
  if (!text.empty() && text[0] == '"') {
    auto length = quoted_length(text);
    if (length && *length > text.size()) std::abort();
  }
  auto quoted = quote(text);
  auto back = unquote(quoted);
  if (!back || *back != text) std::abort();

  auto args = tokenize_args(text);
  if (auto* list = std::get_if<ArgList>(&args)) {
    if (list->positional.size() + list->keywords.size() > kMaxArgs) std::abort();
    for (const auto& kv : list->keywords) {
      if (!is_keyword(kv.key)) std::abort();
      (void)list->find(kv.key);
    }
  }
  return 0;
}
