#include "analysis/peers.h"

#include <algorithm>
#include <map>

namespace relaymon::analysis {

std::vector<PeerCount> count_peers(const system::Sockets& sockets,
                                   const std::vector<model::Connection>& connections) {
  std::map<std::string, PeerCount> by_ip;
  for (std::size_t i = 0; i < connections.size() && i < sockets.size(); ++i) {
    const auto& c = connections[i];
    using model::Category;
    if (c.category == Category::kListener || c.category == Category::kSocks ||
        c.category == Category::kControl || c.category == Category::kDns ||
        c.category == Category::kHiddenService || c.state == "TIME-WAIT") {
      continue;
    }
    PeerCount& p = by_ip[sockets[i].remote.ip];
    // The first description wins: scrubbed when the category requires it.
    if (p.description.empty()) p.description = c.remote.address;
    ++p.count;
  }
  std::vector<PeerCount> out;
  for (auto& [ip, p] : by_ip) out.push_back(std::move(p));
  std::sort(out.begin(), out.end(),
            [](const PeerCount& a, const PeerCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace relaymon::analysis
