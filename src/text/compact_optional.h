// An optional number kept in the space of the number itself: the largest
// value (NaN for floating point) stands for "none".
//
// std::optional<std::uint64_t> takes 16 bytes, half of it padding. A big
// relay's poll holds tens of thousands of sockets and two lists of
// connections at once, each with three or four such readings (byte counts,
// round-trip time, inode): issue 16's peak memory. The value that means
// "none" is never a real reading: kernel byte counters and inode numbers do
// not reach 2^64-1, and no round-trip time is NaN (a NaN assigned becomes
// "none").
//
// The interface is std::optional's as far as relaymon uses it, so readers
// (`if (c.bytes_in)`, `*c.bytes_in`, `value_or`) read the same.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <ostream>
#include <type_traits>

namespace relaymon::text {

template <typename T>
class CompactOptional {
  static_assert(std::is_arithmetic_v<T>);

 public:
  constexpr CompactOptional() = default;
  constexpr CompactOptional(std::nullopt_t) {}           // NOLINT: as std::optional
  constexpr CompactOptional(T value) : value_(value) {}  // NOLINT: as std::optional
  constexpr CompactOptional(const std::optional<T>& o)   // NOLINT: reads as the optional
      : value_(o ? *o : none()) {}

  constexpr bool has_value() const {
    if constexpr (std::is_floating_point_v<T>) {
      return !std::isnan(value_);
    } else {
      return value_ != none();
    }
  }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr const T& operator*() const { return value_; }
  constexpr T value_or(T fallback) const { return has_value() ? value_ : fallback; }
  T value() const {
    if (!has_value()) throw std::bad_optional_access();
    return value_;
  }
  constexpr void reset() { value_ = none(); }
  operator std::optional<T>() const {  // NOLINT: reads as the optional
    return has_value() ? std::optional<T>(value_) : std::nullopt;
  }

  friend constexpr bool operator==(const CompactOptional& a, const CompactOptional& b) {
    return a.has_value() == b.has_value() && (!a.has_value() || a.value_ == b.value_);
  }
  friend constexpr bool operator==(const CompactOptional& a, std::nullopt_t) {
    return !a.has_value();
  }
  friend constexpr bool operator==(const CompactOptional& a, const T& b) {
    return a.has_value() && a.value_ == b;
  }
  friend std::ostream& operator<<(std::ostream& out, const CompactOptional& o) {
    if (!o.has_value()) return out << "none";
    return out << o.value_;
  }

 private:
  static constexpr T none() {
    if constexpr (std::is_floating_point_v<T>) {
      return std::numeric_limits<T>::quiet_NaN();
    } else {
      return std::numeric_limits<T>::max();
    }
  }
  T value_ = none();
};

}  // namespace relaymon::text
