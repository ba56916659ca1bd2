// A small open-addressing hash index (key -> uint32_t), built once per
// consensus and then only read: one flat array, so a lookup is one or two
// cache lines instead of std::unordered_map's pointer chase. Sized for at
// most half load; the first value inserted for a key is kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace relaymon::model {

inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

template <typename Key, typename Hash>
class FlatIndex {
 public:
  void reset(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    meta_.assign(cap, Meta{});
    keys_.assign(cap, Key{});
    mask_ = cap - 1;
    size_ = 0;
  }

  // False (and no change) when the key is already present.
  bool insert(const Key& key, std::uint32_t value) {
    if ((size_ + 1) * 2 > meta_.size()) grow();
    std::uint64_t h = Hash{}(key);
    std::uint32_t tag = tag_of(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Meta& m = meta_[i];
      if (m.tag == 0) {
        m = Meta{tag, value};
        keys_[i] = key;
        ++size_;
        return true;
      }
      if (m.tag == tag && keys_[i] == key) return false;
    }
  }

  const std::uint32_t* find(const Key& key) const {
    if (meta_.empty()) return nullptr;
    std::uint64_t h = Hash{}(key);
    std::uint32_t tag = tag_of(h);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Meta& m = meta_[i];
      if (m.tag == 0) return nullptr;
      if (m.tag == tag && keys_[i] == key) return &m.value;
    }
  }

  std::size_t size() const { return size_; }

 private:
  // The probe walks only this compact array (8 bytes a slot, so a large
  // index stays in cache); the key is read on a tag match only.
  struct Meta {
    std::uint32_t tag = 0;  // high hash bits, never 0 for a used slot
    std::uint32_t value = 0;
  };

  static std::uint32_t tag_of(std::uint64_t h) {
    auto t = static_cast<std::uint32_t>(h >> 32);
    return t == 0 ? 1 : t;
  }

  void grow() {
    std::vector<Meta> old_meta = std::move(meta_);
    std::vector<Key> old_keys = std::move(keys_);
    reset(old_meta.empty() ? 8 : old_meta.size());
    for (std::size_t i = 0; i < old_meta.size(); ++i) {
      if (old_meta[i].tag != 0) insert(old_keys[i], old_meta[i].value);
    }
  }

  std::vector<Meta> meta_;
  std::vector<Key> keys_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace relaymon::model
