#include "analysis/crosscheck.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string_view>

#include "model/flat_index.h"

namespace relaymon::analysis {

namespace {

std::string peer_key_text(std::uint64_t key) {
  return fmt::format("peer:{:016x}", key);
}

bool is_or_category(model::Category c) {
  return c == model::Category::kInboundRelay || c == model::Category::kInboundClient ||
         c == model::Category::kOutboundRelay || c == model::Category::kDirectoryFetch;
}

std::vector<std::pair<std::string, long>> count_kinds(const std::vector<SideEntry>& entries) {
  std::map<std::string_view, long> counts;
  for (const auto& e : entries) ++counts[e.kind];
  std::vector<std::pair<std::string, long>> out;
  out.reserve(counts.size());
  for (const auto& [kind, n] : counts) out.emplace_back(std::string(kind), n);
  return out;
}

// Fingerprints are shared texts on both sides (model/label.h): equal texts
// are one stored text, so its address is the key, with no text hashed.
std::uint64_t fingerprint_key(const model::Label& fingerprint) {
  return model::mix64(reinterpret_cast<std::uintptr_t>(fingerprint.identity()));
}

// The exact key of an entry, for the hash map of unmatched keys.
struct ExactKey {
  std::uint64_t key = 0;
  bool relay = false;
  bool operator==(const ExactKey&) const = default;
};
struct ExactKeyHash {
  std::uint64_t operator()(const ExactKey& k) const {
    return model::mix64(k.key ^ (k.relay ? 0x9e3779b97f4a7c15 : 0));
  }
};

std::string relay_text(std::string_view fingerprint, std::string_view nickname) {
  return nickname.empty() ? fmt::format("relay ${}", fingerprint)
                          : fmt::format("relay ${}~{}", fingerprint, nickname);
}

Discrepancy discrepancy(const SideEntry& e) {
  return {e};
}

}  // namespace

std::string Discrepancy::key() const {
  const SideEntry& e = entry;
  std::string_view fingerprint = e.orconn       ? std::string_view(e.orconn->fingerprint)
                                 : e.connection ? std::string_view(e.connection->relay_fingerprint)
                                                : std::string_view();
  std::uint64_t peer = e.orconn ? e.orconn->peer_key : e.connection ? e.connection->peer_key : 0;
  return e.relay ? "$" + std::string(fingerprint) : peer_key_text(peer);
}

std::string describe(const SideEntry& e) {
  if (const model::OrConnection* o = e.orconn) {
    if (!o->fingerprint.empty()) return relay_text(o->fingerprint, o->nickname);
    return "unauthenticated peer (client or bridge user)";
  }
  if (const model::Connection* c = e.connection) {
    if (!c->relay_fingerprint.empty()) return relay_text(c->relay_fingerprint, c->relay_nickname);
    return c->scrubbed ? fmt::format("{} {}", e.kind, c->remote.address)
                       : fmt::format("{} {}:{}", e.kind, c->remote.address, c->remote.port);
  }
  return std::string(e.kind);
}

std::vector<SideEntry> control_side(const std::vector<model::OrConnection>& orconns) {
  std::vector<SideEntry> out;
  out.reserve(orconns.size());
  static const model::Label kConnected("CONNECTED");  // compared as one pointer
  for (const auto& o : orconns) {
    if (o.status != kConnected) continue;
    if (!o.fingerprint.empty()) {
      out.push_back({fingerprint_key(o.fingerprint), true, "relay", false, &o, nullptr});
    } else if (o.peer_key != 0) {
      out.push_back({o.peer_key, false, "client", false, &o, nullptr});
    }
  }
  return out;
}

std::vector<SideEntry> system_side(const std::vector<model::Connection>& connections) {
  std::vector<SideEntry> out;
  out.reserve(connections.size());
  static const model::Label kEstablished("ESTAB");  // compared as one pointer
  for (const auto& c : connections) {
    if (!is_or_category(c.category) || c.state != kEstablished) continue;
    std::string_view kind = model::to_string(c.category);
    if (!c.relay_fingerprint.empty()) {
      out.push_back({fingerprint_key(c.relay_fingerprint), true, kind, false, nullptr, &c});
    } else {
      bool any_relay = c.category == model::Category::kInboundRelay ||
                       c.category == model::Category::kOutboundRelay;
      out.push_back({c.peer_key, false, kind, any_relay, nullptr, &c});
    }
  }
  return out;
}

Comparison compare(const std::vector<SideEntry>& control, const std::vector<SideEntry>& system) {
  Comparison result;
  // Exact keys not yet matched, counted through a flat index: 20,000
  // sockets a poll made a node-based map a noticeable cost.
  model::FlatIndex<ExactKey, ExactKeyHash> slots;
  slots.reset(system.size());
  std::vector<long> left;
  auto count_of = [&](const ExactKey& k) -> long* {
    const std::uint32_t* slot = slots.find(k);
    return slot ? &left[*slot] : nullptr;
  };
  for (const auto& s : system) {
    if (s.any_relay) continue;
    ExactKey k{s.key, s.relay};
    if (slots.insert(k, static_cast<std::uint32_t>(left.size()))) {
      left.push_back(1);
    } else {
      ++*count_of(k);
    }
  }
  std::vector<const SideEntry*> control_left;
  for (const auto& c : control) {
    long* n = count_of({c.key, c.relay});
    if (n && *n > 0) {
      --*n;
      ++result.matched;
    } else {
      control_left.push_back(&c);
    }
  }
  // Unattributed inbound relay connections take leftover relay entries.
  long wildcards = 0;
  for (const auto& s : system) wildcards += s.any_relay ? 1 : 0;
  for (const SideEntry* c : control_left) {
    if (wildcards > 0 && c->relay) {
      --wildcards;
      ++result.matched;
    } else {
      result.only_control.push_back(discrepancy(*c));
    }
  }
  // What the system has beyond the matches: exact keys left, then the
  // wildcards nobody took.
  for (const auto& s : system) {
    if (s.any_relay) {
      if (wildcards > 0) {
        --wildcards;
        result.only_system.push_back(discrepancy(s));
      }
    } else if (long* n = count_of({s.key, s.relay}); n && *n > 0) {
      --*n;
      result.only_system.push_back(discrepancy(s));
    }
  }
  result.control_counts = count_kinds(control);
  result.system_counts = count_kinds(system);
  return result;
}

model::CrossCheck CrossCheckTracker::update(const Comparison& comparison, std::string_view source) {
  model::CrossCheck out;
  out.matched = comparison.matched;
  out.only_control = static_cast<long>(comparison.only_control.size());
  out.only_system = static_cast<long>(comparison.only_system.size());
  out.control_counts = comparison.control_counts;
  out.system_counts = comparison.system_counts;
  out.control_source = std::string(source);
  decltype(streak_) next;
  auto track = [&](const Discrepancy& e, char side, const char* what) {
    auto key = std::tuple(side, e.entry.relay, e.entry.key);
    auto it = streak_.find(key);
    int streak = it != streak_.end() ? it->second + 1 : 1;
    // Two surplus connections with one key count once per poll.
    if (!next.try_emplace(key, streak).second) return;
    if (streak >= polls_) {
      out.persistent.push_back(fmt::format("{} {} (for {} polls)", e.description(), what, streak));
    }
  };
  for (const auto& e : comparison.only_control)
    track(e, 'c', "reported by tor, not seen by the system");
  for (const auto& e : comparison.only_system) track(e, 's', "seen by the system, unknown to tor");
  streak_ = std::move(next);
  return out;
}

}  // namespace relaymon::analysis
