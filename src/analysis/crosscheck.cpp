#include "analysis/crosscheck.h"

#include <fmt/format.h>

#include <string_view>
#include <unordered_map>

namespace relaymon::analysis {

namespace {

bool is_or_category(model::Category c) {
  return c == model::Category::kInboundRelay || c == model::Category::kInboundClient ||
         c == model::Category::kOutboundRelay || c == model::Category::kDirectoryFetch;
}

std::vector<std::pair<std::string, long>> count_kinds(const std::vector<SideEntry>& entries) {
  std::map<std::string, long> counts;
  for (const auto& e : entries) ++counts[e.kind];
  return {counts.begin(), counts.end()};
}

}  // namespace

std::string peer_key_text(std::uint64_t key) {
  return fmt::format("peer:{:016x}", key);
}

std::vector<SideEntry> control_side(const std::vector<model::OrConnection>& orconns) {
  std::vector<SideEntry> out;
  for (const auto& o : orconns) {
    if (o.status != "CONNECTED") continue;
    if (!o.fingerprint.empty()) {
      out.push_back(
          {"$" + o.fingerprint,
           fmt::format("relay ${}{}", o.fingerprint, o.nickname.empty() ? "" : "~" + o.nickname),
           "relay"});
    } else if (o.peer_key != 0) {
      out.push_back(
          {peer_key_text(o.peer_key), "unauthenticated peer (client or bridge user)", "client"});
    }
  }
  return out;
}

std::vector<SideEntry> system_side(const std::vector<model::Connection>& connections) {
  std::vector<SideEntry> out;
  for (const auto& c : connections) {
    if (!is_or_category(c.category) || c.state != "ESTAB") continue;
    std::string kind(model::to_string(c.category));
    if (!c.relay_fingerprint.empty()) {
      out.push_back({"$" + c.relay_fingerprint,
                     fmt::format("relay ${}{}", c.relay_fingerprint,
                                 c.relay_nickname.empty() ? "" : "~" + c.relay_nickname),
                     kind});
    } else {
      std::string description =
          c.scrubbed ? fmt::format("{} {}", kind, c.remote.address)
                     : fmt::format("{} {}:{}", kind, c.remote.address, c.remote.port);
      out.push_back({peer_key_text(c.peer_key), description, kind,
                     c.category == model::Category::kInboundRelay ||
                         c.category == model::Category::kOutboundRelay});
    }
  }
  return out;
}

Comparison compare(const std::vector<SideEntry>& control, const std::vector<SideEntry>& system) {
  Comparison result;
  // Exact keys not yet matched. Hashed views into the entries (which
  // outlive this call): 20,000 sockets a poll made an ordered map of
  // strings a noticeable cost.
  std::unordered_map<std::string_view, long> system_left;
  system_left.reserve(system.size());
  for (const auto& s : system) {
    if (!s.any_relay) ++system_left[s.key];
  }
  std::vector<const SideEntry*> control_left;
  for (const auto& c : control) {
    auto it = system_left.find(c.key);
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
  std::vector<const SideEntry*> still_control;
  for (const SideEntry* c : control_left) {
    if (wildcards > 0 && c->key.front() == '$') {
      --wildcards;
      ++result.matched;
    } else {
      result.only_control.push_back(*c);
    }
  }
  // What the system has beyond the matches: exact keys left, then the
  // wildcards nobody took.
  for (const auto& s : system) {
    if (s.any_relay) {
      if (wildcards > 0) {
        --wildcards;
        result.only_system.push_back(s);
      }
    } else if (long& n = system_left[s.key]; n > 0) {
      --n;
      result.only_system.push_back(s);
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
  std::map<std::string, int> next;
  auto track = [&](const SideEntry& e, const char* side, const char* what) {
    std::string key = std::string(side) + e.key;
    int streak = streak_.count(key) ? streak_[key] + 1 : 1;
    // Two surplus connections with one key count once per poll.
    if (next.count(key)) return;
    next[key] = streak;
    if (streak >= polls_) {
      out.persistent.push_back(fmt::format("{} {} (for {} polls)", e.description, what, streak));
    }
  };
  for (const auto& e : comparison.only_control)
    track(e, "c", "reported by tor, not seen by the system");
  for (const auto& e : comparison.only_system) track(e, "s", "seen by the system, unknown to tor");
  streak_ = std::move(next);
  return out;
}

}  // namespace relaymon::analysis
