// Memory between socket polls: when each connection was first seen and how
// fast its byte counters grow. Connections are recognised by their key (a
// keyed hash of the raw protocol and endpoints, model/connection_keys.h).
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::model {

class ConnectionTracker {
 public:
  // Sets first_seen, rate_in and rate_out from the previous update; forgets
  // connections that are gone.
  void update(std::vector<Connection>& connections, TimePoint now);

  std::size_t size() const { return seen_.size(); }

 private:
  struct Seen {
    TimePoint first_seen;
    TimePoint time;
    std::optional<std::uint64_t> in;
    std::optional<std::uint64_t> out;
    bool before_relaymon = false;  // already open at the first update
  };
  // Updated in place, so a steady poll allocates no map nodes: `current`
  // is this update's value once `generation` matches, `previous` the one
  // the update compares with (what a fresh map per update would hold).
  struct Entry {
    Seen current;
    std::optional<Seen> previous;
    std::uint64_t generation = 0;
  };
  std::unordered_map<std::uint64_t, Entry> seen_;
  std::uint64_t generation_ = 0;
};

}  // namespace relaymon::model
