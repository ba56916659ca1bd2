#include "text/label.h"

#include <functional>
#include <mutex>
#include <unordered_set>

namespace relaymon::text {

namespace {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Node-based, so a stored text never moves. Guarded: the event loop makes
// Labels, and so may a presenter's or a test's thread.
struct Table {
  std::mutex mutex;
  std::unordered_set<std::string, TextHash, std::equal_to<>> texts;
};

Table& table() {
  static Table* t = new Table;  // never destroyed: Labels in statics may outlive it
  return *t;
}

}  // namespace

Label::Label(std::string_view text) {
  if (text.empty()) return;
  Table& t = table();
  std::lock_guard lock(t.mutex);
  auto it = t.texts.find(text);
  if (it == t.texts.end()) it = t.texts.emplace(text).first;
  text_ = &*it;
}

const std::string& Label::empty_text() {
  static const std::string empty;
  return empty;
}

}  // namespace relaymon::text
