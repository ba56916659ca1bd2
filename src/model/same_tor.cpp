#include "model/same_tor.h"

#include <map>

namespace relaymon::model {

std::vector<std::string> same_tor_as(const std::vector<const Snapshot*>& snapshots) {
  std::vector<std::string> out(snapshots.size());
  std::map<std::string, std::string, std::less<>> first_endpoint;  // fingerprint -> endpoint
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const Snapshot* s = snapshots[i];
    if (!s || s->relay.fingerprint.empty()) continue;
    auto [it, inserted] = first_endpoint.try_emplace(s->relay.fingerprint, s->control.endpoint);
    if (!inserted) out[i] = it->second;
  }
  return out;
}

}  // namespace relaymon::model
