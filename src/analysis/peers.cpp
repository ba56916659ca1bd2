#include "analysis/peers.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace relaymon::analysis {

std::string host_tag(std::uint64_t host_key) {
  return fmt::format("{:06x}", host_key >> 40);
}

std::vector<PeerCount> count_peers(const std::vector<model::Connection>& connections) {
  std::map<std::uint64_t, PeerCount> by_host;
  for (const auto& c : connections) {
    using model::Category;
    // Peers that are no relay (tor names its relay peers; several relays on
    // one address are normal) and not a destination of exit traffic (a
    // popular site gets many streams from a busy exit).
    bool counted = c.category == Category::kInboundClient ||
                   c.category == Category::kInboundDirectory || c.category == Category::kUnexpected;
    if (!counted || c.state == "TIME-WAIT" || c.host_key == 0) continue;
    PeerCount& p = by_host[c.host_key];
    if (p.description.empty()) {
      // One subject per host, never its address: a short tag of the keyed
      // hash, and the country where the category shows one.
      std::string tag = host_tag(c.host_key);
      p.host_key = c.host_key;
      p.description =
          c.country.empty() || c.country == "??"
              ? fmt::format("host {} ({})", tag, model::to_string(c.category))
              : fmt::format("host {} ({}, {})", tag, model::to_string(c.category), c.country);
    }
    ++p.count;
  }
  std::vector<PeerCount> out;
  for (auto& [host, p] : by_host) out.push_back(std::move(p));
  std::sort(out.begin(), out.end(),
            [](const PeerCount& a, const PeerCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace relaymon::analysis
