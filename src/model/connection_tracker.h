// Memory between socket polls: when each connection was first seen and how
// fast its byte counters grow. Sockets are recognised by a hash of their raw
// protocol and endpoints, which stays inside this object (the privacy rule:
// raw addresses never leave the model).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "model/snapshot.h"
#include "system/socket.h"

namespace relaymon::model {

class ConnectionTracker {
 public:
  // `connections` is classify(sockets, ...) (same order). Sets first_seen,
  // rate_in and rate_out from the previous update; forgets sockets that
  // are gone.
  void update(const system::Sockets& sockets, std::vector<Connection>& connections, TimePoint now);

  std::size_t size() const { return seen_.size(); }

 private:
  struct Seen {
    TimePoint first_seen;
    TimePoint time;
    std::optional<std::uint64_t> in;
    std::optional<std::uint64_t> out;
  };
  std::unordered_map<std::uint64_t, Seen> seen_;
};

}  // namespace relaymon::model
