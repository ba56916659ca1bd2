// A value shared read-only between snapshots until someone changes it: the
// big parts of a Snapshot (every connection, the configuration, the log and
// bandwidth rings) are built once and then shared by every snapshot, frame
// and presenter that reads them, so publishing a snapshot copies pointers,
// not connections (issue 10: no frame copies a snapshot).
//
// Reading is const and never copies. edit() gives a private copy first when
// the value is shared (copy on write), so a snapshot already handed out
// never changes under its reader.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>

namespace relaymon::model {

template <typename T>
class Shared {
 public:
  Shared() = default;
  Shared(T value) : value_(std::make_shared<T>(std::move(value))) {}  // NOLINT: implicit by design
  Shared& operator=(T value) {
    value_ = std::make_shared<T>(std::move(value));
    return *this;
  }

  const T& get() const { return value_ ? *value_ : nothing(); }
  const T& operator*() const { return get(); }
  const T* operator->() const { return &get(); }
  operator const T&() const { return get(); }  // NOLINT: reads as the value it holds

  // The value, to change: copied first when another holder shares it.
  T& edit() {
    if (!value_) {
      value_ = std::make_shared<T>();
    } else if (value_.use_count() > 1) {
      value_ = std::make_shared<T>(*value_);
    }
    return *value_;
  }

  // The value itself, kept alive by the caller (a memo keyed by it).
  std::shared_ptr<const T> share() const { return value_; }

  // Whether two holders share the same value (a test of "not copied").
  bool same(const Shared& other) const { return value_ == other.value_; }

  // Read access for containers, so `for (const auto& c : s.connections)`,
  // `size()` and `[i]` read as before.
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }
  auto rbegin() const { return get().rbegin(); }
  auto rend() const { return get().rend(); }
  std::size_t size() const { return get().size(); }
  bool empty() const { return get().empty(); }
  decltype(auto) operator[](std::size_t i) const { return get()[i]; }
  decltype(auto) front() const { return get().front(); }
  decltype(auto) back() const { return get().back(); }

 private:
  static const T& nothing() {
    static const T nothing{};
    return nothing;
  }
  std::shared_ptr<T> value_;  // never changed in place while shared
};

}  // namespace relaymon::model
