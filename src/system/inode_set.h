// A set of socket inodes: the sockets a process holds, collected from its
// /proc/PID/fd and looked up for every record of a socket dump. A big relay
// has 20,000 of them, every poll (issue 16). std::unordered_set took one
// heap node per inode and a pointer chase per lookup; this is one flat
// array with open addressing, so filling it allocates once and a lookup
// reads one or two cache lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace relaymon::system {

class InodeSet {
 public:
  InodeSet() = default;
  InodeSet(std::initializer_list<unsigned long> inodes) {
    reserve(inodes.size());
    for (unsigned long inode : inodes) insert(inode);
  }

  void reserve(std::size_t count) {
    if (count * 2 > slots_.size()) rehash(capacity_for(count));
  }

  // False when the inode was there already.
  bool insert(unsigned long inode) {
    if (inode == kEmpty) {
      bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if ((size_ + 1) * 2 > slots_.size()) rehash(capacity_for(size_ + 1));
    for (std::size_t i = slot_of(inode);; i = (i + 1) & mask_) {
      if (slots_[i] == inode) return false;
      if (slots_[i] == kEmpty) {
        slots_[i] = inode;
        ++size_;
        return true;
      }
    }
  }

  bool contains(unsigned long inode) const {
    if (inode == kEmpty) return has_zero_;
    if (slots_.empty()) return false;
    for (std::size_t i = slot_of(inode);; i = (i + 1) & mask_) {
      if (slots_[i] == inode) return true;
      if (slots_[i] == kEmpty) return false;
    }
  }

  std::size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  bool empty() const { return size() == 0; }

  // In no particular order (the table's).
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = unsigned long;
    using difference_type = std::ptrdiff_t;
    using pointer = const unsigned long*;
    using reference = const unsigned long&;

    const_iterator(const InodeSet* set, std::size_t at, bool zero)
        : set_(set), at_(at), zero_(zero) {
      skip();
    }
    reference operator*() const { return zero_ ? kZero : set_->slots_[at_]; }
    const_iterator& operator++() {
      if (zero_) {
        zero_ = false;
      } else {
        ++at_;
      }
      skip();
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& other) const {
      return at_ == other.at_ && zero_ == other.zero_;
    }

   private:
    void skip() {
      if (zero_) return;
      while (at_ < set_->slots_.size() && set_->slots_[at_] == kEmpty) ++at_;
    }
    static constexpr unsigned long kZero = 0;
    const InodeSet* set_;
    std::size_t at_;
    bool zero_;  // at the inode 0 (held apart: 0 marks an empty slot)
  };
  const_iterator begin() const { return {this, 0, has_zero_}; }
  const_iterator end() const { return {this, slots_.size(), false}; }

 private:
  static constexpr unsigned long kEmpty = 0;

  static std::size_t capacity_for(std::size_t count) {
    std::size_t cap = 16;
    while (cap < count * 2) cap <<= 1;
    return cap;
  }

  // Inodes are handed out nearly in sequence: Fibonacci hashing spreads
  // neighbours over the table.
  std::size_t slot_of(unsigned long inode) const {
    return static_cast<std::size_t>((static_cast<std::uint64_t>(inode) * 0x9E3779B97F4A7C15ULL) >>
                                    32) &
           mask_;
  }

  void rehash(std::size_t capacity) {
    std::vector<unsigned long> old = std::move(slots_);
    slots_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
    size_ = 0;
    for (unsigned long inode : old) {
      if (inode != kEmpty) insert(inode);
    }
  }

  std::vector<unsigned long> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;  // inodes in slots_ (not counting 0)
  bool has_zero_ = false;
};

}  // namespace relaymon::system
