// The bandwidth graph's history, one ring per graph interval (as nyx keeps
// it): every BW sample is added to the current bucket of each interval, so
// "30 minutes" and "daily" fill from their own buckets instead of being
// computed from an hour of per-second samples (which never filled them).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "model/snapshot.h"

namespace relaymon::model {

class BandwidthHistory {
 public:
  // The graph's intervals, in seconds (panels/graph.h names them).
  static const std::vector<int>& intervals();
  explicit BandwidthHistory(std::size_t buckets = 600);

  // One second of traffic. Spikes (see flag_startup_spikes) are kept off the
  // buckets: they are not traffic tor could have carried.
  void add(const BandwidthSample& sample);
  void clear();
  // The averages per interval, oldest bucket first; a bucket's time is its
  // start and its values bytes per second over the seconds it saw.
  std::vector<IntervalSeries> series() const;

 private:
  struct Bucket {
    long long key = 0;
    double read = 0;
    double written = 0;
    int count = 0;
  };
  std::size_t limit_;
  std::vector<std::deque<Bucket>> rings_;  // one per interval
};

// The series a BandwidthHistory fed with these samples would give.
std::vector<IntervalSeries> history_of(const std::vector<BandwidthSample>& samples);

// tor's bw-event-cache starts with a spike: the whole start-up burst, or
// counters from before a restart, counted in a second or two (nyx issue 72,
// tor issue 31524), several GB/s on a small relay. A sample among the first
// ten is a spike when it exceeds ten times everything after it and 10 MiB/s,
// or twice the relay's burst limit when that is known. Flags them in place.
void flag_startup_spikes(std::vector<BandwidthSample>& cache,
                         std::optional<std::uint64_t> burst = std::nullopt);

}  // namespace relaymon::model
