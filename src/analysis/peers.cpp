#include "analysis/peers.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/flat_index.h"

namespace relaymon::analysis {

std::string host_tag(std::uint64_t host_key) {
  return fmt::format("{:06x}", host_key >> 40);
}

namespace {

struct KeyHash {
  std::uint64_t operator()(std::uint64_t key) const { return model::mix64(key); }
};

}  // namespace

std::vector<PeerCount> count_peers(const std::vector<model::Connection>& connections,
                                   long more_than) {
  // Counted through a flat index, and described only past `more_than`: a
  // big relay has thousands of peer hosts a poll, and a tree node and a
  // formatted text for each was a visible cost (issue 16).
  model::FlatIndex<std::uint64_t, KeyHash> slot_of;
  slot_of.reset(connections.size());
  struct Tally {
    const model::Connection* first;  // describes the host
    long count;
  };
  std::vector<Tally> tallies;
  for (const auto& c : connections) {
    using model::Category;
    // Peers that are no relay (tor names its relay peers; several relays on
    // one address are normal) and not a destination of exit traffic (a
    // popular site gets many streams from a busy exit).
    bool counted = c.category == Category::kInboundClient ||
                   c.category == Category::kInboundDirectory || c.category == Category::kUnexpected;
    if (!counted || c.state == "TIME-WAIT" || c.host_key == 0) continue;
    if (slot_of.insert(c.host_key, static_cast<std::uint32_t>(tallies.size()))) {
      tallies.push_back({&c, 1});
    } else {
      ++tallies[*slot_of.find(c.host_key)].count;
    }
  }
  std::vector<PeerCount> out;
  for (const Tally& t : tallies) {
    if (t.count <= more_than) continue;
    const model::Connection& c = *t.first;
    // One subject per host, never its address: a short tag of the keyed
    // hash, and the country where the category shows one.
    std::string tag = host_tag(c.host_key);
    std::string description =
        c.country.empty() || c.country == "??"
            ? fmt::format("host {} ({})", tag, model::to_string(c.category))
            : fmt::format("host {} ({}, {})", tag, model::to_string(c.category), c.country);
    out.push_back({std::move(description), c.host_key, t.count});
  }
  // Largest first; equal counts by host, so the order does not depend on
  // the order of the connections.
  std::sort(out.begin(), out.end(), [](const PeerCount& a, const PeerCount& b) {
    return a.count != b.count ? a.count > b.count : a.host_key < b.host_key;
  });
  return out;
}

}  // namespace relaymon::analysis
