#include "session/unlisted_peers.h"

namespace relaymon::session {

std::vector<std::string> UnlistedPeers::to_ask(const std::vector<model::OrConn>& orconns,
                                               const model::RelayIndex& index,
                                               std::size_t generation, std::size_t limit) {
  std::vector<std::string> out;
  // Forget relays tor no longer has a connection with.
  std::size_t before = entries_.size();
  std::erase_if(entries_, [&](const auto& entry) {
    for (const model::OrConn& o : orconns) {
      if (o.fingerprint == entry.first) return false;
    }
    return true;
  });
  if (entries_.size() != before) ++version_;
  for (const model::OrConn& o : orconns) {
    if (out.size() >= limit) break;
    if (o.fingerprint.empty() || index.find_fingerprint(o.fingerprint)) continue;
    const std::string& fingerprint = o.fingerprint.str();
    if (entries_.count(fingerprint)) continue;
    auto [it, fresh] = asked_.try_emplace(fingerprint, generation);
    if (!fresh && it->second == generation) continue;
    it->second = generation;
    out.push_back(fingerprint);
  }
  return out;
}

void UnlistedPeers::answered(const std::string& fingerprint, std::string_view entry) {
  if (entry.empty() || entry.substr(0, 2) != "r ") return;
  std::string text(entry);
  if (text.back() != '\n') text += '\n';
  auto [it, fresh] = entries_.try_emplace(fingerprint, text);
  if (!fresh && it->second == text) return;
  it->second = std::move(text);
  ++version_;
}

std::string UnlistedPeers::missing_from(const model::RelayIndex& consensus) const {
  std::string out;
  for (const auto& [fingerprint, entry] : entries_) {
    if (!consensus.by_fingerprint(fingerprint)) out += entry;
  }
  return out;
}

void UnlistedPeers::clear() {
  asked_.clear();
  entries_.clear();
  ++version_;
}

}  // namespace relaymon::session
