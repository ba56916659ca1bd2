// Text that many connections share (a socket state, a country code, a
// relay's fingerprint and nickname): stored once, held as one pointer.
//
// A big relay has tens of thousands of connections, rebuilt every poll; as
// std::string fields each one carried seven strings (224 bytes, plus a heap
// block for every 40-digit fingerprint), copied and freed every poll. A
// Label is 8 bytes and copying it copies a pointer (issue 16: a compact
// connection record).
//
// The texts live for the process: a Label is for vocabularies that stay
// small (states, protocols, countries, services, AS names, and the relays
// of the network, which grows by about a thousand new relays a month).
// Never for client or destination addresses, which must not outlive the
// poll that saw them (DESIGN.md, privacy).
#pragma once

#include <fmt/format.h>

#include <compare>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>

namespace relaymon::text {

class Label {
 public:
  Label() = default;
  Label(std::string_view text);  // NOLINT: implicit by design, reads as text
  Label(const char* text) : Label(std::string_view(text)) {}         // NOLINT
  Label(const std::string& text) : Label(std::string_view(text)) {}  // NOLINT

  const std::string& str() const { return text_ ? *text_ : empty_text(); }
  operator const std::string&() const { return str(); }  // NOLINT
  operator std::string_view() const { return str(); }    // NOLINT
  std::string_view view() const { return str(); }

  bool empty() const { return !text_ || text_->empty(); }
  // The stored text's address: equal texts give the same one, so it can key
  // an index (model/relay_index.h) without hashing the text.
  const void* identity() const { return get(); }
  void clear() { text_ = nullptr; }
  std::size_t size() const { return str().size(); }
  std::string_view substr(std::size_t pos, std::size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }

  // Equal texts are one stored text, so comparing Labels compares pointers.
  friend bool operator==(const Label& a, const Label& b) { return a.get() == b.get(); }
  friend bool operator==(const Label& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Label& a, const char* b) { return a.view() == b; }
  friend bool operator==(const Label& a, const std::string& b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const Label& a, const Label& b) {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const Label& a, std::string_view b) {
    return a.view() <=> b;
  }
  friend std::ostream& operator<<(std::ostream& out, const Label& l) { return out << l.view(); }

 private:
  const std::string* get() const { return text_ ? text_ : &empty_text(); }
  static const std::string& empty_text();
  const std::string* text_ = nullptr;
};

// Labels made during one pass over many records (a poll's connections),
// found again without the shared table's lock: most of a poll's texts
// repeat (a state, a country, the relay of several connections).
class LabelCache {
 public:
  Label operator()(std::string_view text) {
    auto it = seen_.find(text);
    if (it != seen_.end()) return it->second;
    Label label(text);
    seen_.emplace(label.view(), label);  // the key views the stored text
    return label;
  }

 private:
  std::unordered_map<std::string_view, Label> seen_;
};

inline std::string operator+(const std::string& a, const Label& b) {
  return a + b.str();
}
inline std::string operator+(const Label& a, const std::string& b) {
  return a.str() + b;
}
inline std::string operator+(const char* a, const Label& b) {
  return a + b.str();
}
inline std::string operator+(const Label& a, const char* b) {
  return a.str() + b;
}

}  // namespace relaymon::text

template <>
struct fmt::formatter<relaymon::text::Label> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const relaymon::text::Label& l, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(l.view(), ctx);
  }
};
