#include "analysis/crosscheck.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>

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

std::uint64_t fingerprint_key(std::string_view fingerprint) {
  return std::hash<std::string_view>{}(fingerprint);
}

// The exact key of an entry, for the hash map of unmatched keys.
struct ExactKey {
  std::uint64_t key;
  bool relay;
  bool operator==(const ExactKey&) const = default;
};
struct ExactKeyHash {
  std::size_t operator()(const ExactKey& k) const {
    return k.key ^ (k.relay ? 0x9e3779b97f4a7c15 : 0);
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
  for (const auto& o : orconns) {
    if (o.status != "CONNECTED") continue;
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
  for (const auto& c : connections) {
    if (!is_or_category(c.category) || c.state != "ESTAB") continue;
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
  // Exact keys not yet matched, hashed: 20,000 sockets a poll made an
  // ordered map of strings a noticeable cost.
  std::unordered_map<ExactKey, long, ExactKeyHash> system_left;
  system_left.reserve(system.size());
  for (const auto& s : system) {
    if (!s.any_relay) ++system_left[{s.key, s.relay}];
  }
  std::vector<const SideEntry*> control_left;
  for (const auto& c : control) {
    auto it = system_left.find({c.key, c.relay});
    if (it != system_left.end() && it->second > 0) {
      --it->second;
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
    } else if (long& n = system_left[{s.key, s.relay}]; n > 0) {
      --n;
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
