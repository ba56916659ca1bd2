#include "analysis/peers.h"

#include <algorithm>
#include <map>

namespace relaymon::analysis {

std::vector<PeerCount> count_peers(const std::vector<model::Connection>& connections) {
  std::map<std::uint64_t, PeerCount> by_host;
  for (const auto& c : connections) {
    using model::Category;
    if (c.category == Category::kListener || c.category == Category::kSocks ||
        c.category == Category::kControl || c.category == Category::kDns ||
        c.category == Category::kHiddenService || c.state == "TIME-WAIT") {
      continue;
    }
    if (c.host_key == 0) continue;  // no peer address
    PeerCount& p = by_host[c.host_key];
    // The first description wins: scrubbed when the category requires it.
    if (p.description.empty()) p.description = c.remote.address;
    ++p.count;
  }
  std::vector<PeerCount> out;
  for (auto& [host, p] : by_host) out.push_back(std::move(p));
  std::sort(out.begin(), out.end(),
            [](const PeerCount& a, const PeerCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace relaymon::analysis
