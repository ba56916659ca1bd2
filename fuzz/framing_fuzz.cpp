// ReplyFramer::feed over arbitrary bytes, delivered in chunks whose sizes
// come from the input itself (the first byte), so a split between CR and
// LF, inside "CODE+" or in a dot line is exercised. The same bytes fed in
// one piece must give the same replies and error state.
#include <cstdlib>

#include "fuzz_input.h"

namespace {

bool same(const std::vector<relaymon::control::Reply>& a,
          const std::vector<relaymon::control::Reply>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].lines.size() != b[i].lines.size()) return false;
    for (std::size_t j = 0; j < a[i].lines.size(); ++j) {
      const auto& x = a[i].lines[j];
      const auto& y = b[i].lines[j];
      if (x.code != y.code || x.separator != y.separator || x.text != y.text || x.data != y.data)
        return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace relaymon::control;
  if (size == 0) return 0;
  std::size_t chunk = 1 + data[0] % 17;
  std::string_view text = relaymon::fuzz::as_text(data + 1, size - 1);
  FramingLimits limits{256, 4096};

  ReplyFramer whole(limits);
  std::vector<Reply> whole_out;
  bool whole_failed = whole.feed(text, whole_out).has_value();

  ReplyFramer pieces(limits);
  std::vector<Reply> pieces_out;
  bool pieces_failed = false;
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    if (pieces.feed(text.substr(at, chunk), pieces_out)) pieces_failed = true;
  }
  // Chunking must not change the outcome, and nothing framed may exceed
  // the limits.
  if (whole_failed != pieces_failed || !same(whole_out, pieces_out)) std::abort();
  for (const Reply& reply : whole_out) {
    if (reply.lines.empty()) std::abort();
    std::size_t total = 0;
    for (const ReplyLine& line : reply.lines) {
      if (line.text.size() > limits.max_line) std::abort();
      total += line.text.size() + line.data.size();
    }
    if (total > limits.max_reply) std::abort();
  }
  return 0;
}
