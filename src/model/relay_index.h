// The consensus as an index of relays: who is at (IPv4, ORPort), at
// (IPv6, port) from the `a` lines, at a DirPort, and which addresses belong
// to any relay at all. Built from router status entries, the text of
// GETINFO ns/all, of a NEWCONSENSUS event, or a whole consensus document
// (microdescriptor form without the digest field, or the full one).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/flat_index.h"
#include "model/ip.h"
#include "model/label.h"
#include "model/snapshot.h"

namespace relaymon::model {

struct RelayEntry {
  // Fingerprint, nickname and flags are shared texts (model/label.h), made
  // once per consensus: a poll's thousands of relay connections take them
  // without hashing the texts again, and 7,000 relays hold one pointer each
  // instead of a string (issue 16).
  Label nickname;
  Label fingerprint;      // 40 upper-case hex digits
  std::string published;  // "2038-01-01 00:00:00"
  IpAddr ipv4;
  std::uint16_t or_port = 0;
  std::uint16_t dir_port = 0;        // 0: none
  std::vector<IpPort> or_addresses;  // from `a` lines (usually one IPv6 ORPort)
  std::vector<Label> flags;
  std::optional<std::uint64_t> bandwidth;  // `w Bandwidth=`, kilobytes/s
  std::string version;                     // `v` line, e.g. "Tor 0.4.9.11"
  std::string exit_summary;                // `p` line, e.g. "reject 1-65535"

  bool has_flag(std::string_view flag) const;
};

// A `dir-source` line of a full consensus document: a directory authority.
struct Authority {
  std::string nickname;
  std::string identity;  // v3 identity, hex
  IpAddr address;
  std::uint16_t dir_port = 0;
  std::uint16_t or_port = 0;
};

struct ConsensusParse {
  std::vector<RelayEntry> relays;
  std::vector<Authority> authorities;
  long malformed_lines = 0;  // skipped lines that looked like entries but were not
};

// Pure: router status entries out of the text (lines split on "\n", a "\r"
// before it tolerated); unknown lines are ignored, a broken `r` line drops
// its entry and is counted.
ConsensusParse parse_consensus(std::string_view text);

// "DMs6alw8tHds4bMpjX7YZOOvA4E" -> "0CCB3A6A..." (40 hex); nullopt if invalid.
std::optional<std::string> identity_to_hex(std::string_view base64);

class RelayIndex {
 public:
  RelayIndex() = default;
  explicit RelayIndex(ConsensusParse parsed) { replace(std::move(parsed)); }
  static RelayIndex from_text(std::string_view text) { return RelayIndex(parse_consensus(text)); }

  // A NEWCONSENSUS event carries the whole consensus: replace everything.
  void replace(ConsensusParse parsed);
  // This index's relays and authorities with `more` after them (relays
  // tor told us about that the consensus text lacks).
  RelayIndex plus(ConsensusParse more) const;

  const RelayEntry* by_or_address(const IpAddr& ip, std::uint16_t port) const;
  const RelayEntry* by_dir_address(const IpAddr& ip, std::uint16_t port) const;
  // "$ABCD...", "abcd..." or "ABCD...~nick"; nullptr when unknown.
  const RelayEntry* by_fingerprint(std::string_view fingerprint) const;
  // A Connection's relay_fingerprint: Labels are interned, so the lookup
  // compares a pointer, never the text.
  const RelayEntry* by_fingerprint_label(const Label& fingerprint) const;
  // By Label first (a pointer), else by its text (another case, "$FP~nick").
  const RelayEntry* find_fingerprint(const Label& fingerprint) const {
    const RelayEntry* r = by_fingerprint_label(fingerprint);
    return r ? r : by_fingerprint(fingerprint.view());
  }
  // Every relay with this address (IPv4 address or any `a` address).
  std::vector<const RelayEntry*> by_address(const IpAddr& ip) const;
  bool is_relay_address(const IpAddr& ip) const { return by_ip_.find(ip) != nullptr; }
  // Whether pred(relay) holds for some relay with this address (no allocation).
  template <typename Pred>
  bool any_at(const IpAddr& ip, Pred&& pred) const {
    const std::uint32_t* head = by_ip_.find(ip);
    for (std::uint32_t n = head ? *head : kEnd; n != kEnd; n = ip_nodes_[n].next) {
      if (pred(relays_[ip_nodes_[n].relay])) return true;
    }
    return false;
  }

  const std::vector<RelayEntry>& relays() const { return relays_; }
  const std::vector<Authority>& authorities() const { return authorities_; }
  std::size_t size() const { return relays_.size(); }
  bool empty() const { return relays_.empty(); }

 private:
  std::vector<RelayEntry> relays_;
  std::vector<Authority> authorities_;
  static constexpr std::uint32_t kEnd = 0xffffffff;
  struct IpNode {
    std::uint32_t relay;
    std::uint32_t next;  // kEnd at the end of the address's list
  };

  FlatIndex<IpPort, IpPortHash> by_or_;
  FlatIndex<IpPort, IpPortHash> by_dir_;
  // A fingerprint as its 20 bytes: a poll looks up every orconn-status
  // entry's, and a flat index of fixed-size keys is one or two cache lines
  // a lookup (an unordered_map of strings was a pointer chase and a
  // 40-byte compare each).
  struct Digest {
    std::array<std::uint64_t, 3> words{};  // 20 bytes, zero-padded
    bool operator==(const Digest&) const = default;
  };
  struct DigestHash {
    // A fingerprint is a hash already: its first word spreads well.
    std::size_t operator()(const Digest& d) const { return mix64(d.words[0]); }
  };
  static std::optional<Digest> digest_of(std::string_view hex40);
  struct PointerHash {
    std::size_t operator()(const void* p) const {
      return mix64(reinterpret_cast<std::uintptr_t>(p));
    }
  };
  FlatIndex<Digest, DigestHash> by_fp_;
  FlatIndex<const void*, PointerHash> by_fp_label_;
  FlatIndex<IpAddr, IpAddrHash> by_ip_;  // address -> first of its nodes
  std::vector<IpNode> ip_nodes_;
};

// The entry as a Snapshot carries it (addresses as text).
ConsensusEntry to_consensus_entry(const RelayEntry& relay);

}  // namespace relaymon::model
