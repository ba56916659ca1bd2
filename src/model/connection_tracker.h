// Memory between socket polls: when each connection was first seen and how
// fast its byte counters grow. Connections are recognised by their key (a
// keyed hash of the raw protocol and endpoints, model/connection_keys.h).
#pragma once

#include <cstdint>
#include <optional>
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
  // One record per connection key, sorted by key. 56 bytes each, in one
  // block: a big relay's 20,000 connections take about a megabyte, where
  // a hash map's nodes took 2.9 MB (issue 16). An update sorts the
  // connections' keys and merges them with this list into the next one.
  struct Seen {
    std::uint64_t key = 0;
    TimePoint first_seen;
    TimePoint time;
    std::uint64_t in = 0;  // meaningful when has_in
    std::uint64_t out = 0;
    bool has_in = false;
    bool has_out = false;
    bool before_relaymon = false;  // already open at the first update
  };
  std::vector<Seen> seen_;
  bool updated_ = false;
};

}  // namespace relaymon::model
